"""WSGI and ASGI entry points on bench/serving/variant_settings.py, for granian and
gunicorn started directly by bench/choices.py."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "variant_settings"

from django.core.asgi import get_asgi_application  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

wsgi = get_wsgi_application()
asgi = get_asgi_application()

"""Shared personas and helpers.

Jess writes; Rory, her housemate, receives; Sam is a second housemate; Olive lives in
another home and must learn nothing about this one.
"""

from __future__ import annotations

import os

import pytest

from tests.caddy import caddy_factory  # noqa: F401
from tests.helpers import make_home, make_letter, make_person, send_now  # noqa: F401


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Give each test run its own PostgreSQL test database, so runs side by side never
    drop each other's (SQLite test databases already live in each run's own data dir)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        base = db.get("TEST", {}).get("NAME") or f"test_{db['NAME']}"
        db.setdefault("TEST", {})["NAME"] = f"{base}_{os.getpid()}"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is right for people and slow for a suite that makes hundreds of them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _push_service_on_loopback(settings):
    # tests/pushservice.py listens on http://127.0.0.1, which Dear refuses in earnest.
    settings.PUSH_ENDPOINTS_ON_LOOPBACK = True


@pytest.fixture
def jess(db):
    return make_person("jess", "Jess")


@pytest.fixture
def rory(db):
    return make_person("rory", "Rory")


@pytest.fixture
def sam(db):
    return make_person("sam", "Sam")


@pytest.fixture
def olive(db):
    return make_person("olive", "Olive")


@pytest.fixture
def home(jess, rory, sam):
    return make_home("The flat", jess, rory, sam)


@pytest.fixture
def other_home(olive):
    return make_home("Olive's house", olive)


@pytest.fixture
def people(jess, rory, sam, olive, home, other_home):
    """Every persona, with both homes set up."""
    return {"jess": jess, "rory": rory, "sam": sam, "olive": olive}


@pytest.fixture
def mailbox(settings):
    """A real SMTP server on loopback, and Dear configured to send through it."""
    from tests import mailserver

    box, controller = mailserver.start()
    settings.EMAIL_URL = box.url
    settings.DEFAULT_FROM_EMAIL = "Dear <dear@home.test>"
    settings.PUBLIC_URL = "http://dear.test"
    yield box
    controller.stop()


@pytest.fixture
def push_service():
    """A Web Push service on loopback (tests/pushservice.py): checks each push's VAPID
    signature and keeps what it decrypts."""
    from tests.pushservice import PushService

    service = PushService().start()
    yield service
    service.stop()


@pytest.fixture
def push_app():
    """A push app's server on loopback (tests/appriseserver.py), keeping what arrives."""
    from tests import appriseserver

    app = appriseserver.start()
    yield app
    app.stop()

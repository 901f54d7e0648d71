from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "dear.notify"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dear.notify import checks  # noqa: F401  (registers the email settings checks)

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "dear.notify"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from dear.notify import checks  # noqa: F401  (registers the email settings checks)

        user_logged_out.connect(_forget_device, dispatch_uid="dear.notify.forget_device")


def _forget_device(sender, request, user, **kwargs) -> None:
    """Logging out of a browser stops its pushes: whoever uses it next is not told of
    the letters of the person who left."""
    from dear.notify import channels

    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        channels.forget_session(session.session_key)

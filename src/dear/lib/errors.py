"""Errors the domain raises; each face turns them into its own answer.

``code`` is the machine-readable name the API puts in ``{"error": {"code": ...}}``;
``status`` is the HTTP status both the API and the web pages use.
"""


class DearError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(DearError):
    """Missing and not-yours are the same answer (rule 4)."""

    code = "not_found"
    status = 404

    def __init__(self, message: str = "Not found."):
        super().__init__(message)


class Invalid(DearError):
    code = "invalid"
    status = 422


class TooLarge(DearError):
    code = "too_large"
    status = 413


class Conflict(DearError):
    """The object's state does not allow this action; nothing was changed."""

    code = "conflict"
    status = 409


class StaleRevision(Conflict):
    code = "stale_revision"

    def __init__(self, message: str, current_revision: int, kept_as: int):
        super().__init__(message)
        self.current_revision = current_revision
        self.kept_as = kept_as


class Gone(DearError):
    code = "gone"
    status = 410


class Forbidden(DearError):
    code = "forbidden"
    status = 403


class Unauthorized(DearError):
    code = "unauthorized"
    status = 401


class RateLimited(DearError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after  # seconds, for the Retry-After header


def with_retry_after(response, error: DearError):
    """``response`` with a Retry-After header when ``error`` says how long to wait."""
    seconds = getattr(error, "retry_after", None)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response

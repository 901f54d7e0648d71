"""A URLconf with one view that fails, to see what a person is shown when the server breaks."""

from django.urls import include, path


def broken(request):
    raise RuntimeError("a bug, with a secret in it: the words of a letter")


urlpatterns = [
    path("broken", broken),
    path("", include("dear.web.urls")),
]

handler404 = "dear.web.views.errors.not_found"
handler500 = "dear.web.views.errors.server_error"

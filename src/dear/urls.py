from django.urls import include, path

from dear.api.routes import api

urlpatterns = [
    path("healthz", include("dear.api.health")),
    path("api/v1/", api.urls),
    path("", include("dear.web.urls")),
]

handler404 = "dear.web.views.errors.not_found"
handler500 = "dear.web.views.errors.server_error"

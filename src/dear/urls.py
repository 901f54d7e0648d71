from django.urls import include, path

from dear.api.routes import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("dear.web.urls")),
]

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "dear.web"
    label = "web"

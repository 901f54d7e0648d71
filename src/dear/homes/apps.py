from django.apps import AppConfig


class HomesConfig(AppConfig):
    name = "dear.homes"
    label = "homes"

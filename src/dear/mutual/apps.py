from django.apps import AppConfig


class MutualConfig(AppConfig):
    name = "dear.mutual"
    label = "mutual"

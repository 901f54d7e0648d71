from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "dear.letters"
    label = "letters"

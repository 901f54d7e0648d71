from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dear.accounts"
    label = "accounts"

from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "dear.archive"
    label = "archive"

    def ready(self) -> None:
        # Keeps the search index in step with every letter saved or deleted.
        from dear.archive import index

        index.connect()

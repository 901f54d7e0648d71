from django.core.management.base import BaseCommand

from dear.archive import index


class Command(BaseCommand):
    help = "Make the search index again from every letter (after a restore or an upgrade)."

    def handle(self, *args, **options) -> None:
        count = index.rebuild()
        self.stdout.write(f"Indexed {count:,} letter{'s' if count != 1 else ''}.")

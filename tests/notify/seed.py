"""Set up the database of a `dear` process from outside it, for the worker tests.

Run with that process's environment: ``python -m tests.notify.seed --letters 200``.
Migrates, makes Jess and readers with confirmed addresses and no quiet hours in one
home, sends ``--letters`` letters from Jess among the readers (delivered at once), and
prints JSON: ``{"letters": {letter id: reader's address}, "token": Jess's API token,
"readers": {address: person id}}``. With ``--apprise URL``, each reader first gets a
push app channel at that URL, ``{reader}`` replaced by their username.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import time


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=0)
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument("--apprise", default="", help="A push app URL for each reader.")
    parser.add_argument(
        "--lose-wake-ups", action="store_true", help="Delete every queued task afterwards."
    )
    args = parser.parse_args(argv)

    from dear.cli.django_setup import setup_django

    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", interactive=False, verbosity=0)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    from django_tasks_db.models import DBTaskResult

    from dear.accounts.services import issue_token
    from tests.helpers import make_home, make_letter, make_person, send_now

    def reachable(username: str):
        return make_person(
            username,
            email=f"{username}@home.test",
            email_confirmed_at=timezone.now(),
            quiet_from=time(0, 0),
            quiet_until=time(0, 0),  # none: the tests run at any hour
        )

    jess = reachable("jess")
    readers = [reachable(f"reader{n}") for n in range(args.readers)]
    make_home("The flat", jess, *readers)
    if args.apprise:
        from dear.notify import pushapps
        from dear.notify.models import Channel, ChannelKind

        for reader in readers:
            # Made as add_apprise makes them, without its test notification.
            url = args.apprise.replace("{reader}", reader.username)
            Channel.objects.create(
                person=reader,
                kind=ChannelKind.APPRISE,
                name=pushapps.name(url),
                secret=url,
                masked=pushapps.mask(url),
            )
    letters = {}
    for n in range(args.letters):
        reader = readers[n % len(readers)]
        letter = send_now(make_letter(jess, reader, body=f"Letter number {n}."))
        letters[str(letter.pk)] = reader.email
    if args.lose_wake_ups:
        DBTaskResult.objects.all().delete()
    json.dump(
        {
            "letters": letters,
            "token": issue_token(jess, "seed"),
            "readers": {reader.email: str(reader.pk) for reader in readers},
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main(sys.argv[1:])

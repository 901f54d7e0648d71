"""Small factories with defaults, so a test says only what matters to it."""

from __future__ import annotations

from django.test import override_settings

from dear.accounts.models import Person
from dear.homes.models import Home, Membership
from dear.letters import services as letters

PASSWORD = "correct horse battery"


def make_person(username: str, display_name: str | None = None, **kw) -> Person:
    person = Person(username=username, display_name=display_name or username.title(), **kw)
    person.set_password(PASSWORD)
    person.save()
    return person


def make_home(name: str, *members: Person) -> Home:
    home = Home.objects.create(name=name)
    for person in members:
        Membership.objects.create(home=home, person=person)
    return home


def make_letter(writer: Person, to, *, home: Home | None = None, body: str = "I miss you.", **kw):
    recipients = to if isinstance(to, (list, tuple)) else [to]
    home = home or Home.objects.of_member(writer).first()
    return letters.create_letter(
        writer, home=home.pk, to=[p.pk for p in recipients], body=body, **kw
    )


def send_now(letter, **kw):
    """Send a letter with no undo window, so it is delivered the moment it is sent."""
    with override_settings(SEND_UNDO_SECONDS=0):
        return letters.send(letter.writer, letter.pk, **kw)


def import_now(person, stream):
    """Start an import and run it as the worker would; returns the import, finished."""
    from dear.archive import imports

    job = imports.start(person, stream)
    imports.run(str(job.pk))
    job.refresh_from_db()
    return job

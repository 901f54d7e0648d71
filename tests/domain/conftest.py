"""What more than one module of domain tests starts from."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from dear.archive import export
from dear.homes.models import Place
from dear.letters import services as letters
from dear.letters.models import Delivery, Letter
from tests.helpers import make_letter, send_now


@pytest.fixture
def archive(people, home):
    """Jess's export: five letters, one a reply, one a note at a place."""
    jess, rory = people["jess"], people["rory"]
    first = send_now(make_letter(jess, rory, body="The light on the stairs."))
    send_now(make_letter(rory, jess, body="I saw it.", in_reply_to=first.pk))
    place = Place.objects.create(home=home, name="The counter")
    note = send_now(make_letter(rory, jess, body="Under the cup."))
    Letter.objects.filter(pk=note.pk).update(place=place)
    Delivery.objects.filter(letter=note).update(found_at=timezone.now())
    make_letter(jess, rory, body="A draft about the garden.")
    letters.keep(jess, make_letter(jess, rory, body="Kept for later.").pk)
    buffer = io.BytesIO()
    export.write(jess, buffer)
    return buffer.getvalue()

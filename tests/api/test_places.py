"""The places API: make, rename, archive, relabel a place; its JSON and its bad input."""

from __future__ import annotations

import pytest

from dear.homes import services as homes
from dear.homes.models import Place

NOWHERE = "01900000-0000-7000-8000-000000000000"


def test_making_a_place_answers_201_with_it(home, as_rory):
    response = as_rory.post(f"/homes/{home.pk}/places", {"name": "The book", "kind": "object"})

    assert response.status_code == 201
    place = Place.objects.get()
    assert response.json() == {
        "id": str(place.pk),
        "name": "The book",
        "kind": "object",
        "at": "in the book",
        "label_url": f"http://testserver/p/{place.label}",
        "waiting": False,
        "archived_at": None,
    }


def test_a_place_is_a_spot_unless_said_otherwise(home, as_rory):
    assert as_rory.post(f"/homes/{home.pk}/places", {"name": "Fridge"}).json()["kind"] == "spot"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"name": ""}, "Give the place a name"),
        ({"name": "x" * 81}, "at most 80 characters"),
        ({"name": "a\x00b"}, "NUL"),
        ({"name": "ok", "kind": "cupboard"}, "kind"),
        ({}, "name"),
        ({"name": 7}, "name"),
    ],
)
def test_bad_place_input_is_a_clear_422(home, as_jess, body, words):
    response = as_jess.post(f"/homes/{home.pk}/places", body)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert words in response.json()["error"]["message"]
    assert not Place.objects.exists()


def test_renaming_a_place(home, jess, as_sam):
    place = homes.create_place(jess, home.pk, "Counter")
    response = as_sam.patch(f"/places/{place.pk}", {"name": "The kitchen counter"})

    assert response.status_code == 200
    assert response.json()["name"] == "The kitchen counter"


def test_archiving_hides_the_place_from_the_home_and_restore_brings_it_back(home, jess, as_rory):
    place = homes.create_place(jess, home.pk, "Counter")

    archived = as_rory.post(f"/places/{place.pk}/archive").json()
    assert archived["archived_at"] is not None
    assert as_rory.get(f"/homes/{home.pk}").json()["places"] == []

    assert as_rory.post(f"/places/{place.pk}/restore").json()["archived_at"] is None
    assert len(as_rory.get(f"/homes/{home.pk}").json()["places"]) == 1


def test_replacing_the_label_changes_its_url(home, jess, as_rory, client):
    place = homes.create_place(jess, home.pk, "Counter")
    old = f"http://testserver/p/{place.label}"

    new = as_rory.post(f"/places/{place.pk}/label").json()["label_url"]

    assert new != old and new.startswith("http://testserver/p/")
    client.force_login(jess)
    assert client.get(old.removeprefix("http://testserver")).status_code == 404
    assert client.get(new.removeprefix("http://testserver")).status_code == 302


@pytest.mark.parametrize("place", [NOWHERE, "not-a-uuid"])
def test_a_missing_place_is_404(home, as_jess, place):
    assert as_jess.get(f"/places/{place}").status_code == 404


def test_an_outsiders_404_is_the_same_as_for_a_missing_place(home, jess, as_olive):
    place = homes.create_place(jess, home.pk, "Counter")
    for method, suffix, body in [
        ("get", "", None),
        ("patch", "", {"name": "Mine now"}),
        ("post", "/archive", None),
        ("post", "/restore", None),
        ("post", "/label", None),
    ]:
        theirs = as_olive.call(method, f"/places/{place.pk}{suffix}", body)
        missing = as_olive.call(method, f"/places/{NOWHERE}{suffix}", body)
        assert theirs.status_code == missing.status_code == 404
        assert theirs.json() == missing.json()
    assert Place.objects.get().name == "Counter"

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dear.homes.models import Home, Place
from dear.letters import services
from dear.letters.models import Delivery, Letter
from tests.helpers import make_letter, send_now


def note_at(place, writer, to, *, hint=True):
    """A delivered note. Places have no service yet, so the test puts it there itself."""
    letter = send_now(make_letter(writer, to))
    Letter.objects.filter(pk=letter.pk).update(place=place, hint=hint)
    return letter


def test_creating_a_home_makes_me_its_only_member(jess, as_jess):
    response = as_jess.post("/homes", {"name": "  The  cabin "})

    assert response.status_code == 201
    home = response.json()
    assert home["name"] == "The cabin"
    assert home["members"] == [{"id": str(jess.pk), "username": "jess", "display_name": "Jess"}]
    assert home["places"] == []
    assert Home.objects.filter(pk=home["id"]).exists()


def test_home_needs_a_name(as_jess):
    response = as_jess.post("/homes", {"name": "   "})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


def test_home_lists_its_members_and_open_places(home, as_rory):
    Place.objects.create(home=home, name="Kitchen counter")
    Place.objects.create(home=home, name="Old coat", archived_at=timezone.now())

    response = as_rory.get(f"/homes/{home.pk}")

    assert response.status_code == 200
    answer = response.json()
    assert [m["display_name"] for m in answer["members"]] == ["Jess", "Rory", "Sam"]
    assert [p["name"] for p in answer["places"]] == ["Kitchen counter"]


def test_place_label_url_is_absolute(home, as_rory):
    place = Place.objects.create(home=home, name="Kitchen counter")

    answer = as_rory.get(f"/homes/{home.pk}").json()

    assert answer["places"][0]["label_url"] == f"http://testserver/p/{place.label}"


def test_place_is_waiting_for_the_recipient_of_a_hinted_unfound_note(home, jess, rory, as_rory):
    place = Place.objects.create(home=home, name="The book he is reading")
    note_at(place, jess, rory, hint=True)

    answer = as_rory.get(f"/homes/{home.pk}").json()

    assert answer["places"][0]["waiting"] is True


def test_place_is_not_waiting_for_someone_else(home, jess, rory, as_sam, as_jess):
    place = Place.objects.create(home=home, name="The book he is reading")
    note_at(place, jess, rory, hint=True)

    assert as_sam.get(f"/homes/{home.pk}").json()["places"][0]["waiting"] is False
    assert as_jess.get(f"/homes/{home.pk}").json()["places"][0]["waiting"] is False


def test_place_without_a_hint_gives_nothing_away(home, jess, rory, as_rory):
    place = Place.objects.create(home=home, name="Coat pocket")
    note_at(place, jess, rory, hint=False)

    assert as_rory.get(f"/homes/{home.pk}").json()["places"][0]["waiting"] is False


def test_place_stops_waiting_once_the_note_is_found(home, jess, rory, as_rory):
    place = Place.objects.create(home=home, name="Coat pocket")
    letter = note_at(place, jess, rory)
    Delivery.objects.filter(letter=letter).update(found_at=timezone.now())

    assert as_rory.get(f"/homes/{home.pk}").json()["places"][0]["waiting"] is False


def test_place_is_not_waiting_before_the_note_is_delivered(home, jess, rory, as_rory):
    place = Place.objects.create(home=home, name="Coat pocket")
    letter = make_letter(jess, rory)
    Letter.objects.filter(pk=letter.pk).update(place=place, hint=True)
    services.send(jess, letter.pk, deliver_at=timezone.now() + timedelta(hours=1))

    assert as_rory.get(f"/homes/{home.pk}").json()["places"][0]["waiting"] is False


def test_home_page_takes_the_same_queries_however_many_places(home, jess, rory, as_rory):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_rory.get(f"/homes/{home.pk}").status_code == 200
        return len(queries)

    Place.objects.create(home=home, name="Counter")
    count()  # the first request also marks the token used
    few = count()
    for n in range(6):
        note_at(Place.objects.create(home=home, name=f"Shelf {n}"), jess, rory)

    assert count() == few


def test_outsider_gets_the_same_404_as_for_a_home_that_does_not_exist(home, as_olive):
    theirs = as_olive.get(f"/homes/{home.pk}")
    missing = as_olive.get("/homes/01900000-0000-7000-8000-000000000000")
    malformed = as_olive.get("/homes/not-a-uuid")

    assert theirs.status_code == missing.status_code == malformed.status_code == 404
    assert theirs.json() == missing.json() == malformed.json()

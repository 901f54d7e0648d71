"""POST /glances, GET /moments and PUT /homes/{id}/glance-window.

A second glance at the same person inside the window is refused with 429 rate_limited."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from tests.helpers import make_home, make_letter


@pytest.fixture
def clock():
    with time_machine.travel("2030-03-01 08:00Z", tick=False) as traveller:
        yield traveller


def test_a_one_sided_glance_is_not_mutual_and_shows_nobody_anything(as_jess, as_rory, rory, clock):
    response = as_jess.post("/glances", {"to": str(rory.pk)})

    assert response.status_code == 201
    assert response.json() == {"mutual": False}
    assert as_rory.get("/moments").json() == {"items": [], "next": None}
    assert as_jess.get("/moments").json() == {"items": [], "next": None}


def test_a_glance_back_within_the_window_is_a_moment_for_both(
    as_jess, as_rory, jess, rory, home, clock
):
    as_jess.post("/glances", {"to": str(rory.pk)})
    clock.shift(timedelta(minutes=20))

    response = as_rory.post("/glances", {"to": str(jess.pk)})

    assert response.json() == {"mutual": True}
    for client, other in ((as_jess, rory), (as_rory, jess)):
        [moment] = client.get("/moments").json()["items"]
        assert moment["kind"] == "glance"
        assert moment["with"] == {"id": str(other.pk), "display_name": other.display_name}
        assert moment["home"] == str(home.pk)
        assert moment["at"] == "2030-03-01T08:20:00Z"
        assert moment["my_letter"] is moment["their_letter"] is None


def test_a_second_glance_inside_the_window_is_refused_with_429(as_jess, rory, clock):
    as_jess.post("/glances", {"to": str(rory.pk)})
    clock.shift(timedelta(minutes=59))

    response = as_jess.post("/glances", {"to": str(rory.pk)})

    assert response.status_code == 429
    assert response.json()["error"] == {
        "code": "rate_limited",
        "message": "You glanced at Rory less than an hour ago. One glance each per window, "
        "so you can glance again after 09:00 UTC on 1 March.",
    }


def test_sealed_pairs_are_moments_too_newest_first(as_jess, as_rory, jess, rory, clock):
    as_jess.post(f"/letters/{make_letter(jess, rory).pk}/seal")
    clock.shift(timedelta(minutes=1))
    his = as_rory.post(f"/letters/{make_letter(rory, jess).pk}/seal").json()
    clock.shift(timedelta(minutes=1))
    as_jess.post("/glances", {"to": str(rory.pk)})
    as_rory.post("/glances", {"to": str(jess.pk)})

    items = as_jess.get("/moments").json()["items"]

    assert [one["kind"] for one in items] == ["glance", "sealed"]
    assert items[1]["their_letter"] == his["id"]
    assert items[1]["my_letter"] is not None
    assert as_rory.get("/moments").json()["items"][1]["my_letter"] == his["id"]


def test_moments_page_by_cursor(as_jess, as_rory, jess, rory, clock):
    for _ in range(3):
        as_jess.post("/glances", {"to": str(rory.pk)})
        as_rory.post("/glances", {"to": str(jess.pk)})
        clock.shift(timedelta(hours=1))

    first = as_jess.get("/moments").json()
    assert len(first["items"]) == 3 and first["next"] is None
    assert as_jess.get("/moments", {"cursor": "nonsense"}).status_code == 422


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 422, "invalid"),
        ({"to": "not-a-uuid"}, 422, "invalid"),
        ({"to": "01900000-0000-7000-8000-000000000000"}, 404, "not_found"),
    ],
)
def test_a_glance_needs_a_housemate(as_jess, body, status, code):
    response = as_jess.post("/glances", body)

    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_glancing_at_an_outsider_is_the_404_of_nobody(as_jess, olive, other_home):
    outsider = as_jess.post("/glances", {"to": str(olive.pk)})
    nobody = as_jess.post("/glances", {"to": "01900000-0000-7000-8000-000000000000"})

    assert outsider.status_code == nobody.status_code == 404
    assert outsider.content == nobody.content


def test_two_shared_homes_need_the_home_named(jess, rory, clock):
    from tests.api.conftest import client_for

    flat = make_home("The flat", jess, rory)
    make_home("The cabin", jess, rory)
    as_jess = client_for(jess)

    unclear = as_jess.post("/glances", {"to": str(rory.pk)})
    named = as_jess.post("/glances", {"to": str(rory.pk), "home": str(flat.pk)})

    assert unclear.status_code == 422
    assert "more than one home" in unclear.json()["error"]["message"]
    assert named.status_code == 201


def test_any_member_may_set_the_glance_window(as_rory, home):
    response = as_rory.call("put", f"/homes/{home.pk}/glance-window", {"minutes": 15})

    assert response.status_code == 200
    assert response.json() == {"home": str(home.pk), "minutes": 15}
    assert as_rory.get(f"/homes/{home.pk}").json()["glance_window_minutes"] == 15


@pytest.mark.parametrize("minutes", [4, 1441, "ten"])
def test_the_glance_window_is_from_5_minutes_to_24_hours(as_rory, home, minutes):
    response = as_rory.call("put", f"/homes/{home.pk}/glance-window", {"minutes": minutes})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert as_rory.get(f"/homes/{home.pk}").json()["glance_window_minutes"] == 60

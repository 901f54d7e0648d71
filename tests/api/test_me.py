from datetime import time

import pytest

from tests.api.conftest import client_for
from tests.helpers import make_home


def test_me_names_me_and_my_homes(jess, home):
    second = make_home("The cabin", jess)

    response = client_for(jess).get("/me")

    assert response.status_code == 200
    assert response.json() == {
        "id": str(jess.pk),
        "username": "jess",
        "display_name": "Jess",
        "homes": [
            {"id": str(home.pk), "name": "The flat"},
            {"id": str(second.pk), "name": "The cabin"},
        ],
        "receipts": True,
        "time_zone": "",
        "quiet_from": "22:00",
        "quiet_until": "07:00",
    }


def test_me_leaves_out_homes_i_do_not_belong_to(olive, other_home, home):
    homes = client_for(olive).get("/me").json()["homes"]

    assert homes == [{"id": str(other_home.pk), "name": "Olive's house"}]


def test_me_says_my_time_zone_and_quiet_hours(jess, home):
    jess.time_zone = "Europe/Lisbon"
    jess.quiet_from = time(23, 30)
    jess.save()

    me = client_for(jess).get("/me").json()

    assert (me["time_zone"], me["quiet_from"], me["quiet_until"]) == (
        "Europe/Lisbon",
        "23:30",
        "07:00",
    )


def test_patch_me_sets_my_zone_and_quiet_hours_leaving_the_rest_as_it_was(jess, home):
    client = client_for(jess)

    response = client.patch("/me", {"time_zone": "America/New_York", "quiet_until": "06:45"})

    assert response.status_code == 200, response.content
    me = response.json()
    assert (me["time_zone"], me["quiet_from"], me["quiet_until"]) == (
        "America/New_York",
        "22:00",
        "06:45",
    )
    assert me["homes"] == [{"id": str(home.pk), "name": "The flat"}]
    jess.refresh_from_db()
    assert (jess.time_zone, jess.quiet_until) == ("America/New_York", time(6, 45))


def test_patch_me_with_a_blank_zone_forgets_it(jess):
    jess.time_zone = "Asia/Tokyo"
    jess.save()

    me = client_for(jess).patch("/me", {"time_zone": ""}).json()

    assert me["time_zone"] == ""


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "not a time zone Dear knows"),
        ({"time_zone": "America"}, "not a time zone Dear knows"),
        ({"time_zone": "localtime"}, "not a time zone Dear knows"),
        ({"quiet_from": "10pm"}, "24-hour clock"),
        ({"quiet_from": "24:00"}, "24-hour clock"),
        ({"quiet_until": "7:00"}, "24-hour clock"),
        ({"quiet_until": "07:00:00"}, "24-hour clock"),
        # One bad field: nothing is stored, not even the good one.
        ({"time_zone": "Europe/Lisbon", "quiet_from": "late"}, "24-hour clock"),
    ],
)
def test_patch_me_refuses_what_is_not_a_zone_or_a_time_and_changes_nothing(jess, body, says):
    response = client_for(jess).patch("/me", body)

    assert response.status_code == 422
    assert says in response.json()["error"]["message"]
    jess.refresh_from_db()
    assert (jess.time_zone, jess.quiet_from, jess.quiet_until) == ("", time(22, 0), time(7, 0))


def test_patch_me_needs_a_token(anon):
    assert anon.patch("/me", {"time_zone": "Europe/Lisbon"}).status_code == 401

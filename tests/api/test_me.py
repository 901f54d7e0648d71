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
    }


def test_me_leaves_out_homes_i_do_not_belong_to(olive, other_home, home):
    homes = client_for(olive).get("/me").json()["homes"]

    assert homes == [{"id": str(other_home.pk), "name": "Olive's house"}]

import pytest

from dear.accounts import services
from dear.accounts.models import ApiToken, Person
from dear.homes import services as homes
from dear.lib.errors import Forbidden, Invalid, RateLimited, Unauthorized
from tests.helpers import PASSWORD, make_person


def test_the_very_first_person_may_sign_up_without_an_invite(db):
    person = services.signup(username="jess", password=PASSWORD, display_name="Jess")
    assert person.check_password(PASSWORD)
    assert person.password.startswith("md5$")  # tests swap Argon2 for speed; see conftest


def test_after_the_first_person_signing_up_needs_an_invite(jess):
    with pytest.raises(Forbidden):
        services.signup(username="stranger", password=PASSWORD, display_name="S")
    assert not Person.objects.filter(username="stranger").exists()


def test_open_signup_lets_anyone_in(jess, settings):
    settings.OPEN_SIGNUP = True
    assert services.signup(username="nell", password=PASSWORD, display_name="Nell")


def test_passwords_are_hashed_with_argon2_outside_tests(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    person = services.create_person(username="jess", password=PASSWORD, display_name="Jess")
    assert person.password.startswith("argon2")


@pytest.mark.parametrize(
    "fields",
    [
        {"username": "", "password": PASSWORD, "display_name": "A"},
        {"username": "has space", "password": PASSWORD, "display_name": "A"},
        {"username": "ok", "password": "short", "display_name": "A"},
        {"username": "ok", "password": PASSWORD, "display_name": "  "},
        {"username": "ok", "password": PASSWORD, "display_name": "A", "email": "nope"},
    ],
)
def test_signup_refuses_bad_fields_and_stores_nothing(db, fields):
    with pytest.raises(Invalid):
        services.signup(**fields)
    assert not Person.objects.exists()


def test_usernames_are_unique_whatever_their_case(jess):
    with pytest.raises(Invalid):
        services.create_person(username="JESS", password=PASSWORD, display_name="Other")


def test_wrong_password_and_unknown_user_fail_alike(jess):
    with pytest.raises(Unauthorized) as wrong:
        services.login("jess", "nope", address="10.0.0.1")
    with pytest.raises(Unauthorized) as unknown:
        services.login("nobody", "nope", address="10.0.0.1")
    assert wrong.value.message == unknown.value.message


def test_failed_logins_are_limited_per_address(jess, rory, settings):
    settings.LOGIN_LIMIT_PER_ADDRESS = 3
    for name in ("a", "b", "c"):
        with pytest.raises(Unauthorized):
            services.login(name, "nope", address="10.9.9.9")
    with pytest.raises(RateLimited):
        services.login("rory", PASSWORD, address="10.9.9.9")
    assert services.login("rory", PASSWORD, address="10.9.9.10") == rory


def test_tokens_are_stored_only_as_digests_and_can_be_revoked(jess):
    raw = services.issue_token(jess, "laptop")
    stored = ApiToken.objects.get()
    assert raw not in stored.digest
    person, token = services.person_for_token(raw)
    assert person == jess
    services.revoke_token(token)
    assert services.person_for_token(raw) is None


def test_a_disabled_person_cannot_use_their_token(jess):
    raw = services.issue_token(jess)
    Person.objects.filter(pk=jess.pk).update(is_active=False)
    assert services.person_for_token(raw) is None


def test_changing_password_needs_the_current_one(jess):
    with pytest.raises(Invalid):
        services.change_password(jess, "wrong", "a new long passphrase")
    services.change_password(jess, PASSWORD, "a new long passphrase")
    jess.refresh_from_db()
    assert jess.check_password("a new long passphrase")


def test_an_unknown_token_finds_nobody(jess):
    assert services.person_for_token("dear_nothing") is None
    assert services.person_for_token("") is None


def test_successful_logins_never_count_towards_the_limit(jess, settings):
    for _ in range(settings.LOGIN_LIMIT + 3):
        assert services.login("jess", PASSWORD, address="10.0.0.1") == jess


def test_a_username_of_any_length_fails_cleanly(jess):
    with pytest.raises(Unauthorized):
        services.login("j" * 5000, "nope", address="10.0.0.1")


def test_an_email_longer_than_the_column_is_refused(db):
    with pytest.raises(Invalid):
        services.create_person(
            username="jess",
            password=PASSWORD,
            display_name="Jess",
            email="a" * 64 + "@" + "b" * 250 + ".org",
        )


def test_a_name_cannot_take_a_housemates_name_in_any_case(jess, rory, home):
    with pytest.raises(Invalid, match="Jess already goes by that name"):
        services.update_profile(rory, display_name="  JESS ")
    rory.refresh_from_db()
    assert rory.display_name == "Rory"
    # Someone in no home of Rory's may share a name with him.
    stranger = make_person("rory2", "Sam")
    assert services.update_profile(stranger, display_name="Rory").display_name == "Rory"


@pytest.mark.parametrize(
    "lookalike",
    ["\u0408ess", "J\u0435ss", "J\u00e9ss", "\uff2aess", "Je\u0455\u0455", "J\u0415SS"],
    ids=["cyrillic-je", "cyrillic-ie", "accented", "fullwidth", "cyrillic-dze", "capital-ie"],
)
def test_a_name_cannot_take_a_housemates_name_in_letters_that_look_the_same(
    jess, rory, home, lookalike
):
    with pytest.raises(Invalid, match="Jess already goes by that name"):
        services.update_profile(rory, display_name=lookalike)
    rory.refresh_from_db()
    assert rory.display_name == "Rory"


@pytest.mark.parametrize("other", ["Jesse", "Tess", "Jess B", "\u0416ess"])
def test_a_name_only_like_a_housemates_is_allowed(jess, rory, home, other):
    assert services.update_profile(rory, display_name=other).display_name == other


def test_a_name_loses_the_characters_that_reorder_or_hide_text(jess):
    spoofed = "Ror\u202ey\u2066 \u200bB\u2069"
    assert services.update_profile(jess, display_name=spoofed).display_name == "Rory B"


def test_joining_a_home_where_someone_has_your_name_asks_for_another(jess, home):
    invite = homes.create_invite(jess, home.pk)
    with pytest.raises(Invalid, match="Jess already goes by that name in"):
        services.signup(
            username="jess2", password=PASSWORD, display_name="jess", invite=invite.code
        )
    assert not Person.objects.filter(username="jess2").exists()
    newcomer = services.signup(
        username="jess2", password=PASSWORD, display_name="Jess M", invite=invite.code
    )
    assert newcomer.display_name == "Jess M"

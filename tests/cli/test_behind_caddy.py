"""Dear behind a real Caddy, configured as the README's "Behind Caddy" says: HTTPS from
the proxy reaches Dear as HTTPS, and each client behind it is told apart."""

from __future__ import annotations

import re

import httpx

from tests.caddy import caddy_env
from tests.cli.household import post_form
from tests.helpers import PASSWORD

# Enough to reach any wait: failures past DEAR_LOGIN_LIMIT (5) wait 1 s, 2, 4, 8… so one
# of these is refused however slowly the machine answers.
MOST_GUESSES = 12


def counted_addresses(server) -> set[str]:
    """The client addresses the server's login limiter has counted failures from."""
    rows = server.query("SELECT key FROM accounts_loginfailure WHERE key LIKE 'address:%'")
    return {key.removeprefix("address:") for (key,) in rows}


def make_rory(caddy) -> None:
    with caddy.client() as client:
        made = post_form(
            client,
            caddy,
            "/",
            {
                "display_name": "Rory",
                "username": "rory",
                "password": PASSWORD,
                "home_name": "The flat",
            },
        )
    assert made.status_code == 302, made.text


def test_over_caddys_https_cookies_are_secure_and_hsts_arrives(dear_server_factory, caddy_factory):
    caddy = caddy_factory(dear_server_factory(env=caddy_env()))
    make_rory(caddy)

    with caddy.client() as client:
        page = client.get(caddy.url("/login"))
        assert page.status_code == 200
        assert page.headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        (csrf,) = page.headers.get_list("Set-Cookie")
        assert csrf.startswith("csrftoken=") and "; Secure" in csrf

        logged_in = post_form(client, caddy, "/login", {"username": "rory", "password": PASSWORD})
        assert logged_in.status_code == 302
        assert logged_in.headers["Location"] == "/"
        session = [c for c in logged_in.headers.get_list("Set-Cookie") if "sessionid=" in c]
        assert session and "; Secure" in session[0], logged_in.headers
        assert client.get(caddy.url("/")).status_code == 200  # the secure cookie came back


def test_plain_http_to_caddy_is_sent_to_https(dear_server_factory, caddy_factory):
    caddy = caddy_factory(dear_server_factory(env=caddy_env()))
    answer = httpx.get(
        f"http://127.0.0.1:{caddy.http_port}/login?next=/inbox", headers={"Host": caddy.name}
    )
    assert answer.status_code in (301, 308)
    # Caddy sends it on to the site's HTTPS address, path and query kept.
    assert re.fullmatch(
        rf"https://{re.escape(caddy.name)}(:\d+)?/login\?next=/inbox", answer.headers["Location"]
    )


def test_guessing_from_one_client_slows_down_that_client_not_another_behind_the_same_proxy(
    dear_server_factory, caddy_factory
):
    server = dear_server_factory(env=caddy_env())
    caddy = caddy_factory(server)
    make_rory(caddy)

    with caddy.client(local_address="127.0.0.2") as guesser:
        answers = []
        for _ in range(MOST_GUESSES):
            answer = post_form(guesser, caddy, "/login", {"username": "rory", "password": "nope"})
            answers.append(answer.status_code)
            if answer.status_code == 429:
                break
    assert answers[:5] == [401] * 5, answers  # DEAR_LOGIN_LIMIT's free tries
    assert answers[-1] == 429, answers
    assert "Too many failed logins from here." in answer.text
    assert counted_addresses(server) == {"127.0.0.2"}  # the client's, not Caddy's 127.0.0.1

    # At once, from another address, Rory's own password lets him in.
    with caddy.client(local_address="127.0.0.3") as rory:
        logged_in = post_form(rory, caddy, "/login", {"username": "rory", "password": PASSWORD})
        assert logged_in.status_code == 302, logged_in.text
        assert rory.get(caddy.url("/")).status_code == 200


def test_without_trusted_proxies_every_client_behind_caddy_counts_as_caddy(
    dear_server_factory, caddy_factory
):
    server = dear_server_factory(env=caddy_env(DEAR_TRUSTED_PROXIES=""))
    caddy = caddy_factory(server)
    make_rory(caddy)
    for address in ("127.0.0.2", "127.0.0.3"):
        with caddy.client(local_address=address) as guesser:
            answer = post_form(guesser, caddy, "/login", {"username": "rory", "password": "no"})
            assert answer.status_code == 401
    # Both clients' failures went into Caddy's one count, which is why the README asks
    # for DEAR_TRUSTED_PROXIES.
    assert counted_addresses(server) == {"127.0.0.1"}

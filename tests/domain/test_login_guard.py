"""Guessing passwords is slowed down where the guessing happens, and nowhere else: no one
can lock a person out by typing wrong passwords for them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dear.accounts import guard, services
from dear.lib.errors import RateLimited, Unauthorized
from tests.helpers import PASSWORD


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def wrong(username="jess", address="10.0.0.1", device=""):
    with pytest.raises(Unauthorized):
        services.login(username, "not it", address=address, device=device)


def refused_for(username="jess", password=PASSWORD, address="10.0.0.1", device="") -> int:
    with pytest.raises(RateLimited) as refusal:
        services.login(username, password, address=address, device=device)
    return refusal.value.retry_after


def test_after_the_free_tries_each_wait_doubles_and_a_wait_kept_lets_one_more_try(
    jess, settings, clock
):
    for _ in range(settings.LOGIN_LIMIT):
        wrong()
    waits = []
    for _ in range(6):
        waits.append(refused_for())  # even the right password waits its turn here
        clock.shift(timedelta(seconds=waits[-1]))
        wrong()
    assert waits == [1, 2, 4, 8, 16, 32]
    assert refused_for() == 64


def test_the_wait_is_never_longer_than_the_window(jess, settings, clock):
    settings.LOGIN_LIMIT = 1
    wrong()
    for _ in range(14):
        clock.shift(timedelta(seconds=refused_for()))
        wrong()
    assert refused_for() == settings.LOGIN_WINDOW_SECONDS
    clock.shift(timedelta(seconds=settings.LOGIN_WINDOW_SECONDS))
    assert services.login("jess", PASSWORD, address="10.0.0.1") == jess


def test_guessing_from_elsewhere_never_refuses_the_right_password(jess, settings, clock):
    for n in range(10):
        for _ in range(settings.LOGIN_LIMIT):
            wrong(address=f"10.0.0.{n}")
        assert refused_for(address=f"10.0.0.{n}") == 1
    assert services.login("jess", PASSWORD, address="192.168.1.20") == jess


def test_a_device_that_logged_in_before_is_not_slowed_by_guessing_at_its_address(
    jess, settings, clock
):
    settings.LOGIN_LIMIT_PER_ADDRESS = 3
    jess_laptop = guard.known_device(guard.remember_device("jess"), "jess")
    for name in ("jess", "rory", "sam"):
        wrong(name, address="10.0.0.1")
    assert refused_for(address="10.0.0.1") == 1  # this address has been guessing
    assert services.login("jess", PASSWORD, address="10.0.0.1", device=jess_laptop) == jess


def test_a_device_is_slowed_down_by_its_own_guessing(jess, settings, clock):
    laptop = guard.known_device(guard.remember_device("jess"), "jess")
    for _ in range(settings.LOGIN_LIMIT):
        wrong(device=laptop)
    assert refused_for(device=laptop) == 1
    assert services.login("jess", PASSWORD, address="10.0.0.1") == jess  # without it: free


def test_a_device_note_counts_only_for_its_own_account_and_only_while_fresh(db, settings, clock):
    note = guard.remember_device("jess")
    assert guard.known_device(note, "JESS ")
    assert guard.known_device(note, "rory") == ""
    assert guard.known_device(note[:-2] + "xx", "jess") == ""
    assert guard.known_device("", "jess") == ""
    clock.shift(timedelta(days=settings.DEVICE_COOKIE_DAYS + 1))
    assert guard.known_device(note, "jess") == ""


def test_the_right_password_clears_what_was_mistyped_from_there(jess, settings, clock):
    for _ in range(settings.LOGIN_LIMIT - 1):
        wrong()
    assert services.login("jess", PASSWORD, address="10.0.0.1") == jess
    for _ in range(settings.LOGIN_LIMIT):
        wrong()  # all free again
    assert refused_for() == 1


def test_logging_in_to_ones_own_account_does_not_clear_an_addresss_guessing(
    jess, rory, settings, clock
):
    settings.LOGIN_LIMIT_PER_ADDRESS = 3
    for name in ("sam", "ann"):
        wrong(name)
    assert services.login("rory", PASSWORD, address="10.0.0.1") == rory
    wrong("bea")
    assert refused_for("jess") == 1


def test_asking_again_for_the_password_is_slowed_down_apart_from_logins(jess, settings, clock):
    for _ in range(settings.LOGIN_LIMIT):
        with pytest.raises(services.Invalid):
            services.check_password_again(jess, "not it")
    with pytest.raises(RateLimited):
        services.check_password_again(jess, PASSWORD)
    # A borrowed session's guessing never refuses Jess at the login page.
    assert services.login("jess", PASSWORD, address="10.0.0.1") == jess


def test_addresses_of_one_ipv6_network_count_as_one(jess, settings, clock):
    for n in range(settings.LOGIN_LIMIT):
        wrong(address=f"2001:db8:1:2::{n + 1:x}")
    assert refused_for(address="2001:db8:1:2::99") == 1
    assert services.login("jess", PASSWORD, address="2001:db8:1:3::1") == jess

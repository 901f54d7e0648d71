"""“Forgot your password?”: a link by email to a confirmed address, the same answer for
every account or none, and a new password that ends every session."""

from __future__ import annotations

import logging
import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from dear.accounts import reset
from dear.accounts.models import ApiToken
from tests.api.conftest import ApiClient, client_for
from tests.helpers import PASSWORD, make_person
from tests.web.conftest import without_csrf

NEW_PASSWORD = "a new and better secret"


@pytest.fixture
def jess_confirmed(jess):
    jess.email = "jess@home.test"
    jess.email_confirmed_at = timezone.now()
    jess.save()
    return jess


def worker(**options) -> Worker:
    return Worker(
        **{
            "queue_names": ["default"],
            "interval": 0,
            "batch": True,
            "backend_name": "default",
            "startup_delay": False,
            "max_tasks": None,
            "worker_id": "test",
            "excluded_queue_names": [],
            **options,
        }
    )


def run_queued() -> None:
    """Run the queued tasks in this process, one by one as the worker runs them. (Its
    loop closes the database connection, which a test's transaction cannot survive.)"""
    runner = worker()
    for queued in DBTaskResult.objects.ready():
        queued.claim("test")
        runner.run_task(queued)


def ask(client, who: str):
    response = client.post("/password/forgot", {"who": who})
    run_queued()
    return response


def link_in(received) -> str:
    return re.search(r"http://dear\.test(/password/reset/\S+)", received.text()).group(1)


def test_the_login_page_offers_a_reset_only_when_email_is_set_up(client_of, db, settings):
    settings.EMAIL_URL = "smtp://127.0.0.1:25"
    offered = client_of(None).get("/login").content.decode()
    settings.EMAIL_URL = ""
    not_offered = client_of(None).get("/login").content.decode()

    assert "Forgot your password?" in offered
    assert "Forgot your password?" not in not_offered


def test_a_link_goes_to_the_confirmed_address_by_username(mailbox, jess_confirmed, client_of):
    response = ask(client_of(None), "JESS")

    assert response.status_code == 200
    assert reset.SENT in response.content.decode()
    (sent,) = mailbox.messages
    assert sent.envelope_to == ["jess@home.test"]
    assert sent.subject == "Set a new password for Dear"


def test_asking_about_an_account_or_nobody_does_the_same_in_the_request(
    mailbox, jess_confirmed, client_of, monkeypatch
):
    started = []
    start = threading.Thread.start
    monkeypatch.setattr(threading.Thread, "start", lambda t: (started.append(t), start(t)))

    def asking(who: str) -> dict:
        threads = threading.active_count()
        with CaptureQueriesContext(connection) as queries:
            response = client_of(None).post("/password/forgot", {"who": who})
        return {
            "status": response.status_code,
            "page": without_csrf(response.content),
            "queries": [shape(query["sql"]) for query in queries],
            "threads": threading.active_count() - threads,
        }

    asking("someone")  # the first request warms up what every later one finds ready
    known = asking("jess")
    unknown = asking("nobody-here")

    assert known == unknown
    assert known["threads"] == 0
    assert started == []
    assert mailbox.messages == []
    queued = DBTaskResult.objects.order_by("enqueued_at")
    assert [(row.task_path, row.args_kwargs["args"], row.status) for row in queued] == [
        (reset.send_reset_links.module_path, [who], TaskResultStatus.READY)
        for who in ("someone", "jess", "nobody-here")
    ]
    run_queued()
    assert [m.envelope_to for m in mailbox.messages] == [["jess@home.test"]]


def shape(sql: str) -> str:
    """A statement without its values: what was typed, the time and ids differ."""
    return re.sub(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b", "?", sql)


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_link(mailbox, jess_confirmed, client_of):
    client_of(None).post("/password/forgot", {"who": "jess"})

    worker().run()

    (sent,) = mailbox.messages
    assert sent.envelope_to == ["jess@home.test"]
    (done,) = DBTaskResult.objects.all()
    assert (done.status, done.return_value) == (TaskResultStatus.SUCCESSFUL, 1)


def test_what_was_typed_stays_out_of_the_logs(mailbox, jess_confirmed, client_of, caplog):
    mailbox.refuse.append("451 4.3.0 try later")

    with caplog.at_level(logging.DEBUG):
        ask(client_of(None), "JESS")
        ask(client_of(None), "Nobody@Where.test")

    assert "did not go" in caplog.text
    assert "JESS" not in caplog.text
    assert "Nobody@Where.test".lower() not in caplog.text.lower()


def test_a_link_asked_for_before_email_was_turned_off_is_not_sent(
    mailbox, jess_confirmed, client_of, settings
):
    client_of(None).post("/password/forgot", {"who": "jess"})
    settings.EMAIL_URL = ""

    run_queued()

    assert mailbox.messages == []
    (done,) = DBTaskResult.objects.all()
    assert (done.status, done.return_value) == (TaskResultStatus.SUCCESSFUL, 0)


def test_a_link_goes_by_address_too(mailbox, jess_confirmed, client_of):
    ask(client_of(None), "Jess@Home.test")

    assert [m.envelope_to for m in mailbox.messages] == [["jess@home.test"]]


def test_every_account_sharing_the_address_gets_its_own_link(mailbox, jess_confirmed, client_of):
    make_person("jess2", email="jess@home.test", email_confirmed_at=timezone.now())

    ask(client_of(None), "jess@home.test")

    assert len(mailbox.messages) == 2
    assert len({link_in(m) for m in mailbox.messages}) == 2


def test_nobody_learns_which_accounts_exist_or_have_an_address(mailbox, jess_confirmed, client_of):
    make_person("rory", email="rory@home.test")  # not confirmed
    answers = [
        without_csrf(ask(client_of(None), who).content)
        for who in ("jess", "rory", "nobody-here", "rory@home.test", "who@where.test")
    ]

    assert len(set(answers)) == 1
    assert [m.envelope_to for m in mailbox.messages] == [["jess@home.test"]]


def test_a_disabled_account_gets_no_link(mailbox, jess_confirmed, client_of):
    jess_confirmed.is_active = False
    jess_confirmed.save()

    ask(client_of(None), "jess")

    assert mailbox.messages == []


def test_the_link_sets_a_new_password_and_ends_every_session(mailbox, jess_confirmed, client_of):
    elsewhere = client_of(jess_confirmed)
    assert elsewhere.get("/settings").status_code == 200
    ask(client_of(None), "jess")
    link = link_in(mailbox.messages[0])
    browser = client_of(None)

    form = browser.get(link)
    done = browser.post(link, {"new_password": NEW_PASSWORD}, follow=True)

    assert form.status_code == 200
    assert "Choose a new password" in form.content.decode()
    assert "Your new password is set. You are signed out everywhere" in done.content.decode()
    jess_confirmed.refresh_from_db()
    assert jess_confirmed.check_password(NEW_PASSWORD)
    assert elsewhere.get("/settings").status_code == 302


def test_after_a_reset_the_old_api_tokens_answer_401(mailbox, jess_confirmed, rory, client_of):
    laptop = client_for(jess_confirmed)
    rorys = client_for(rory)
    assert laptop.get("/me").status_code == 200
    ask(client_of(None), "jess")
    link = link_in(mailbox.messages[0])

    done = client_of(None).post(link, {"new_password": NEW_PASSWORD}, follow=True)

    assert laptop.get("/me").status_code == 401
    assert not ApiToken.objects.filter(person=jess_confirmed).exists()
    assert rorys.get("/me").status_code == 200
    page = done.content.decode()
    assert (
        "You are signed out everywhere, and <code>dear</code> on your computers will ask you "
        "to log in again." in page
    )


def test_a_new_token_works_after_the_reset(mailbox, jess_confirmed, client_of):
    ask(client_of(None), "jess")
    client_of(None).post(link_in(mailbox.messages[0]), {"new_password": NEW_PASSWORD})

    answer = ApiClient().post("/tokens", {"username": "jess", "password": NEW_PASSWORD})

    assert answer.status_code == 201
    assert ApiClient(answer.json()["token"]).get("/me").status_code == 200


def test_a_link_works_once(mailbox, jess_confirmed, client_of):
    ask(client_of(None), "jess")
    link = link_in(mailbox.messages[0])
    client_of(None).post(link, {"new_password": NEW_PASSWORD})

    again = client_of(None).post(link, {"new_password": "yet another secret"})

    assert again.status_code == 410
    assert "expired or has already been used" in again.content.decode()
    jess_confirmed.refresh_from_db()
    assert jess_confirmed.check_password(NEW_PASSWORD)


def test_a_link_expires_after_an_hour(mailbox, jess_confirmed, client_of):
    ask(client_of(None), "jess")
    link = link_in(mailbox.messages[0])

    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1), tick=False):
        response = client_of(None).post(link, {"new_password": NEW_PASSWORD})

    assert response.status_code == 410
    jess_confirmed.refresh_from_db()
    assert jess_confirmed.check_password(PASSWORD)


def test_a_made_up_link_is_refused_kindly(db, client_of):
    response = client_of(None).get("/password/reset/bm9ib2R5/1a2b-3c4d")

    assert response.status_code == 410
    assert "Ask for a new one" in response.content.decode()


def test_a_weak_new_password_is_refused_and_the_link_still_works(
    mailbox, jess_confirmed, client_of
):
    ask(client_of(None), "jess")
    link = link_in(mailbox.messages[0])

    weak = client_of(None).post(link, {"new_password": "short"})
    good = client_of(None).post(link, {"new_password": NEW_PASSWORD})

    assert weak.status_code == 422
    assert "too short" in weak.content.decode()
    assert good.status_code == 302


def test_asking_again_and_again_is_slowed_down(mailbox, jess_confirmed, client_of, settings):
    settings.LOGIN_LIMIT = 2
    client = client_of(None)
    ask(client, "jess")
    ask(client, "jess")

    response = ask(client, "jess")

    assert response.status_code == 429
    assert len(mailbox.messages) == 2
    assert DBTaskResult.objects.count() == 2


def test_asking_about_nobody_is_slowed_down_just_the_same(mailbox, db, client_of, settings):
    settings.LOGIN_LIMIT = 2
    client = client_of(None)
    ask(client, "nobody")
    ask(client, "nobody")

    assert ask(client, "nobody").status_code == 429


def test_an_empty_answer_is_asked_again(mailbox, db, client_of):
    response = ask(client_of(None), "  ")

    assert response.status_code == 422
    assert "Give your username or your email address." in response.content.decode()


def test_an_answer_longer_than_any_account_name_is_asked_again(mailbox, db, client_of):
    response = ask(client_of(None), "x" * 255)

    assert response.status_code == 422
    assert "longer than any username or email address" in response.content.decode()
    assert not DBTaskResult.objects.exists()


def test_without_email_set_up_the_page_says_who_can_help(jess_confirmed, client_of, settings):
    settings.EMAIL_URL = ""

    shown = client_of(None).get("/password/forgot").content.decode()
    posted = ask(client_of(None), "jess")

    assert "has no email set up" in shown
    assert "dear manage changepassword" in shown
    assert 'name="who"' not in shown
    assert posted.status_code == 200
    assert reset.SENT not in posted.content.decode()
    assert not DBTaskResult.objects.exists()

import pytest

from dear.lib.mailurl import MailServer, parse


def test_a_plain_server_on_port_25_by_default():
    assert parse("smtp://mail.home.test") == MailServer(host="mail.home.test", port=25)


def test_starttls_defaults_to_the_submission_port():
    server = parse("smtp://mail.home.test?starttls=on")
    assert (server.port, server.starttls, server.implicit_tls) == (587, True, False)
    assert server.secure


def test_smtps_is_tls_from_the_start_on_465():
    server = parse("smtps://mail.home.test")
    assert (server.port, server.starttls, server.implicit_tls) == (465, False, True)


def test_a_port_given_wins_over_the_default():
    assert parse("smtp://mail.home.test:2525?starttls=yes").port == 2525


def test_user_and_password_are_percent_decoded():
    server = parse("smtp://dear%40example.org:s%3Acret%25%2F@smtp.example.org:587?starttls=on")
    assert server.username == "dear@example.org"
    assert server.password == "s:cret%/"
    assert server.host == "smtp.example.org"


def test_the_password_never_shows_in_repr():
    assert "hunter2" not in repr(parse("smtp://me:hunter2@mail.home.test"))


def test_an_ipv6_host_and_upper_case_scheme():
    server = parse("SMTP://[::1]:1025")
    assert (server.host, server.port) == ("::1", 1025)


def test_starttls_off_is_the_same_as_leaving_it_out():
    assert parse("smtp://mail.home.test?starttls=off") == parse("smtp://mail.home.test")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("mail.home.test", "must start with smtp:// or smtps://"),
        ("imap://mail.home.test", "it has imap://"),
        ("smtp://", "no mail server host"),
        ("smtp://:25", "no mail server host"),
        ("smtp://mail.home.test:port", "port is not a number"),
        ("smtp://mail.home.test:99999", "port is not a number"),
        ("smtp://mail.home.test:0", "port is not a number"),
        ("smtp://mail.home.test/inbox", "has a path (/inbox)"),
        ("smtp://mail.home.test#x", "#fragment"),
        ("smtp://mail.home.test?starttls=maybe", "starttls takes on or off, not 'maybe'"),
        ("smtp://mail.home.test?tls=on", "option Dear does not know: tls"),
        ("smtp://mail.home.test?starttls", "not name=value pairs"),
        ("smtps://mail.home.test?starttls=on", "starttls=on is for smtp:// only"),
        ("smtp://me@mail.home.test", "a user without a password"),
        ("smtp://:secret@mail.home.test", "a password without a user"),
        ("smtp://me:s%C3%A9same@mail.home.test", "a character outside ASCII"),
    ],
)
def test_a_bad_url_says_what_is_wrong(url, reason):
    with pytest.raises(ValueError) as caught:
        parse(url)
    assert reason in str(caught.value)


def test_an_error_never_repeats_the_password():
    with pytest.raises(ValueError) as caught:
        parse("smtp://me:hunter2@mail.home.test/path")
    assert "hunter2" not in str(caught.value)

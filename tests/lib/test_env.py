"""The typed readers settings use to read the environment."""

from __future__ import annotations

import pytest

from dear.lib import env
from dear.lib.env import Setting, SettingError


@pytest.fixture
def declared(monkeypatch):
    """Declare a throwaway setting for one test, unset in the environment."""

    def declare(name: str, default: str) -> str:
        monkeypatch.setitem(env.SETTINGS, name, Setting(name, default, "for a test"))
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"{name}_FILE", raising=False)
        return name

    return declare


@pytest.mark.parametrize("value", ["on", "ON", "true", "yes", "1", " On "])
def test_bool_reader_accepts_true_words(declared, monkeypatch, value):
    name = declared("DEAR_TEST_FLAG", "off")
    monkeypatch.setenv(name, value)
    assert env.env_bool(name) is True


@pytest.mark.parametrize("value", ["off", "False", "no", "0", ""])
def test_bool_reader_accepts_false_words(declared, monkeypatch, value):
    name = declared("DEAR_TEST_FLAG", "on")
    monkeypatch.setenv(name, value)
    assert env.env_bool(name) is False


@pytest.mark.parametrize("value", ["maybe", "enabled", "2", "o n"])
def test_bool_reader_rejects_words_it_does_not_know(declared, monkeypatch, value):
    name = declared("DEAR_TEST_FLAG", "off")
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingError, match="DEAR_TEST_FLAG must be one of"):
        env.env_bool(name)


def test_bool_reader_falls_back_to_the_declared_default(declared):
    assert env.env_bool(declared("DEAR_TEST_FLAG", "on")) is True
    assert env.env_bool(declared("DEAR_TEST_OTHER_FLAG", "off")) is False


def test_int_reader_reads_whole_numbers_and_defaults(declared, monkeypatch):
    name = declared("DEAR_TEST_COUNT", "7")
    assert env.env_int(name) == 7
    monkeypatch.setenv(name, " 12 ")
    assert env.env_int(name, minimum=12) == 12


@pytest.mark.parametrize("value", ["seven", "1.5", ""])
def test_int_reader_rejects_what_is_not_a_whole_number(declared, monkeypatch, value):
    name = declared("DEAR_TEST_COUNT", "7")
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingError, match="DEAR_TEST_COUNT must be a whole number"):
        env.env_int(name)


def test_int_reader_rejects_a_number_below_the_minimum(declared, monkeypatch):
    name = declared("DEAR_TEST_COUNT", "7")
    monkeypatch.setenv(name, "-1")
    with pytest.raises(SettingError, match="DEAR_TEST_COUNT must be at least 0; got -1"):
        env.env_int(name, minimum=0)


def test_secret_reader_reads_the_variable_itself(declared, monkeypatch):
    name = declared("DEAR_TEST_SECRET", "")
    monkeypatch.setenv(name, "s3cret")
    assert env.env_secret(name) == "s3cret"


def test_secret_reader_reads_the_file_named_by_name_file(declared, monkeypatch, tmp_path):
    name = declared("DEAR_TEST_SECRET", "")
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file\n")
    monkeypatch.setenv(f"{name}_FILE", str(secret_file))
    assert env.env_secret(name) == "from-a-file"


def test_secret_reader_prefers_the_variable_to_the_file(declared, monkeypatch, tmp_path):
    name = declared("DEAR_TEST_SECRET", "")
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file")
    monkeypatch.setenv(name, "direct")
    monkeypatch.setenv(f"{name}_FILE", str(secret_file))
    assert env.env_secret(name) == "direct"


def test_secret_reader_reports_a_file_it_cannot_read(declared, monkeypatch, tmp_path):
    name = declared("DEAR_TEST_SECRET", "")
    monkeypatch.setenv(f"{name}_FILE", str(tmp_path / "missing"))
    with pytest.raises(SettingError, match="DEAR_TEST_SECRET_FILE points at"):
        env.env_secret(name)


def test_secret_reader_gives_none_when_neither_is_set(declared, tmp_path):
    assert env.env_secret(declared("DEAR_TEST_SECRET", "")) is None


def test_readers_refuse_a_setting_that_was_never_declared(monkeypatch):
    monkeypatch.setenv("DEAR_NOT_DECLARED", "on")
    with pytest.raises(KeyError):
        env.env_str("DEAR_NOT_DECLARED")


def _pem(curve) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    return (
        ec.generate_private_key(curve)
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def test_p256_key_reader_takes_a_pem_key_from_the_variable_or_its_file(
    declared, monkeypatch, tmp_path
):
    from cryptography.hazmat.primitives.asymmetric import ec

    name = declared("DEAR_TEST_KEY", "")
    assert env.env_p256_key(name) == ""
    key = _pem(ec.SECP256R1())
    (tmp_path / "key.pem").write_text(key)
    monkeypatch.setenv(f"{name}_FILE", str(tmp_path / "key.pem"))
    assert env.env_p256_key(name) == key.strip()


def test_p256_key_reader_refuses_another_curve_or_garbage_without_repeating_it(
    declared, monkeypatch
):
    from cryptography.hazmat.primitives.asymmetric import ec

    name = declared("DEAR_TEST_KEY", "")
    for value in (_pem(ec.SECP384R1()), "not-a-key-at-all"):
        monkeypatch.setenv(name, value)
        with pytest.raises(SettingError, match="DEAR_TEST_KEY must be a P-256") as refused:
            env.env_p256_key(name)
        assert value not in str(refused.value)

"""A small zip cannot make Dear inflate a gigabyte: archive.json is checked by what it
claims to hold and by what it really holds, before it is parsed."""

from __future__ import annotations

import io
import secrets
import struct
import tracemalloc
import zipfile
from datetime import timedelta

import pytest

from dear.archive import export, importer
from dear.letters.models import Revision
from dear.lib.errors import Invalid, TooLarge
from tests.helpers import make_letter


def zipped(raw: bytes, method=zipfile.ZIP_DEFLATED) -> io.BytesIO:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=method) as archive:
        archive.writestr("archive.json", raw)
    stream.seek(0)
    return stream


def claiming(stream: io.BytesIO, size: int) -> io.BytesIO:
    """The same zip, its headers lying that archive.json inflates to ``size`` bytes."""
    data = bytearray(stream.getvalue())
    central = data.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, size)  # uncompressed size, central directory
    struct.pack_into("<I", data, 22, size)  # and in the local header
    return io.BytesIO(bytes(data))


def test_a_zip_of_whitespace_is_refused_without_inflating_it():
    bomb = zipped(b"{" + b" " * (200 * 1024 * 1024) + b"}")  # 200 MB in about 200 kB
    assert len(bomb.getvalue()) < 300 * 1024
    tracemalloc.start()
    with pytest.raises((Invalid, TooLarge)):
        importer.read(bomb)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 16 * 1024 * 1024


def test_a_zip_that_lies_about_its_size_is_read_no_further_than_it_claimed():
    honest = zipped(b"{" + b" " * (30 * 1024 * 1024) + b"}")
    liar = claiming(honest, 1024)  # says 1 kB; really 30 MB
    tracemalloc.start()
    with pytest.raises((Invalid, zipfile.BadZipFile)):
        importer.read(liar)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 16 * 1024 * 1024


def test_an_archive_claiming_more_than_the_limit_is_too_large_and_says_so():
    big = claiming(zipped(b"{}", zipfile.ZIP_STORED), importer.MAX_JSON_BYTES + 1)
    with pytest.raises(TooLarge, match="64 MB"):
        importer.read(big)


def test_a_small_zip_of_empty_objects_is_refused_before_it_is_read():
    # 60 MB of "{}," in a zip of some 60 kB: parsed, it took a worker to 1.5 GB.
    bomb = zipped(b'{"letters": [' + b"{}," * 20_000_000 + b"{}]}")
    assert len(bomb.getvalue()) < 100 * 1024
    tracemalloc.start()
    with pytest.raises(Invalid, match="far more than an export from Dear of its size"):
        importer.read(bomb)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 16 * 1024 * 1024


def test_an_archive_holding_more_values_than_its_zip_could_is_refused_unparsed(monkeypatch):
    # Packed loosely enough (random words between runs of empty objects), but far more
    # values than Dear's exports hold for each byte of zip.
    words = [secrets.token_hex(8).encode() for _ in range(20_000)]
    raw = b'{"letters": [' + b",".join(b"{}," * 50 + b'"' + w + b'"' for w in words) + b"]}"
    packed = zipped(raw)
    assert len(raw) < importer.MAX_PACKING * len(packed.getvalue())
    assert importer._values(raw) > 2 * importer.MAX_VALUES_PER_BYTE * len(packed.getvalue())
    parsed = []
    monkeypatch.setattr(importer.json, "loads", lambda *a, **k: parsed.append(1))

    with pytest.raises(Invalid, match="far more than an export from Dear of its size"):
        importer.read(packed)
    assert parsed == []


def test_a_large_zip_stored_unpacked_may_hold_no_more_values_than_an_export_ever_does(
    monkeypatch,
):
    # Packed one to one, its zip is as large as it is; its values are still too many.
    lists = zipped(b'{"letters": [' + b"[]," * 6_000_000 + b"[]]}", zipfile.ZIP_STORED)
    parsed = []
    monkeypatch.setattr(importer.json, "loads", lambda *a, **k: parsed.append(1))

    with pytest.raises(Invalid, match="far more than an export from Dear of its size"):
        importer.read(lists)
    assert parsed == []


def test_commas_in_a_letters_words_are_not_counted_as_values():
    raw = b'{"body": "' + b"and, " * 200_000 + b'", "x": "a\\"b, c", "y": "d\\\\"}'
    assert importer._values(raw) > 200_000
    assert not importer._holds_more_values(raw, 10)
    # The commas between values, after a string ending in an escaped backslash, count.
    assert importer._holds_more_values(b'["z\\\\", ' + b"1, " * 20 + b"2]", 10)


def test_a_string_of_millions_of_commas_is_set_aside_in_little_memory():
    raw = b'{"body": "' + b"," * 4_000_000 + b'"}'
    tracemalloc.start()
    assert not importer._holds_more_values(raw, 10)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 16 * 1024 * 1024  # raw itself is 4 MB; backtracking took 450 MB


def test_dears_own_export_of_a_page_saved_a_thousand_times_is_taken(people, monkeypatch):
    # Autosave keeps every page: nearly the same words a thousand times pack very tight,
    # but the export carries each page again as a file of its own.
    jess, rory = people["jess"], people["rory"]
    words = " ".join(f"line {n} of a long letter about the garden," for n in range(300))
    letter = make_letter(jess, rory, body=words)
    start = letter.written_at
    Revision.objects.bulk_create(
        Revision(
            letter=letter,
            number=n,
            body=words[: len(words) - n % 40],
            saved_at=start + timedelta(seconds=2 * n),
        )
        for n in range(2, 1_000)
    )
    buffer = io.BytesIO()
    export.write(jess, buffer)
    monkeypatch.setattr(importer, "PACKED_FREELY_BYTES", 0)
    monkeypatch.setattr(importer, "VALUES_FREELY", 0)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as written:
        inflated = written.getinfo("archive.json").file_size
    assert inflated > 10 * 1024 * 1024
    assert inflated < 20 * len(buffer.getvalue())  # some 10 to one, words this repetitive

    archive = importer.read(io.BytesIO(buffer.getvalue()))

    assert len(archive.letters[0].revisions) == 999

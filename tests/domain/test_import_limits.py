"""A small zip cannot make Dear inflate a gigabyte: archive.json is checked by what it
claims to hold and by what it really holds, before it is parsed."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile

import pytest

from dear.archive import importer
from dear.lib.errors import Invalid, TooLarge


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

"""Import, the reading half: an exported zip opened and every part of it checked.

What is read here is restored by ``restore`` (batch by batch, in the worker), and the
import as a whole is ``imports``'s.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import uuid
import zipfile
from typing import IO, Annotated, Literal

from django.conf import settings
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from dear.archive.export import FORMAT, VERSION
from dear.lib.errors import Invalid, TooLarge

# archive.json is read whole and parsed in memory, which takes several times its size:
# 64 MB holds some 50,000 letters. It is refused by the size its zip claims, and read no
# further than that claim, so a small zip cannot inflate to more.
MAX_JSON_BYTES = 64_000_000
MAX_LETTERS = 100_000
# An export holds archive.json and one Markdown file per letter: a zip with many more
# entries is refused by its central directory's count, before a single entry is read.
MAX_ENTRIES = MAX_LETTERS + 100
TOO_MANY = (
    f"This zip holds more files than an export of {MAX_LETTERS:,} letters would: "
    "it was not made by Dear, or holds more letters than one import may."
)
# The largest number every database's integer column holds.
MAX_REVISION = 2**31 - 1
INFLATED = "This zip unpacks to more than it says it holds: it was not made by Dear."
# Parsed, archive.json takes memory by how many things it holds, not by how big its zip
# is, and a zip packs "{}," a thousand to one: 57 kB of zip held 20 million empty
# objects and took a worker to 1.5 GB. An export from Dear carries every letter and every
# saved page a second time, as Markdown files each packed on its own, so the whole zip is
# never far smaller than archive.json (some 2-4 to one). So archive.json is refused when
# it is more than 40 times the size of the zip it came in (2 MB free), or holds more
# than two values (objects, lists, strings, numbers) per byte of that zip (250,000
# free), or more than 5 million in all: 64 MB of Dear's export holds some 3 million.
# A zip of 0.5 MB then holds at most 22 MB and 1.3 million values, whatever it is made
# of; the largest upload, some 0.5 GB of memory while it is checked.
MAX_PACKING = 40
PACKED_FREELY_BYTES = 2_000_000
MAX_VALUES_PER_BYTE = 2
VALUES_FREELY = 250_000
MAX_VALUES = 5_000_000
PACKED_TOO_TIGHT = (
    "This zip unpacks to far more than an export from Dear of its size would, so it "
    "cannot be imported. Choose the .zip file Dear exported, as it was downloaded."
)
# A JSON string, taken whole without looking back: a string of millions of commas costs
# no more memory than a short one.
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"')
TOO_LARGE = "This archive is too large to import here: archive.json may hold at most 64 MB."
LINE = 200


# Checked by pydantic's core, not by a Python function per field: an archive of 100,000
# letters is checked in a second or two, not in five.
NO_NUL = "^[^\x00]*$"
SAYS = {
    "string_pattern_mismatch": "must not contain NUL characters",
    "timezone_aware": "must give its time zone",
}

Line = Annotated[str, Field(max_length=LINE, pattern=NO_NUL)]
Body = Annotated[str, Field(pattern=NO_NUL)]
When = AwareDatetime | None
Required = AwareDatetime


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore")


class PersonIn(_Strict):
    id: uuid.UUID
    display_name: Annotated[str, Field(min_length=1, max_length=80, pattern=NO_NUL)]


class HomeIn(_Strict):
    id: uuid.UUID
    name: Annotated[str, Field(min_length=1, max_length=80, pattern=NO_NUL)]


class PlaceIn(_Strict):
    id: uuid.UUID
    home: uuid.UUID
    name: Annotated[str, Field(min_length=1, max_length=80, pattern=NO_NUL)]


class DeliveryIn(_Strict):
    to: uuid.UUID
    delivered_at: When = None
    found_at: When = None
    read_at: When = None


class RevisionIn(_Strict):
    number: int = Field(ge=1, le=MAX_REVISION)
    salutation: Line = ""
    body: Body = ""
    closing: Line = ""
    saved_at: Required
    crumpled: bool = False
    conflict: bool = False


class LetterIn(_Strict):
    id: uuid.UUID
    home: uuid.UUID
    from_: uuid.UUID = Field(alias="from")
    to: list[uuid.UUID] = Field(min_length=1, max_length=100)
    salutation: Line = ""
    body: Body = ""
    closing: Line = ""
    state: Literal["draft", "kept", "sent", "sealed", "discarded"]
    state_before_discard: Literal["", "draft", "kept"] = ""
    # null for a letter someone else wrote: how often they saved it was theirs alone.
    revision: int | None = Field(1, ge=1, le=MAX_REVISION)
    written_at: Required
    updated_at: When = None
    sent_at: When = None
    deliver_at: When = None
    opened_at: When = None
    place: uuid.UUID | None = None
    hint: bool = False
    in_reply_to: uuid.UUID | None = None
    deliveries: list[DeliveryIn] = Field(default_factory=list, max_length=100)
    revisions: list[RevisionIn] = Field(default_factory=list)


class ArchiveIn(_Strict):
    format: Literal["dear-archive"]
    version: int
    person: PersonIn
    homes: list[HomeIn]
    people: list[PersonIn]
    places: list[PlaceIn] = Field(default_factory=list)
    letters: list[LetterIn] = Field(max_length=MAX_LETTERS)


def read(stream: IO[bytes]) -> ArchiveIn:
    """Open an exported zip and check every part of it; Invalid says what is wrong."""
    return parse(read_json(stream))


def _count_entries(stream: IO[bytes]) -> int | None:
    """How many entries the zip's end record says it holds (None: no such record)."""
    # zipfile's own reader of that record, which ZipFile would call next anyway; it reads
    # only the end of the file, where ZipFile would go on to read every entry's header.
    end = zipfile._EndRecData(stream)  # type: ignore[attr-defined]
    stream.seek(0)
    return None if end is None else end[zipfile._ECD_ENTRIES_TOTAL]  # type: ignore[attr-defined]


def read_json(stream: IO[bytes]) -> bytes:
    """archive.json's bytes, read no further than the zip says it holds."""
    try:
        entries = _count_entries(stream)
        if entries is not None and entries > MAX_ENTRIES:
            raise TooLarge(TOO_MANY)
        zip_bytes = stream.seek(0, io.SEEK_END)
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            try:
                info = archive.getinfo("archive.json")
            except KeyError:
                raise Invalid(
                    "This zip holds no archive.json: it is not an export from Dear."
                ) from None
            if info.file_size > MAX_JSON_BYTES:
                raise TooLarge(TOO_LARGE)
            if info.file_size > PACKED_FREELY_BYTES + MAX_PACKING * zip_bytes:
                raise Invalid(PACKED_TOO_TIGHT)
            with archive.open(info) as handle:
                raw = handle.read(info.file_size + 1)
    except (zipfile.BadZipFile, EOFError, OSError):
        raise Invalid("That file is not a zip. Choose the .zip file Dear exported.") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError):
        raise Invalid("This zip cannot be read (it is encrypted or uses a rare format).") from None
    if len(raw) > info.file_size:
        raise Invalid(INFLATED)
    if _holds_more_values(raw, min(VALUES_FREELY + MAX_VALUES_PER_BYTE * zip_bytes, MAX_VALUES)):
        raise Invalid(PACKED_TOO_TIGHT)
    return raw


def _values(json_bytes: bytes) -> int:
    """At most how many values: one before each comma, and one in each object or list."""
    return json_bytes.count(b",") + json_bytes.count(b"{") + json_bytes.count(b"[") + 1


def _holds_more_values(raw: bytes, limit: int) -> bool:
    # Commas within strings are set aside only when the quick count says too many: a
    # letter may hold any number of them.
    return _values(raw) > limit and _values(_STRING.sub(b'""', raw)) > limit


def parse(raw: bytes) -> ArchiveIn:
    """archive.json's bytes, checked whole: its shape, and that every reference leads
    somewhere."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Invalid(f"archive.json is not valid JSON ({exc}).") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise Invalid("archive.json is not an archive exported from Dear.")
    if data.get("version") != VERSION:
        raise Invalid(
            f"This archive is version {data.get('version')!r}; this Dear reads version {VERSION}."
        )
    try:
        archive_in = ArchiveIn.model_validate(data)
    except ValidationError as exc:
        raise Invalid(_describe(exc)) from None
    _check(archive_in)
    return archive_in


def digest(archive: ArchiveIn) -> str:
    """What makes two archives the same one: whose they are and which letters they hold,
    however archive.json is laid out or zipped."""
    ids = sorted(str(letter.id) for letter in archive.letters)
    return hashlib.sha256("\n".join([str(archive.person.id), *ids]).encode()).hexdigest()


def _describe(exc: ValidationError) -> str:
    errors = exc.errors()
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"]) or "archive.json"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    message = SAYS.get(first["type"]) or str(first["msg"]).removeprefix("Value error, ")
    return f"archive.json, {where}: {message}{more}"


def _check(archive: ArchiveIn) -> None:
    """What a schema cannot say: every reference leads somewhere, and texts fit."""
    people = {p.id for p in archive.people}
    homes = {h.id for h in archive.homes}
    places = {p.id: p.home for p in archive.places}
    me = archive.person.id
    if me not in people:
        raise Invalid("archive.json does not list the person it belongs to among its people.")
    letter_ids = set()
    for n, letter in enumerate(archive.letters):
        where = f"archive.json, letters.{n}"
        if letter.id in letter_ids:
            raise Invalid(f"{where}: the id {letter.id} appears twice.")
        letter_ids.add(letter.id)
        if letter.home not in homes:
            raise Invalid(f"{where}: its home is not among the archive's homes.")
        if letter.from_ not in people or any(pk not in people for pk in letter.to):
            raise Invalid(f"{where}: someone it is from or to is not among the archive's people.")
        if letter.from_ != me and me not in letter.to:
            raise Invalid(f"{where}: it is neither from nor to the person the archive is for.")
        if letter.place is not None and places.get(letter.place) != letter.home:
            raise Invalid(f"{where}: its place is not one of its home's places.")
        if any(d.to not in letter.to for d in letter.deliveries):
            raise Invalid(f"{where}: a delivery goes to someone the letter is not to.")
        texts = [letter.body, *(r.body for r in letter.revisions)]
        if any(len(text) > settings.LETTER_BODY_LIMIT for text in texts):
            raise Invalid(
                f"{where}: a letter holds at most {settings.LETTER_BODY_LIMIT:,} characters."
            )
        numbers = [r.number for r in letter.revisions]
        if len(numbers) != len(set(numbers)):
            raise Invalid(f"{where}: two revisions have the same number.")

"""Export: every letter a person may see, as a zip they can keep and read anywhere.

The zip holds ``archive.json`` (everything, for ``dear import``), one Markdown file per
letter under ``letters/``, and the writer's own saved pages under ``revisions/``: every
revision, crumpled pages and kept conflicts included. Only what the person may see goes
in: their own letters in every state, and the letters that reached them.
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
import zipfile
from datetime import UTC, datetime
from typing import IO

from django.utils import timezone

from dear.homes import seen as homes_seen
from dear.homes.models import Home
from dear.letters import seen
from dear.letters.models import Letter, Revision

FORMAT = "dear-archive"
PLACE_IN_A_HOME_LEFT = "a place in a home you have left"
VERSION = 1
README = """\
Letters exported from Dear.

letters/     one Markdown file per letter: its details between the --- lines, then
             the letter as it was written.
revisions/   every page saved of the letters you wrote, crumpled pages included,
             one folder per letter.
archive.json everything above in one file. `dear import` or Settings > Your archive
             in any Dear restores these letters as your archive.
"""


def _when(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40] or "someone"


def _deliveries(person, letter: seen.SeenLetter) -> list[dict]:
    """The writer's receipts as they may see them; a reader's own arrival and reading."""
    if letter.deliveries is not None:
        return [
            {
                "to": str(shown.recipient.id),
                "delivered_at": _when(shown.delivered_at),
                "found_at": _when(shown.found_at),
                "read_at": _when(shown.read_at),
            }
            for shown in letter.deliveries
        ]
    return [
        {
            "to": str(person.pk),
            "delivered_at": _when(letter.arrived_at),
            "found_at": _when(letter.found_at),
            "read_at": _when(letter.read_at),
        }
    ]


def collect(person, now=None) -> dict:
    """The whole archive as plain data: what ``archive.json`` holds. Each letter is what
    the read model shows ``person`` of it (``dear.letters.seen``), as the API and the
    pages show it, plus the writer's own saved pages."""
    now = now or timezone.now()
    letters = seen.letters(
        person,
        seen.rows_of(Letter.objects.visible_to(person, now).order_by("written_at", "pk")),
        now=now,
    )
    own = [letter.id for letter in letters if letter.mine]
    revisions: dict = {}
    for revision in Revision.objects.filter(letter_id__in=own).order_by("letter_id", "number"):
        revisions.setdefault(revision.letter_id, []).append(
            {
                "number": revision.number,
                "salutation": revision.salutation,
                "body": revision.body,
                "closing": revision.closing,
                "saved_at": _when(revision.saved_at),
                "crumpled": revision.crumpled,
                "conflict": revision.conflict,
            }
        )
    homes = dict(
        Home.objects.filter(pk__in={letter.home for letter in letters}).values_list("pk", "name")
    )
    current = {pk for pk, _ in homes_seen.names_of(person)}
    people: dict = {person.pk: person.display_name}
    places, items = {}, []
    for letter in letters:
        people[letter.writer.id] = letter.writer.display_name
        for someone in letter.to:
            people[someone.id] = someone.display_name
        if letter.place is not None:
            # A home left is seen as it was, never as it is now: not its places' new names.
            name = letter.place.name if letter.home in current else PLACE_IN_A_HOME_LEFT
            places[letter.place.id] = (letter.home, name)
        items.append(
            {
                "id": str(letter.id),
                "home": str(letter.home),
                "from": str(letter.writer.id),
                "to": [str(someone.id) for someone in letter.to],
                "salutation": letter.salutation,
                "body": letter.body,
                "closing": letter.closing,
                "state": letter.state,
                "state_before_discard": letter.state_before_discard,
                "revision": letter.revision,
                "written_at": _when(letter.written_at),
                "updated_at": _when(letter.updated_at),
                "sent_at": _when(letter.sent_at),
                "deliver_at": _when(letter.deliver_at),
                "opened_at": _when(letter.opened_at),
                "place": str(letter.place.id) if letter.place else None,
                "hint": letter.hint,
                "in_reply_to": str(letter.in_reply_to) if letter.in_reply_to else None,
                "deliveries": _deliveries(person, letter),
                "revisions": revisions.get(letter.id, []),
            }
        )
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _when(now),
        "person": {
            "id": str(person.pk),
            "username": person.username,
            "display_name": person.display_name,
        },
        "homes": [{"id": str(pk), "name": name} for pk, name in homes.items()],
        "people": [{"id": str(pk), "display_name": name} for pk, name in people.items()],
        "places": [
            {"id": str(pk), "home": str(home), "name": name} for pk, (home, name) in places.items()
        ],
        "letters": items,
    }


def _front_matter(fields: dict) -> str:
    # JSON scalars and arrays are valid YAML too, so any front-matter reader takes these.
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def _page(salutation: str, body: str, closing: str) -> str:
    return "\n\n".join(part for part in (salutation, body.strip("\n"), closing) if part) + "\n"


def file_names(data: dict) -> dict[str, str]:
    """Letter id → its Markdown file's name in the zip, without the folder."""
    names = {p["id"]: p["display_name"] for p in data["people"]}
    me = data["person"]["id"]
    found = {}
    for letter in data["letters"]:
        day = (letter["written_at"] or "")[:10]
        if letter["from"] == me:
            to = ", ".join(names.get(pk, "") for pk in letter["to"])
            who = f"to-{_slug(to)}"
        else:
            who = f"from-{_slug(names.get(letter['from'], ''))}"
        found[letter["id"]] = f"{day}-{who}-{letter['id']}.md"
    return found


def markdown(data: dict) -> dict[str, str]:
    """Path in the zip → text, for every letter and revision file."""
    names = {p["id"]: p["display_name"] for p in data["people"]}
    homes = {h["id"]: h["name"] for h in data["homes"]}
    places = {p["id"]: p["name"] for p in data["places"]}
    files = file_names(data)
    me = data["person"]["id"]
    out = {}
    for letter in data["letters"]:
        mine = [d for d in letter["deliveries"] if d["to"] == me]
        fields = {
            "id": letter["id"],
            "home": homes.get(letter["home"]),
            "from": names.get(letter["from"]),
            "to": [names.get(pk) for pk in letter["to"]],
            "salutation": letter["salutation"],
            "closing": letter["closing"],
            "state": letter["state"],
            "written_at": letter["written_at"],
            "sent_at": letter["sent_at"],
            "deliver_at": letter["deliver_at"],
            "opened_at": letter["opened_at"],
            "read_at": mine[0]["read_at"] if mine else None,
            "place": places.get(letter["place"]) if letter["place"] else None,
            "in_reply_to": files.get(letter["in_reply_to"]) if letter["in_reply_to"] else None,
        }
        name = files[letter["id"]]
        text = _page(letter["salutation"], letter["body"], letter["closing"])
        out[f"letters/{name}"] = _front_matter(fields) + "\n" + text
        for revision in letter["revisions"]:
            suffix = "-crumpled" if revision["crumpled"] else ""
            suffix += "-conflict" if revision["conflict"] else ""
            path = f"revisions/{name[:-3]}/{revision['number']:04d}{suffix}.md"
            header = {
                "letter": letter["id"],
                "revision": revision["number"],
                "saved_at": revision["saved_at"],
                "crumpled": revision["crumpled"],
                "conflict": revision["conflict"],
            }
            page = _page(revision["salutation"], revision["body"], revision["closing"])
            out[path] = _front_matter(header) + "\n" + page
    return out


def write(person, stream: IO[bytes], now=None) -> dict:
    """Write ``person``'s archive as a zip to ``stream``; returns the data written."""
    now = now or timezone.now()
    data = collect(person, now)
    stamp = now.astimezone(UTC).timetuple()[:6]
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(path: str, text: str) -> None:
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))

        add("README.txt", README)
        add("archive.json", json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        for path, text in sorted(markdown(data).items()):
            add(path, text)
    return data


def file_name(person, now=None) -> str:
    day = (now or timezone.now()).date().isoformat()
    return f"dear-{_slug(person.username)}-{day}.zip"


def to_file(person) -> IO[bytes]:
    """The archive in a temporary file, rewound; whoever sends it on closes it.

    Spooled: a small archive stays in memory, a lifetime of letters goes to disk."""
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
    write(person, spool)
    spool.seek(0)
    return spool

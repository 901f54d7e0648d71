"""The limits the API states in its OpenAPI document, each checked by the same field.

Every limit a service enforces on what a person types is stated here as a constraint of
the field that carries it, and pydantic checks that constraint itself, so the document a
client is generated from and the server's answer agree both ways: what the document
refuses is refused (422; a letter's body over its length, 413 as always), and a request
it allows is refused only for a reason no schema can say (a housemate's name taken, a
search of punctuation only, a cursor that decodes to nothing Dear gave out).

Patterns use only character classes written with \\xHH and \\uHHHH escapes, ^ and $,
which read alike in the server's regex engine (pydantic's) and a client's (ECMA-262, as
JSON Schema says). JSON Schema patterns are searched for, not anchored.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StringConstraints,
    WithJsonSchema,
    WrapValidator,
)
from pydantic import ValidationError as Refused
from pydantic_core import PydanticCustomError

from dear.accounts.services import (
    CLOCK_TIME,
    EMAIL_LIMIT,
    HIDDEN_CONTROLS,
    NAME_LIMIT,
    USERNAME_LIMIT,
)
from dear.archive.search import QUERY_LIMIT
from dear.homes.services import NAME_LIMIT as HOME_NAME_LIMIT
from dear.homes.services import PLACE_CONTROLS
from dear.letters.services import LINE_LIMIT, check_text
from dear.lib import cursor
from dear.mutual.services import WINDOW_MINUTES
from dear.notify.reminders import MAX_DAYS, MIN_DAYS


def says(message: str) -> WrapValidator:
    """Answer a field's broken limit in Dear's words instead of pydantic's (which would
    quote a pattern of escapes); the JSON schema is the wrapped one's."""

    def check(value, handler):
        try:
            return handler(value)
        except Refused:
            raise PydanticCustomError("limit", message) from None

    return WrapValidator(check)


def _storable(value: str) -> str:
    # PostgreSQL refuses NUL and UTF-8 refuses lone surrogates: reject them here as bad
    # input (422) instead of failing in the database (500).
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


def _storable_first(value):
    return _storable(value) if isinstance(value, str) else value


# No text holds NUL (PostgreSQL cannot store it); lone surrogates cannot be said in JSON
# Schema, and are refused as well.
NO_NUL = "^[^\\x00]*$"


def text(message: str | None = None, **constraints):
    """Text held to these constraints, stated in the document; text that cannot be
    stored is refused first, saying so."""
    checks = [StringConstraints(**{"pattern": NO_NUL, **constraints})]
    if message is not None:
        checks.append(says(message))
    return Annotated[str, *checks, BeforeValidator(_storable_first)]


Text = text()
Secret = text(max_length=4096)


def _shortest_password() -> int:
    for one in settings.AUTH_PASSWORD_VALIDATORS:
        if one["NAME"].endswith(".MinimumLengthValidator"):
            return one.get("OPTIONS", {}).get("min_length", 8)
    return 0


SHORTEST_PASSWORD = _shortest_password()
NewPassword = Annotated[
    text(
        f"A password holds {SHORTEST_PASSWORD} to 4096 characters.",
        min_length=SHORTEST_PASSWORD,
        max_length=4096,
    ),
    Field(description="Not too short, too common, or too like my username or name."),
]
# Django's username field: letters, digits and @.+-_ (of any alphabet, which ECMA-262
# patterns cannot name, so that is left to the description).
Username = Annotated[
    text(
        f"A username holds 1 to {USERNAME_LIMIT} characters.",
        min_length=1,
        max_length=USERNAME_LIMIT,
    ),
    Field(description=f"1 to {USERNAME_LIMIT} letters, digits and @ . + - _; not taken."),
]
Recipients = Annotated[
    list[UUID], Field(min_length=1, description="Housemates in the letter's home, not me.")
]

# What a name is cleaned of before it is checked: runs of whitespace (str.split's) fold
# into one space and the ends go, so a name of nothing else is no name.
SPACES = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())


def _escaped(chars) -> str:
    codes = sorted({ord(ch) for ch in chars})
    runs: list[list[int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])

    def one(code: int) -> str:
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return "".join(one(a) if a == b else f"{one(a)}-{one(b)}" for a, b in runs)


def besides(*ignored: str) -> str:
    """A pattern found in any text holding a character other than these."""
    return f"[^{_escaped(''.join(ignored))}]"


def only_besides(forbidden: str, *ignored: str) -> str:
    """None of `forbidden` anywhere, and something other than `ignored` somewhere."""
    allowed = f"[^{_escaped(forbidden)}]*"
    return f"^{allowed}{besides(forbidden, *ignored)}{allowed}$"


def _name(limit: int, pattern: str, message: str):
    return Annotated[
        text(message, min_length=1, max_length=limit, pattern=pattern),
        Field(description=message),
    ]


HomeName = _name(
    HOME_NAME_LIMIT,
    only_besides("\x00", SPACES),
    f"Give the home a name of at most {HOME_NAME_LIMIT} characters, not only spaces "
    "(runs of spaces fold into one).",
)
PlaceName = _name(
    HOME_NAME_LIMIT,
    only_besides(PLACE_CONTROLS, SPACES),
    f"Give the place a name of at most {HOME_NAME_LIMIT} characters, not only spaces, and "
    "no control characters (tabs and line breaks fold into one space).",
)
DisplayName = _name(
    NAME_LIMIT,
    only_besides("\x00", SPACES, "".join(map(chr, HIDDEN_CONTROLS))),
    f"Tell us the name you sign your letters with: at most {NAME_LIMIT} characters, not "
    "only spaces or invisible ones, and not a housemate's.",
)
TokenName = text(f"A token's name holds at most {NAME_LIMIT} characters.", max_length=NAME_LIMIT)
SearchWords = Annotated[
    text(
        f"Type a word or a phrase to search for, in at most {QUERY_LIMIT} characters.",
        min_length=1,
        max_length=QUERY_LIMIT,
        pattern=only_besides("\x00", SPACES),
    ),
    Field(
        description="Words, and phrases in double quotes; all must match. Not only spaces, "
        f"at most {QUERY_LIMIT} characters; words of letters or digits, not only punctuation."
    ),
]
ClockTime = text(
    "Give the time as hours and minutes on a 24-hour clock, like 22:00.",
    pattern=f"^{CLOCK_TIME.pattern}$",
)
Cursor = Annotated[
    text(
        "That page cursor is not one Dear gave out.",
        min_length=1,
        max_length=cursor.MAX_LENGTH,
        pattern=f"^{cursor.ALPHABET}+$",
    ),
    Field(description="A `next` from the page before; made by the server, not by hand."),
]
Salutation = text(f"The salutation holds at most {LINE_LIMIT} characters.", max_length=LINE_LIMIT)
Closing = text(f"The closing holds at most {LINE_LIMIT} characters.", max_length=LINE_LIMIT)


def _fits_a_letter(body: str) -> str:
    # Over the limit answers 413 too_large, as a letter too long to keep always has.
    check_text(None, body, None)
    return body


LetterBody = Annotated[
    Text,
    AfterValidator(_fits_a_letter),
    WithJsonSchema({"type": "string", "maxLength": settings.LETTER_BODY_LIMIT, "pattern": NO_NUL}),
]


def _email_address(value: str) -> str:
    if value == "":
        return value
    if len(value) > EMAIL_LIMIT:
        raise ValueError(f"An email address holds at most {EMAIL_LIMIT} characters.")
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError("That email address does not look right.") from None
    return value


EmailAddress = Annotated[
    Text,
    AfterValidator(_email_address),
    WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "string",
                    "format": "email",
                    "maxLength": EMAIL_LIMIT,
                    "pattern": NO_NUL,
                },
                {"type": "string", "maxLength": 0},
            ],
            "description": 'An email address (a dot in its domain), or "" for none.',
        }
    ),
]


def _json_integer(value):
    # As JSON Schema counts integers: 7 and 7.0, never "7" or true.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a whole number")
    return value


def whole_number(message: str, **bounds):
    return Annotated[int, Field(**bounds), BeforeValidator(_json_integer), says(message)]


WholeNumber = whole_number("Give a whole number.")
SHORTEST, LONGEST = WINDOW_MINUTES
GlanceMinutes = whole_number(
    f"The glance window is a whole number of minutes from {SHORTEST} to {LONGEST} (24 hours).",
    ge=SHORTEST,
    le=LONGEST,
)
ReminderDays = whole_number(
    f"Remind after a whole number of days from {MIN_DAYS} to {MAX_DAYS} (a year).",
    ge=MIN_DAYS,
    le=MAX_DAYS,
)

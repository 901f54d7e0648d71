"""The life of a letter: write, save, crumple, keep, discard, restore, send, seal,
withdraw, read.

The only code that changes letters. Rules 1, 3, 5, 6 and 7 of DESIGN.md live here; what
a person may see is decided in ``access.py`` and ``Letter.objects.visible_to``.
"""

from dear.letters.services.lifecycle import (
    MAX_AHEAD,
    discard,
    empty_basket,
    keep,
    mark_read,
    open_sealed,
    restore,
    seal,
    send,
    sole_recipient,
    withdraw,
)
from dear.letters.services.writing import (
    LINE_LIMIT,
    TEXT_FIELDS,
    check_text,
    create_letter,
    crumple,
    restore_revision,
    salutation_for,
    save_letter,
)

__all__ = [
    "LINE_LIMIT",
    "MAX_AHEAD",
    "TEXT_FIELDS",
    "check_text",
    "create_letter",
    "crumple",
    "discard",
    "empty_basket",
    "keep",
    "mark_read",
    "open_sealed",
    "restore",
    "restore_revision",
    "salutation_for",
    "save_letter",
    "seal",
    "send",
    "sole_recipient",
    "withdraw",
]

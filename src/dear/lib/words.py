"""Words as a letter would write them: "nine days", not "9 days"; "Rory and Sam"."""

from __future__ import annotations

import functools
import unicodedata

_ONES = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"),
    *("seventeen", "eighteen", "nineteen"),
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number(n: int) -> str:
    """``n`` in words below a hundred ("twenty-one"); larger numbers read better as digits."""
    if n < 0 or n >= 100:
        return str(n)
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens - 2] + (f"-{_ONES[ones]}" if ones else "")


def days(n: int) -> str:
    """ "nine days", "one day", "120 days"."""
    return f"{number(n)} day{'' if n == 1 else 's'}"


def together(names: list[str]) -> str:
    """ "Rory", "Rory and Sam", "Ann, Rory and Sam"; "" for nobody."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def same_name(one: str, other: str) -> bool:
    """Whether two names would read as the same person's: case, spacing, accents and
    letters of other alphabets that look alike aside ("Jess", "JESS", "Jéss", "Јess" with
    a Cyrillic Ј)."""
    return _looks(one) == _looks(other)


def _looks(name: str) -> str:
    """What ``name`` looks like on the page, as plain Latin letters where it can be. Mapped
    before folding case: a Cyrillic "В" looks like "B", its small "в" like nothing Latin."""
    decomposed = unicodedata.normalize("NFKD", " ".join(name.split()))
    mapped = "".join(_latin(ch) for ch in decomposed if not unicodedata.combining(ch))
    return mapped.casefold()


@functools.lru_cache(maxsize=4096)
def _latin(ch: str) -> str:
    """The Latin letter ``ch`` is taken for, from Unicode's table of confusable characters;
    ``ch`` itself when it is one or looks like none."""
    # Imported here: its table costs a third of a second, and only a name change needs it.
    from confusable_homoglyphs import confusables

    found = confusables.is_confusable(ch, greedy=True, preferred_aliases=["latin"])
    latin = [h["c"] for h in (found[0]["homoglyphs"] if found else []) if _is_latin_letter(h["c"])]
    # A Greek capital Ι is taken for a capital I rather than a small l.
    alike = [c for c in latin if c.isupper() == ch.isupper()]
    return (alike or latin or [ch])[0]


def _is_latin_letter(c: str) -> bool:
    return len(c) == 1 and c.isascii() and c.isalpha()

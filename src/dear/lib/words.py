"""Words as a letter would write them: "nine days", not "9 days"; "Rory and Sam"."""

from __future__ import annotations

import functools
import unicodedata

from confusable_homoglyphs import confusables

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
    """What ``name`` looks like on the page, as plain Latin letters where it can be."""
    folded = unicodedata.normalize("NFKD", " ".join(name.split()).casefold())
    return "".join(_latin(ch) for ch in folded if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=4096)
def _latin(ch: str) -> str:
    """The Latin letter ``ch`` is taken for, from Unicode's table of confusable characters;
    ``ch`` itself when it is one or looks like none."""
    found = confusables.is_confusable(ch, greedy=True, preferred_aliases=["latin"])
    for homoglyph in found[0]["homoglyphs"] if found else []:
        if len(homoglyph["c"]) == 1 and homoglyph["c"].isascii():
            return homoglyph["c"].casefold()
    return ch

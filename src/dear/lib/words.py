"""Words as a letter would write them: "nine days", not "9 days"; "Rory and Sam"."""

from __future__ import annotations

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
    """Whether two names would read as the same person's: case and spacing aside."""
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold()

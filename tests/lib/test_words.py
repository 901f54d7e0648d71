import pytest

from dear.lib import words


@pytest.mark.parametrize(
    ("n", "said"),
    [(0, "zero"), (1, "one"), (9, "nine"), (13, "thirteen"), (20, "twenty")]
    + [(21, "twenty-one"), (40, "forty"), (99, "ninety-nine"), (100, "100"), (365, "365")],
)
def test_numbers_below_a_hundred_are_words_and_larger_ones_digits(n, said):
    assert words.number(n) == said


def test_days_agree_with_their_number():
    assert [words.days(n) for n in (1, 2, 120)] == ["one day", "two days", "120 days"]


@pytest.mark.parametrize(
    ("names", "said"),
    [([], ""), (["Rory"], "Rory"), (["Rory", "Sam"], "Rory and Sam")]
    + [(["Ann", "Rory", "Sam"], "Ann, Rory and Sam")],
)
def test_names_together_as_a_letter_would_list_them(names, said):
    assert words.together(names) == said


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Jess", " jESS "),
        ("Jess", "J\u00e9ss"),  # an accent
        ("Ben", "\u0412en"),  # Cyrillic capital Ve, whose small form looks like no Latin b
        ("Tom", "\u0422om"),  # Cyrillic capital Te
        ("Rory", "R\u03bfry"),  # Greek small omicron
        ("Jess", "\uff2aess"),  # full-width J
    ],
)
def test_names_that_look_the_same_are_the_same_name(one, other):
    assert words.same_name(one, other) and words.same_name(other, one)


@pytest.mark.parametrize(
    ("one", "other"), [("Jess", "Jesse"), ("Ian", "Lan"), ("Jess", "\u0416ess")]
)
def test_names_that_only_look_alike_are_not(one, other):
    assert not words.same_name(one, other)

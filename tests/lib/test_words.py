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

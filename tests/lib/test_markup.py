import pytest

from dear.lib.markup import render


def test_blank_lines_make_paragraphs_and_single_newlines_line_breaks():
    assert render("one\ntwo\n\nthree") == "<p>one<br>\ntwo</p>\n<p>three</p>"


def test_emphasis_and_strong():
    assert render("I *really* **mean** it") == "<p>I <em>really</em> <strong>mean</strong> it</p>"


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "**<b>bold?</b>**",
        "> <iframe src=//evil>",
        "*<a href='javascript:alert(1)'>x</a>*",
    ],
)
def test_html_a_person_typed_is_shown_as_text(typed):
    rendered = render(typed)
    assert "<script" not in rendered and "<img" not in rendered and "<iframe" not in rendered
    assert "<a " not in rendered and "<b>" not in rendered
    assert "&lt;" in rendered


def test_a_quoted_passage():
    assert render("> you said\n> this") == "<blockquote><p>you said<br>\nthis</p></blockquote>"


def test_lone_asterisks_and_maths_stay_as_typed():
    assert render("2 * 3 * 4") == "<p>2 * 3 * 4</p>"
    assert render("a*b") == "<p>a*b</p>"


def test_an_empty_letter_renders_nothing():
    assert render("") == "" and render("\n\n  \n") == ""


def test_windows_line_endings_are_understood():
    assert render("a\r\n\r\nb") == "<p>a</p>\n<p>b</p>"


def test_a_letter_full_of_unclosed_marks_comes_back_as_typed():
    # Each opening mark used to scan to the end of the letter: 100,000 characters of
    # these took 20 s to render. Now a mark stops at the next asterisk or line end.
    typed = "**a " * 25_000
    assert render(typed) == f"<p>{typed}</p>"


def test_marks_never_span_lines():
    assert render("*one\ntwo*") == "<p>*one<br>\ntwo*</p>"

"""Label wrapping and the checks that keep untrusted values out of markup."""

from __future__ import annotations

import pytest

from seamline.bpmn.render.svg import clean_text, num, safe_colour, wrap


def test_wrap_keeps_words_whole_and_lines_short() -> None:
    lines = wrap("Review the invoice carefully before approving it", 100, 12)
    assert len(lines) > 1
    assert " ".join(lines) == "Review the invoice carefully before approving it"
    assert all(len(line) <= int(100 / (12 * 0.56)) for line in lines)


def test_wrap_breaks_a_word_longer_than_the_box() -> None:
    lines = wrap("Supercalifragilisticexpialidocious", 50, 12)
    assert len(lines) > 1
    assert "".join(lines) == "Supercalifragilisticexpialidocious"


def test_wrap_honours_explicit_line_breaks() -> None:
    assert wrap("Gateway\n(Split Flow)", 200, 12) == ["Gateway", "(Split Flow)"]


def test_text_that_xml_cannot_hold_is_dropped() -> None:
    assert clean_text("a\x00b\x1bc\td") == "abc\td"


@pytest.mark.parametrize("value", ["#fff", "#A1B2C3", "red", "rgb(1, 2, 3)", "rgba(1,2,3,0.5)"])
def test_plain_colours_pass(value: str) -> None:
    assert safe_colour(value) == value


@pytest.mark.parametrize(
    "value", ['red" onload="x', "url(#x)", "red;}</style>", "expression(alert(1))", "", None]
)
def test_anything_else_is_refused(value: str | None) -> None:
    assert safe_colour(value) is None


def test_numbers_are_short() -> None:
    assert [num(1.0), num(2.345), num(-0.001), num(10.5)] == ["1", "2.35", "0", "10.5"]

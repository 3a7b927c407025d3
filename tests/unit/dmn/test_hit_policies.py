"""Each DMN 1.3 hit policy over small inline tables, with a fake and with the real FEEL."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from seamline.dmn import DecisionService, Languages
from seamline.errors import DecisionError, DmnLoadError, HitPolicyViolation

Build = Callable[..., bytes]


@pytest.fixture(params=["fake-feel", "feel"])
def langs(request: pytest.FixtureRequest, fake_languages: Languages) -> Languages:
    """Every hit-policy test runs with the fake FEEL and with seamline's FEEL."""
    if request.param == "fake-feel":
        return fake_languages
    real: Languages = request.getfixturevalue("real_languages")
    return real


def run(langs: Languages, xml: bytes, **variables: Any) -> tuple[Any, tuple[str, ...]]:
    service = DecisionService.from_sources({"t.dmn": xml}, languages=langs)
    result = service.evaluate("d", variables)
    return result.value, result.matched_rules


OVERLAP = [(["< 10"], ['"small"']), (["< 100"], ['"medium"']), (["-"], ['"any"'])]


def test_unique_single_match(langs: Languages, make_table: Build) -> None:
    xml = make_table(rules=[(["< 10"], ['"small"']), ([">= 10"], ['"big"'])])
    assert run(langs, xml, x=3) == ("small", ("r1",))
    assert run(langs, xml, x=30) == ("big", ("r2",))


def test_unique_violation_names_decision_and_rules(langs: Languages, make_table: Build) -> None:
    xml = make_table(hit_policy="UNIQUE", rules=OVERLAP)
    with pytest.raises(HitPolicyViolation) as info:
        run(langs, xml, x=50)
    message = str(info.value)
    assert "r2, r3" in message and "'d'" in message and "t.dmn" in message
    assert isinstance(info.value, DecisionError)


def test_first_takes_first_in_rule_order(langs: Languages, make_table: Build) -> None:
    xml = make_table(hit_policy="FIRST", rules=OVERLAP)
    assert run(langs, xml, x=5) == ("small", ("r1",))
    assert run(langs, xml, x=50) == ("medium", ("r2",))


def test_priority_follows_output_values_order(langs: Languages, make_table: Build) -> None:
    xml = make_table(
        hit_policy="PRIORITY",
        outputs=[("out", '"any","medium","small"')],
        rules=OVERLAP,
    )
    # all three match; "any" is listed first, so it has the highest priority
    assert run(langs, xml, x=5) == ("any", ("r3",))
    xml = make_table(
        hit_policy="PRIORITY",
        outputs=[("out", '"small","medium","any"')],
        rules=OVERLAP,
    )
    assert run(langs, xml, x=5) == ("small", ("r1",))
    assert run(langs, xml, x=50) == ("medium", ("r2",))


def test_priority_without_output_values_is_a_load_error(
    langs: Languages, make_table: Build
) -> None:
    xml = make_table(hit_policy="PRIORITY", rules=OVERLAP)
    with pytest.raises(DmnLoadError, match="output values") as info:
        run(langs, xml, x=5)
    assert "t.dmn:" in str(info.value)


def test_any_with_equal_outputs(langs: Languages, make_table: Build) -> None:
    xml = make_table(hit_policy="ANY", rules=[(["< 10"], ['"yes"']), (["< 20"], ['"yes"'])])
    assert run(langs, xml, x=5) == ("yes", ("r1", "r2"))


def test_any_conflict_is_an_error(langs: Languages, make_table: Build) -> None:
    xml = make_table(hit_policy="ANY", rules=[(["< 10"], ['"yes"']), (["< 20"], ['"no"'])])
    with pytest.raises(HitPolicyViolation, match=r"ANY.*r1, r2"):
        run(langs, xml, x=5)
    assert run(langs, xml, x=15) == ("no", ("r2",))


def test_collect_lists_in_rule_order(langs: Languages, make_table: Build) -> None:
    xml = make_table(hit_policy="COLLECT", rules=OVERLAP)
    assert run(langs, xml, x=50) == (["medium", "any"], ("r2", "r3"))
    assert run(langs, xml, x=500) == (["any"], ("r3",))


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [("SUM", 60), ("MIN", 10), ("MAX", 30), ("COUNT", 3)],
)
def test_collect_aggregations(
    langs: Languages, make_table: Build, aggregation: str, expected: int
) -> None:
    xml = make_table(
        hit_policy="COLLECT",
        aggregation=aggregation,
        rules=[(["< 10"], ["10"]), (["< 20"], ["30"]), (["-"], ["20"]), ([">= 100"], ["1"])],
    )
    value, matched = run(langs, xml, x=5)
    assert value == expected
    assert matched == ("r1", "r2", "r3")


def test_collect_aggregations_without_matches(langs: Languages, make_table: Build) -> None:
    rules = [(["< 10"], ["10"])]
    count = make_table(hit_policy="COLLECT", aggregation="COUNT", rules=rules)
    total = make_table(hit_policy="COLLECT", aggregation="SUM", rules=rules)
    assert run(langs, count, x=50) == (0, ())
    assert run(langs, total, x=50) == (None, ())


def test_collect_sum_of_text_is_an_error(langs: Languages, make_table: Build) -> None:
    xml = make_table(hit_policy="COLLECT", aggregation="SUM", rules=[(["-"], ['"a"'])])
    with pytest.raises(DecisionError, match="SUM needs numbers"):
        run(langs, xml, x=1)


def test_rule_order_lists_all_matches(langs: Languages, make_table: Build) -> None:
    xml = make_table(hit_policy="RULE ORDER", rules=OVERLAP)
    assert run(langs, xml, x=5) == (["small", "medium", "any"], ("r1", "r2", "r3"))


def test_output_order_sorts_by_output_values(langs: Languages, make_table: Build) -> None:
    xml = make_table(
        hit_policy="OUTPUT ORDER", outputs=[("out", '"any","small","medium"')], rules=OVERLAP
    )
    assert run(langs, xml, x=5) == (["any", "small", "medium"], ("r3", "r1", "r2"))


def test_no_match_gives_null_or_empty_list(langs: Languages, make_table: Build) -> None:
    rules = [(["< 10"], ['"small"'])]
    assert run(langs, make_table(rules=rules), x=50) == (None, ())
    for policy in ("COLLECT", "RULE ORDER"):
        assert run(langs, make_table(hit_policy=policy, rules=rules), x=50) == ([], ())


def test_no_match_uses_default_output_entry(langs: Languages, make_table: Build) -> None:
    xml = make_table(rules=[(["< 10"], ['"small"'])], default='"fallback"')
    assert run(langs, xml, x=50) == ("fallback", ())
    assert run(langs, xml, x=5) == ("small", ("r1",))


def test_several_outputs_give_a_dict(langs: Languages, make_table: Build) -> None:
    xml = make_table(
        hit_policy="COLLECT",
        inputs=["x", "y"],
        outputs=["size", "rank"],
        rules=[(["< 10", '"a"'], ['"small"', "1"]), (["-", "-"], ['"any"', "2"])],
    )
    value, _ = run(langs, xml, x=5, y="a")
    assert value == [{"size": "small", "rank": 1}, {"size": "any", "rank": 2}]
    value, _ = run(langs, xml, x=5, y="b")
    assert value == [{"size": "any", "rank": 2}]


@pytest.mark.parametrize(
    ("type_ref", "entry", "expected"),
    [
        ("integer", "3.0", 3),
        ("long", '"42"', 42),
        ("double", "2", 2.0),
        ("string", "7", "7"),
        ("boolean", '"true"', True),
        ("number", "1.5", Decimal("1.5")),
    ],
)
def test_output_type_coercion(
    langs: Languages, make_table: Build, type_ref: str, entry: str, expected: Any
) -> None:
    xml = make_table(output_type=type_ref, rules=[(["-"], [entry])])
    value, _ = run(langs, xml, x=1)
    assert value == expected and type(value) is type(expected)


def test_failed_coercion_is_located(langs: Languages, make_table: Build) -> None:
    xml = make_table(output_type="integer", rules=[(["-"], ['"many"'])])
    with pytest.raises(DecisionError, match=r"t\.dmn:\d+ \[r1o1\].*not a valid integer"):
        run(langs, xml, x=1)


def test_input_entry_sees_other_variables(langs: Languages, make_table: Build) -> None:
    xml = make_table(rules=[(["< limit"], ['"under"']), ([">= limit"], ['"over"'])])
    assert run(langs, xml, x=5, limit=10) == ("under", ("r1",))
    assert run(langs, xml, x=15, limit=10) == ("over", ("r2",))

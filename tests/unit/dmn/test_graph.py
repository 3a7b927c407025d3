"""Decision requirement graphs, literal expression decisions, and cycles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from seamline.dmn import DecisionService, Languages
from seamline.errors import DmnLoadError, UnknownDecision

HEAD = (
    '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="g" name="G" '
    'namespace="http://example.com/g">'
)


def requires(*ids: str) -> str:
    return "".join(
        f'<informationRequirement id="ir_{i}"><requiredDecision href="#{i}"/>'
        "</informationRequirement>"
        for i in ids
    )


def literal(decision_id: str, text: str, *needs: str, variable: str | None = None) -> str:
    var = f'<variable name="{variable}"/>' if variable else ""
    return (
        f'<decision id="{decision_id}" name="{decision_id}_name">{var}{requires(*needs)}'
        f'<literalExpression id="le_{decision_id}"><text>{text}</text></literalExpression>'
        "</decision>"
    )


SEASON = """
<decision id="season" name="Season">
  <decisionTable id="st">
    <input id="si"><inputExpression id="sie"><text>temperature</text></inputExpression></input>
    <output id="so" name="seasonName"/>
    <rule id="hot"><inputEntry id="h1"><text>&gt; 20</text></inputEntry>
      <outputEntry id="h2"><text>"Summer"</text></outputEntry></rule>
    <rule id="cold"><inputEntry id="c1"><text>&lt;= 20</text></inputEntry>
      <outputEntry id="c2"><text>"Winter"</text></outputEntry></rule>
  </decisionTable>
</decision>
"""

DISH = f"""
<decision id="dish" name="Dish">{requires("season")}
  <decisionTable id="dt">
    <input id="di"><inputExpression id="die"><text>seasonName</text></inputExpression></input>
    <input id="dj"><inputExpression id="dje"><text>season</text></inputExpression></input>
    <output id="do" name="dish"/>
    <rule id="salad"><inputEntry id="s1"><text>"Summer"</text></inputEntry>
      <inputEntry id="s1b"><text>"Summer"</text></inputEntry>
      <outputEntry id="s2"><text>"Salad"</text></outputEntry></rule>
    <rule id="stew"><inputEntry id="w1"><text>"Winter"</text></inputEntry>
      <inputEntry id="w1b"><text>-</text></inputEntry>
      <outputEntry id="w2"><text>"Stew"</text></outputEntry></rule>
  </decisionTable>
</decision>
"""


def service(langs: Languages, *bodies: str, **files: str) -> DecisionService:
    sources = {"g.dmn": (HEAD + "".join(bodies) + "</definitions>").encode()}
    sources.update({name: text.encode() for name, text in files.items()})
    return DecisionService.from_sources(sources, languages=langs)


def test_required_decision_result_is_a_variable(fake_languages: Languages) -> None:
    svc = service(fake_languages, SEASON, DISH)
    assert svc.decision_ids() == ["season", "dish"]
    result = svc.evaluate("dish", {"temperature": 30})
    # seasonName is the required decision's output name (Camunda), season its id
    assert result.value == "Salad"
    assert result.matched_rules == ("salad",)
    assert [r.decision_id for r in result.required] == ["season"]
    assert result.required[0].value == "Summer"
    assert svc.evaluate("dish", {"temperature": 5}).value == "Stew"


def test_required_results_override_given_variables(fake_languages: Languages) -> None:
    svc = service(fake_languages, SEASON, DISH)
    assert svc.evaluate("dish", {"temperature": 5, "seasonName": "Summer"}).value == "Stew"


def test_literal_expression_decisions_chain(fake_languages: Languages) -> None:
    svc = service(
        fake_languages,
        literal("a", "amount", variable="total"),
        literal("b", "total", "a"),
        literal("c", "a_name", "a"),
    )
    assert svc.evaluate("a", {"amount": 7}).value == 7
    assert svc.evaluate("b", {"amount": 7}).value == 7  # by the <variable> name
    assert svc.evaluate("c", {"amount": 7}).value == 7  # by the decision name
    assert svc.evaluate("b", {"amount": 7}).matched_rules == ()


class CountingExpression:
    calls: list[str] = []

    def __init__(self, text: str) -> None:
        self.text = text

    def evaluate(self, context: Mapping[str, Any]) -> Any:
        CountingExpression.calls.append(self.text)
        return context.get(self.text, 1)


def test_shared_requirement_is_evaluated_once(fake_languages: Languages) -> None:
    langs = Languages(feel=CountingExpression, feel_unary_tests=fake_languages.feel_unary_tests)
    svc = service(
        langs,
        literal("base", "x"),
        literal("left", "base", "base"),
        literal("right", "base", "base"),
        literal("top", "left", "left", "right"),
    )
    CountingExpression.calls = []
    assert svc.evaluate("top", {"x": 3}).value == 3
    assert CountingExpression.calls.count("x") == 1
    CountingExpression.calls = []
    svc.evaluate("top", {"x": 4})
    assert CountingExpression.calls.count("x") == 1  # memoized per evaluation, not across


def test_cycle_is_a_load_error(fake_languages: Languages) -> None:
    with pytest.raises(DmnLoadError, match=r"cycle: (a -> b -> a|b -> a -> b)") as info:
        service(fake_languages, literal("a", "b", "b"), literal("b", "a", "a"))
    assert "g.dmn:" in str(info.value)
    assert info.value.code == "dmn-cycle"


def test_self_requirement_is_a_cycle(fake_languages: Languages) -> None:
    with pytest.raises(DmnLoadError, match="cycle: a -> a"):
        service(fake_languages, literal("a", "a", "a"))


def test_missing_required_decision_is_located(fake_languages: Languages) -> None:
    with pytest.raises(DmnLoadError, match=r"g\.dmn:\d+ \[a\].*'#nowhere'"):
        service(fake_languages, literal("a", "x", "nowhere"))


def test_requirement_into_another_file(fake_languages: Languages) -> None:
    body = (
        '<decision id="a"><informationRequirement><requiredDecision '
        'href="http://example.com/other#b"/></informationRequirement>'
        "<literalExpression><text>b</text></literalExpression></decision>"
    )
    other = HEAD + literal("b", "y") + "</definitions>"
    svc = service(fake_languages, body, **{"other.dmn": other})
    assert svc.evaluate("a", {"y": 9}).value == 9
    with pytest.raises(DmnLoadError, match="names no loaded decision"):
        service(fake_languages, body)


def test_duplicate_ids_across_files(fake_languages: Languages) -> None:
    other = HEAD + literal("a", "y") + "</definitions>"
    with pytest.raises(DmnLoadError, match=r"also defined in g\.dmn"):
        service(fake_languages, literal("a", "x"), **{"other.dmn": other})


def test_only_dmn_sources_are_read(fake_languages: Languages) -> None:
    svc = DecisionService.from_sources(
        {"p.bpmn": b"<not-dmn/>", "x.DMN": (HEAD + literal("a", "1") + "</definitions>").encode()},
        languages=fake_languages,
    )
    assert svc.decision_ids() == ["a"]


def test_unknown_decision_lists_known_ones(fake_languages: Languages) -> None:
    svc = service(fake_languages, literal("a", "1"))
    with pytest.raises(UnknownDecision, match=r"'zzz' \(known: a\)"):
        svc.evaluate("zzz", {})

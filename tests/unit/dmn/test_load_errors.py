"""Located load errors, unsupported constructs, expression languages and check_dmn."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from seamline.bpmn.problems import Severity
from seamline.dmn import DecisionService, Languages, check_dmn, parse_dmn
from seamline.errors import (
    DecisionError,
    DmnLoadError,
    ExpressionSyntaxError,
    LoadError,
    SandboxViolation,
)

Build = Callable[..., bytes]

HEAD = '<definitions xmlns="http://www.omg.org/spec/DMN/20151101/dmn.xsd" id="x" name="X">'


def doc(body: str) -> bytes:
    return f"{HEAD}\n{body}\n</definitions>".encode()


def load(langs: Languages, data: bytes, **kw: Any) -> DecisionService:
    return DecisionService.from_sources({"f.dmn": data}, languages=langs, **kw)


def test_parse_dmn_reads_the_model(make_table: Build) -> None:
    document = parse_dmn(make_table(hit_policy="RULE_ORDER", rules=[(["1"], ['"a"'])]), "f.dmn")
    decision = document.decision("d")
    assert decision.name == "Decision d"
    assert decision.logic.where.line == 4
    assert [r.id for r in decision.logic.rules] == ["r1"]  # type: ignore[union-attr]
    assert str(decision.logic.hit_policy) == "RULE ORDER"  # type: ignore[union-attr]


def test_bad_feel_in_an_entry_is_located(fake_languages: Languages, make_table: Build) -> None:
    xml = make_table(rules=[(["< 10"], ['"a"']), (["< @@"], ['"b"'])])
    with pytest.raises(DmnLoadError) as info:
        load(fake_languages, xml)
    error = info.value
    assert error.context["file"] == "f.dmn"
    assert error.context["line"] == 12
    assert error.context["element"] == "r2i1"
    assert "input entry of rule 'r2'" in str(error) and "'< @@'" in str(error)
    assert error.code == "dmn-expression-syntax"


def test_every_problem_is_collected(fake_languages: Languages, make_table: Build) -> None:
    xml = make_table(rules=[(["< @@"], ['"a"']), (["-"], ["@@"])])
    with pytest.raises(DmnLoadError, match="and 1 more") as info:
        load(fake_languages, xml)
    assert [p.element for p in info.value.problems] == ["r1i1", "r2o1"]


@pytest.mark.parametrize(
    ("body", "code", "element", "text"),
    [
        ('<businessKnowledgeModel id="bkm"/>', "dmn-unsupported", "bkm", "business knowledge"),
        ('<import id="imp" importType="x"/>', "dmn-unsupported", "imp", "imports"),
        ('<decision id="d"><context id="ctx"/></decision>', "dmn-unsupported", "ctx", "contexts"),
        ('<decision id="d"><invocation id="inv"/></decision>', "dmn-unsupported", "inv", "invoc"),
        ('<decision id="d"/>', "dmn-no-logic", "d", "no decision table"),
        (
            '<decision id="d"><knowledgeRequirement id="kr"/><literalExpression>'
            "<text>1</text></literalExpression></decision>",
            "dmn-unsupported",
            "kr",
            "business knowledge",
        ),
        (
            '<decision id="d"><decisionTable id="t" hitPolicy="SOMETIMES"><output id="o"/>'
            "</decisionTable></decision>",
            "dmn-bad-hit-policy",
            "t",
            "SOMETIMES",
        ),
        (
            '<decision id="d"><decisionTable id="t" hitPolicy="FIRST" aggregation="SUM">'
            '<output id="o"/></decisionTable></decision>',
            "dmn-bad-aggregation",
            "t",
            "COLLECT",
        ),
        (
            '<decision id="d"><decisionTable id="t"><input id="i" label="age"><inputExpression>'
            '<text/></inputExpression></input><output id="o"/></decisionTable></decision>',
            "dmn-empty-input",
            "i",
            "age",
        ),
        (
            '<decision id="d"><decisionTable id="t"><input id="i"><inputExpression><text>x'
            '</text></inputExpression></input><output id="o"/><rule id="r"><outputEntry>'
            "<text>1</text></outputEntry></rule></decisionTable></decision>",
            "dmn-rule-shape",
            "r",
            "0 input and 1 output",
        ),
        (
            '<decision id="d"><decisionTable id="t"/></decision>',
            "dmn-no-output",
            "t",
            "no output",
        ),
        (
            '<decision id="d"><literalExpression id="le" expressionLanguage="cobol">'
            "<text>1</text></literalExpression></decision>",
            "dmn-unknown-language",
            "le",
            "cobol",
        ),
    ],
)
def test_unsupported_and_malformed_are_located(
    body: str, code: str, element: str, text: str
) -> None:
    data = doc(body)
    with pytest.raises(DmnLoadError) as info:
        parse_dmn(data, "f.dmn")
    assert info.value.code == code
    assert info.value.context["element"] == element
    assert info.value.context["line"] == 2
    assert text in str(info.value)
    problems = check_dmn(data, "f.dmn")
    assert any(p.code == code and p.severity is Severity.ERROR for p in problems)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "xml-empty"),
        (b"<definitions", "xml-syntax"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><definitions/>', "xml-unsafe"),
        (b"<process/>", "dmn-not-definitions"),
        (b"\xff\xfe garbage", "xml-syntax"),
    ],
)
def test_unreadable_files(data: bytes, code: str) -> None:
    with pytest.raises(LoadError) as info:
        parse_dmn(data, "f.dmn")
    assert info.value.code == code
    problems = check_dmn(data, "f.dmn")
    assert [p.code for p in problems] == [code]
    assert problems[0].file == "f.dmn"


def test_check_dmn_reports_expression_errors(fake_languages: Languages, make_table: Build) -> None:
    xml = make_table(rules=[(["< @@"], ['"a"'])])
    problems = check_dmn(xml, "f.dmn", languages=fake_languages)
    assert [(p.code, p.element, p.line) for p in problems] == [("dmn-expression-syntax", "r1i1", 8)]
    assert check_dmn(make_table(rules=[(["1"], ["2"])]), "f.dmn", languages=fake_languages) == []


def test_check_dmn_never_raises_even_if_the_language_does() -> None:
    def broken(text: str) -> Any:
        raise RuntimeError("boom")

    problems = check_dmn(
        doc('<decision id="d"><literalExpression><text>1</text></literalExpression></decision>'),
        "f.dmn",
        languages=Languages(feel=broken, feel_unary_tests=broken),
    )
    assert [p.code for p in problems] == ["dmn-expression-syntax"]


PY_TABLE = """
<decision id="d"><decisionTable id="t">
  <input id="i"><inputExpression id="ie" expressionLanguage="python"><text>kind</text>
  </inputExpression></input>
  <output id="o" name="out"/>
  <rule id="r1"><inputEntry id="e1" expressionLanguage="python"><text>cellInput in ("a", "b")
  </text></inputEntry><outputEntry id="o1"><text>"ab"</text></outputEntry></rule>
  <rule id="r2"><inputEntry id="e2" expressionLanguage="python"><text>"c"</text></inputEntry>
  <outputEntry id="o2"><text>"c"</text></outputEntry></rule>
</decisionTable></decision>
"""


class FakeSandbox:
    """Stands in for the engine's sandbox: evaluates with eval over the given context only."""

    def __init__(self, text: str) -> None:
        self.text = text.strip()

    def evaluate(self, context: Mapping[str, Any]) -> Any:
        if "import" in self.text:
            raise SandboxViolation("imports are not allowed")
        return eval(self.text, {"__builtins__": {}}, dict(context))


def test_python_needs_an_injected_evaluator(fake_languages: Languages) -> None:
    with pytest.raises(DmnLoadError, match=r"f\.dmn:\d+ \[ie\].*python.*sandbox"):
        load(fake_languages, doc(PY_TABLE))
    problems = check_dmn(doc(PY_TABLE), "f.dmn", languages=fake_languages)
    assert {p.severity for p in problems} == {Severity.WARNING}


def test_python_entries_via_the_injected_evaluator(fake_languages: Languages) -> None:
    svc = load(fake_languages, doc(PY_TABLE), python=FakeSandbox)
    assert svc.evaluate("d", {"kind": "b"}).value == "ab"
    assert svc.evaluate("d", {"kind": "c"}).value == "c"
    assert svc.evaluate("d", {"kind": "z"}).value is None


def test_sandbox_refusal_keeps_its_kind_and_location(fake_languages: Languages) -> None:
    body = PY_TABLE.replace("<text>kind</text>", "<text>import os</text>")
    svc = load(fake_languages, doc(body), python=FakeSandbox)
    with pytest.raises(SandboxViolation, match=r"f\.dmn:\d+ \[ie\]"):
        svc.evaluate("d", {})


def test_juel_when_the_build_has_none(fake_languages: Languages) -> None:
    body = (
        '<decision id="d"><literalExpression id="le" expressionLanguage="juel">'
        "<text>${x}</text></literalExpression></decision>"
    )
    with pytest.raises(DmnLoadError, match="juel, which is not available"):
        load(fake_languages, doc(body))
    juel = Languages(fake_languages.feel, fake_languages.feel_unary_tests, juel=FakeSandbox)
    assert load(juel, doc(body.replace("${x}", "x"))).evaluate("d", {"x": 2}).value == 2


def test_definitions_level_expression_language(fake_languages: Languages) -> None:
    data = doc(PY_TABLE.replace(' expressionLanguage="python"', "")).replace(
        b'name="X">', b'name="X" expressionLanguage="python">'
    )
    svc = load(fake_languages, data, python=FakeSandbox)
    assert svc.evaluate("d", {"kind": "a"}).value == "ab"


def test_runtime_expression_error_is_a_located_decision_error(
    fake_languages: Languages,
) -> None:
    def failing(text: str) -> Any:
        class Failing:
            def evaluate(self, context: Mapping[str, Any]) -> Any:
                raise ExpressionSyntaxError("division by zero")

        return Failing()

    langs = Languages(feel=failing, feel_unary_tests=fake_languages.feel_unary_tests)
    data = doc(
        '<decision id="d"><literalExpression id="le"><text>1/0</text></literalExpression>'
        "</decision>"
    )
    with pytest.raises(DecisionError, match=r"f\.dmn:2 \[le\].*division by zero"):
        load(langs, data).evaluate("d", {})

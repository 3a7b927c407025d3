"""Third-party DMN files: each loads or fails with a located error; known answers hold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from seamline.bpmn.problems import Severity
from seamline.dmn import DecisionService, Languages, check_dmn, parse_dmn
from seamline.errors import DmnLoadError

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
FILES = sorted(CORPUS.rglob("*.dmn")) if CORPUS.is_dir() else []
INVOICE = "camunda-invoice/invoiceBusinessDecisions.dmn"
DISH = "spiffworkflow-tests/dmn/data/dmn_version_test/v1_3_unsupported/"
DISH += "diagram-interchange-dish-example.dmn"


def _name(path: Path) -> str:
    return str(path.relative_to(CORPUS))


def _located(error: DmnLoadError, name: str) -> None:
    assert error.context["file"] == name
    assert isinstance(error.context["line"], int)
    assert error.context["element"]
    assert str(error).startswith(f"{name}:")
    assert "\n" not in str(error)


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_parses_or_gives_a_located_error(corpus: Path, path: Path) -> None:
    name = _name(path)
    try:
        document = parse_dmn(path.read_bytes(), name)
    except DmnLoadError as error:
        _located(error, name)
    else:
        assert document.file == name
        assert all(decision.where.line for decision in document.decisions)


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_loads_with_feel_or_gives_a_located_error(
    corpus: Path, path: Path, real_languages: Languages
) -> None:
    name = _name(path)
    data = path.read_bytes()
    problems = check_dmn(data, name, languages=real_languages)
    assert all(p.file == name for p in problems)
    try:
        service = DecisionService.from_sources({name: data}, languages=real_languages)
    except DmnLoadError as error:
        _located(error, name)
    else:
        assert service.decision_ids() == [d.id for d in parse_dmn(data, name).decisions]
        assert not [p for p in problems if p.severity is Severity.ERROR]


def test_corpus_is_there(corpus: Path) -> None:
    assert len(FILES) >= 40


INVOICE_CASES = [
    (100, "Misc", "day-to-day expense", ["accounting", "sales"]),
    (250, "Misc", "budget", ["management"]),
    (1000, "Misc", "budget", ["management"]),
    (1000.01, "Misc", "exceptional", ["management"]),
    (9, "Travel Expenses", "day-to-day expense", ["accounting", "sales"]),
    (99999, "Software License Costs", "budget", ["management"]),
    (10, "Food", None, []),
]


def _invoice(corpus: Path, langs: Languages) -> DecisionService:
    data = (corpus / INVOICE).read_bytes()
    return DecisionService.from_sources({"invoice.dmn": data}, languages=langs)


@pytest.mark.parametrize(("amount", "category", "classification", "groups"), INVOICE_CASES)
def test_invoice_graph_with_real_feel(
    corpus: Path,
    real_languages: Languages,
    amount: Any,
    category: str,
    classification: str | None,
    groups: list[str],
) -> None:
    service = _invoice(corpus, real_languages)
    variables = {"amount": amount, "invoiceCategory": category}
    assert service.evaluate("invoiceClassification", variables).value == classification
    result = service.evaluate("invoice-assign-approver", variables)
    assert result.value == groups
    assert result.required[0].value == classification


@pytest.mark.parametrize(("amount", "category", "classification", "groups"), INVOICE_CASES)
def test_invoice_graph_with_fake_feel(
    corpus: Path,
    fake_languages: Languages,
    amount: Any,
    category: str,
    classification: str | None,
    groups: list[str],
) -> None:
    service = _invoice(corpus, fake_languages)
    result = service.evaluate(
        "invoice-assign-approver", {"amount": amount, "invoiceCategory": category}
    )
    assert (result.required[0].value, result.value) == (classification, groups)


def test_invoice_matched_rules_for_the_audit_trail(corpus: Path, fake_languages: Languages) -> None:
    result = _invoice(corpus, fake_languages).evaluate(
        "invoice-assign-approver", {"amount": 100, "invoiceCategory": "Misc"}
    )
    assert result.matched_rules == ("row-49839158-1", "row-49839158-6")
    assert result.required[0].matched_rules == ("DecisionRule_1of5a87",)


@pytest.mark.parametrize(
    ("temperature", "day", "dish"),
    [
        (35, "Weekday", "Beans salad"),
        (35, "Holiday", "Beans salad"),
        (5, "Holiday", "Pasta"),
        (5, "Weekday", "Spareribs"),
        (20, "Weekday", "Stew"),
        (20, "Holiday", "Steak"),
    ],
)
def test_dish_graph_of_three_tables(
    corpus: Path, real_languages: Languages, temperature: int, day: str, dish: str
) -> None:
    data = (corpus / DISH).read_bytes()
    service = DecisionService.from_sources({"dish.dmn": data}, languages=real_languages)
    result = service.evaluate("dish", {"temperature": temperature, "dayType": day})
    assert result.value == dish
    assert [r.decision_id for r in result.required] == ["season", "guestCount"]

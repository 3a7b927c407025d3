from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import click
import pytest
from click.testing import CliRunner

from seamline.humans.forms import form_from_camunda_form_data, form_from_spiff_schema
from seamline.humans.prompt import prompt_form


def schema() -> dict[str, Any]:
    return form_from_camunda_form_data(
        [
            {"id": "name", "label": "Your name", "type": "string",
             "validation": [{"name": "required"}]},
            {"id": "amount", "label": "Amount", "type": "long", "defaultValue": "10",
             "validation": [{"name": "min", "config": "0"}]},
            {"id": "decision", "label": "Decision", "type": "enum",
             "values": [{"id": "approve", "name": "Approve"}, {"id": "reject", "name": "Reject"}]},
            {"id": "due", "label": "Due", "type": "date"},
            {"id": "code", "label": "Code", "type": "string", "defaultValue": "C1",
             "validation": [{"name": "readonly"}]},
            {"id": "urgent", "label": "Urgent", "type": "boolean"},
        ]
    )  # fmt: skip


class Terminal:
    """Scripted answers; pressing enter (an empty answer) takes the offered default."""

    def __init__(self, answers: list[str]) -> None:
        self.answers: Iterator[str] = iter(answers)
        self.asked: list[tuple[str, str]] = []
        self.lines: list[str] = []

    def prompt(self, text: str, default: str = "", show_default: bool = True) -> str:
        self.asked.append((text, default))
        answer = next(self.answers)
        return answer or default

    def echo(self, line: str) -> None:
        self.lines.append(line)


def test_walks_fields_in_order_with_labels_defaults_and_choices() -> None:
    term = Terminal(["Ann", "", "2", "31/12/2024", "y"])
    data = prompt_form(schema(), defaults=None, prompt=term.prompt, echo=term.echo)

    assert data == {
        "name": "Ann",
        "amount": 10,
        "decision": "reject",
        "due": "2024-12-31",
        "code": "C1",
        "urgent": True,
    }
    assert term.asked == [
        ("Your name", ""),
        ("Amount (whole number, optional)", "10"),
        ("Decision (number or name, optional)", ""),
        ("Due (2024-12-31 or 31/12/2024, optional)", ""),
        ("Urgent (yes/no, optional)", ""),
    ]
    assert "  1) Approve (approve)" in term.lines
    assert "  2) Reject (reject)" in term.lines
    assert "Code: C1 (read-only)" in term.lines


def test_reasks_a_field_until_it_is_valid() -> None:
    term = Terminal(["", "Ann", "-5", "lots", "7", "maybe", "approve", "", ""])
    data = prompt_form(schema(), defaults=None, prompt=term.prompt, echo=term.echo)

    assert data["name"] == "Ann"
    assert data["amount"] == 7
    assert data["decision"] == "approve"
    assert "due" not in data and "urgent" not in data
    assert "name: required" in term.lines
    assert "amount: must be >= 0 (got -5)" in term.lines
    assert "amount: must be a whole number (got 'lots')" in term.lines
    assert "decision: must be one of approve, reject (got 'maybe')" in term.lines
    assert [text for text, _ in term.asked].count("Your name") == 2


def test_given_defaults_win_over_form_defaults() -> None:
    term = Terminal(["", "", "Approve", "", ""])
    data = prompt_form(
        schema(), defaults={"name": "Bob", "amount": 3}, prompt=term.prompt, echo=term.echo
    )
    assert (data["name"], data["amount"], data["decision"]) == ("Bob", 3, "approve")
    assert term.asked[0] == ("Your name", "Bob")


def test_cross_field_rules_reask_the_fields_named() -> None:
    form = form_from_spiff_schema(
        {
            "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
            "dependentRequired": {"a": ["b"]},
        }
    )
    form["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    term = Terminal(["1", "", "2"])
    assert prompt_form(form, prompt=term.prompt, echo=term.echo) == {"a": 1, "b": 2}
    assert any("b" in line for line in term.lines)


def test_lists_and_objects() -> None:
    form = form_from_spiff_schema(
        {
            "properties": {
                "tags": {"type": "array", "items": {"type": "string", "enum": ["x", "y"]}},
                "where": {"type": "object", "properties": {"city": {"type": "string"}}},
            }
        }
    )
    term = Terminal(["1, y", "{oops", '{"city": "Lyon"}'])
    data = prompt_form(form, prompt=term.prompt, echo=term.echo)
    assert data == {"tags": ["x", "y"], "where": {"city": "Lyon"}}
    assert any(line.startswith("where: must be JSON") for line in term.lines)


@click.command()
def fill() -> None:
    data = prompt_form(schema())
    click.echo(f"result={sorted(data.items())}")


def test_with_click_runner_input() -> None:
    result = CliRunner().invoke(fill, input="\nAnn\n\n1\n2024-02-29\nno\n")
    assert result.exit_code == 0, result.output
    assert "name: required" in result.output
    assert "Amount (whole number, optional) [10]:" in result.output
    assert (
        "result=[('amount', 10), ('code', 'C1'), ('decision', 'approve'), "
        "('due', '2024-02-29'), ('name', 'Ann'), ('urgent', False)]"
    ) in result.output


def test_running_out_of_input_aborts() -> None:
    result = CliRunner().invoke(fill, input="\n")
    assert result.exit_code == 1
    assert "Aborted" in result.output


@pytest.mark.parametrize("answer", ["yes", "Y", "true", "1", "on"])
def test_boolean_words(answer: str) -> None:
    form = form_from_camunda_form_data([{"id": "ok", "label": "OK", "type": "boolean"}])
    term = Terminal([answer])
    assert prompt_form(form, prompt=term.prompt, echo=term.echo) == {"ok": True}


def test_the_walk_offers_the_prefill_and_shows_the_forms_texts() -> None:
    from seamline.humans.forms import form_from_camunda_forms_json
    from seamline.humans.prefill import with_prefill

    form = with_prefill(
        form_from_camunda_forms_json(
            {"components": [
                {"type": "text", "text": "Check the **supplier**"},
                {"key": "supplier", "label": "Supplier", "type": "textfield"},
                {"key": "ok", "label": "OK?", "type": "checkbox"},
            ]}
        ),
        {"supplier": "ACME", "ok": False},
    )  # fmt: skip
    assert form is not None
    term = Terminal(["", "yes"])
    got = prompt_form(form, prompt=term.prompt, echo=term.lines.append)
    assert got == {"supplier": "ACME", "ok": True}
    assert term.lines[0] == "Check the **supplier**"
    assert [default for _text, default in term.asked] == ["ACME", "no"]

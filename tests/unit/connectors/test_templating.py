from __future__ import annotations

from typing import Any

import pytest

from seamline.connectors.secrets import Secrets
from seamline.connectors.templating import is_template, render_params
from seamline.errors import FatalError, TemplateError

SECRETS = Secrets({"API_TOKEN": "tok-9"}, environ={})


def test_plain_values_pass_unchanged() -> None:
    params = {"a": "plain", "b": 3, "c": None, "d": True}
    assert render_params(params, {}, SECRETS) == params


def test_single_expression_keeps_native_type() -> None:
    data = {"order": {"id": 7, "items": [1, 2]}, "n": 2}
    out = render_params(
        {"o": "{{ order }}", "k": " {{ n * 2 }} ", "l": "{{ order['items'] }}"}, data, SECRETS
    )
    assert out == {"o": {"id": 7, "items": [1, 2]}, "k": 4, "l": [1, 2]}


def test_native_result_is_a_copy_of_process_data() -> None:
    data: dict[str, Any] = {"order": {"id": 7}}
    out = render_params({"o": "{{ order }}"}, data, SECRETS)
    out["o"]["id"] = 8
    assert data["order"]["id"] == 7


def test_mixed_template_renders_text() -> None:
    out = render_params(
        {
            "url": "https://x/{{ customer.id }}/orders",
            "s": "{% if vip %}gold{% else %}std{% endif %}",
        },
        {"customer": {"id": "c-1"}, "vip": True},
        SECRETS,
    )
    assert out == {"url": "https://x/c-1/orders", "s": "gold"}


def test_two_expressions_are_text() -> None:
    assert render_params({"v": "{{ a }}{{ b }}"}, {"a": 1, "b": 2}, SECRETS) == {"v": "12"}


def test_tojson_gives_plain_text() -> None:
    out = render_params({"v": "{{ x | tojson }}"}, {"x": {"a": 1}}, SECRETS)
    assert out["v"] == '{"a": 1}' and type(out["v"]) is str


def test_nested_dicts_and_lists_are_rendered() -> None:
    params = {
        "headers": {"X-Id": "{{ id }}"},
        "args": ["{{ id }}", "lit", {"deep": "{{ id + 1 }}"}],
    }
    assert render_params(params, {"id": 5}, SECRETS) == {
        "headers": {"X-Id": 5},
        "args": [5, "lit", {"deep": 6}],
    }


def test_secrets_in_templates_and_references() -> None:
    params = {
        "h": "Bearer {{ secrets.API_TOKEN }}",
        "t": "secret:API_TOKEN",
        "i": "{{ secrets['API_TOKEN'] }}",
    }
    assert render_params(params, {}, SECRETS) == {"h": "Bearer tok-9", "t": "tok-9", "i": "tok-9"}


def test_undefined_variable_names_variable_parameter_and_element() -> None:
    with pytest.raises(TemplateError) as info:
        render_params(
            {"headers": {"X": "{{ customer.id }}"}}, {}, SECRETS, element="Task_1", instance="i-1"
        )
    text = str(info.value)
    assert "customer" in text and "headers.X" in text and "Task_1" in text and "i-1" in text
    assert isinstance(info.value, FatalError)


def test_undefined_attribute_in_single_expression() -> None:
    with pytest.raises(TemplateError, match="has no attribute 'missing'"):
        render_params({"v": "{{ order.missing }}"}, {"order": {}}, SECRETS)


def test_missing_secret_is_named() -> None:
    with pytest.raises(TemplateError, match="NOPE"):
        render_params({"v": "{{ secrets.NOPE }}"}, {}, SECRETS)


@pytest.mark.parametrize(
    "template", ["{{ x.__class__.__mro__ }}", "{{ x.append(1) }}", "{{ ''.__class__ }}"]
)
def test_sandbox_refuses_unsafe_access(template: str) -> None:
    with pytest.raises(TemplateError, match="not allowed"):
        render_params({"v": template}, {"x": []}, SECRETS)


def test_syntax_error_is_reported() -> None:
    with pytest.raises(TemplateError, match="not a valid template"):
        render_params({"v": "{{ a + }}"}, {"a": 1}, SECRETS)


def test_runtime_error_is_reported() -> None:
    with pytest.raises(TemplateError, match="ZeroDivisionError"):
        render_params({"v": "{{ 1 / 0 }}"}, {}, SECRETS)


def test_is_template() -> None:
    assert is_template("{{ a }}") and is_template("{% if a %}{% endif %}")
    assert not is_template("a { b }") and not is_template(3)


def test_diagram_only_renders_marked_text_and_keeps_data_text() -> None:
    from seamline.connectors.templating import DiagramText

    data = {"note": "{{ secrets.API_TOKEN }}"}
    params = {
        "auth": DiagramText("Bearer {{ secrets.API_TOKEN }}"),
        "ref": DiagramText("secret:API_TOKEN"),
        "echo": DiagramText("said: {{ note }}"),
        "raw": "{{ secrets.API_TOKEN }}",
        "nested": {"list": ["secret:API_TOKEN", {"x": "{{ 7 * 7 }}"}]},
    }
    out = render_params(params, data, SECRETS, diagram_only=True)
    assert out == {
        "auth": "Bearer tok-9",
        "ref": "tok-9",
        "echo": "said: {{ secrets.API_TOKEN }}",
        "raw": "{{ secrets.API_TOKEN }}",
        "nested": {"list": ["secret:API_TOKEN", {"x": "{{ 7 * 7 }}"}]},
    }
    assert type(out["auth"]) is str and type(out["echo"]) is str


def test_mark_diagram_text_goes_by_identity_not_equality() -> None:
    from seamline.connectors.templating import DiagramText, mark_diagram_text

    literal = "".join(["{{ ", "x }}"])
    equal_from_data = "".join(["{{ x", " }}"])
    marked = mark_diagram_text({"a": literal, "b": [equal_from_data]}, (literal,))
    assert isinstance(marked["a"], DiagramText)
    assert not isinstance(marked["b"][0], DiagramText)


def test_feel_string_literals_are_told_from_data_by_identity() -> None:
    from seamline.connectors.templating import DiagramText, mark_diagram_text
    from seamline.expr import compile_feel

    compiled = compile_feel('={lit: "{{ secrets.API_TOKEN }}", data: [note]}')
    value = compiled.evaluate({"note": "{{ secrets.API_TOKEN }}"})
    marked = mark_diagram_text(value, compiled.literals)
    assert isinstance(marked["lit"], DiagramText)
    assert not isinstance(marked["data"][0], DiagramText)
    out = render_params(marked, {}, SECRETS, diagram_only=True)
    assert out == {"lit": "tok-9", "data": ["{{ secrets.API_TOKEN }}"]}

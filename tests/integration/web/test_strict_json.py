"""The JSON API refuses NaN and infinities in request bodies, naming the field."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from seamline.app import App
from seamline.errors import FormInvalid, UsageError
from tests.integration.web.conftest import Client


def test_a_body_with_nan_is_refused_naming_the_field(
    client: Client, app: App, files: dict[str, Path]
) -> None:
    view = app.run(files["expense"], {})
    task = view.waiting[0].task
    reply = client.post(
        f"/api/tasks/{task}/complete",
        body=b'{"amount": 7, "reason": "lunch", "extra": {"rate": NaN}}',
        headers={"X-Seamline-User": "bob"},
        content_type="application/json",
    )
    assert reply.status == 400, reply.text
    assert reply.json()["error"] == (
        "the request body: extra.rate: NaN is not a number; use a finite number or null"
    )
    assert app.task(task).status.value == "open"
    assert app.show(view.instance.id).instance.version == view.instance.version


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_the_app_refuses_non_finite_numbers_on_every_verb(
    app: App, files: dict[str, Path], value: float
) -> None:
    first = app.run(files["expense"], {})
    view = app.complete(first.waiting[0].task, {"amount": 1, "reason": "r"}, user="bob")
    task = view.waiting[0].task  # "file": a task without a form, so the data goes in as sent
    with pytest.raises(FormInvalid, match=r"^\[file\]: invalid form data: x: .* is not a number"):
        app.complete(task, {"x": value}, user="bob")
    for call in (
        lambda: app.run(files["expense"], {"x": [value]}),
        lambda: app.set_data(view.instance.id, {"x": value}, user="root"),
        lambda: app.message("m", data={"x": value}),
        lambda: app.signal("s", data={"x": value}),
    ):
        with pytest.raises(UsageError, match="is not a number; use a finite number or null"):
            call()
    assert app.show(view.instance.id).instance.version == view.instance.version


def test_web_json_responses_never_hold_a_bare_nan() -> None:
    import json

    from seamline.web.http import json_response

    response = json_response({"schema": {"minimum": math.nan, "maximum": math.inf}})
    text = response.body.decode("utf-8")
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text) == {"schema": {"minimum": None, "maximum": None}}

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from seamline.connectors.base import ConnectorCall
from seamline.connectors.llm_inputs import Limits, read_inputs
from seamline.connectors.llm_profiles import Profile
from seamline.errors import FatalError

PROFILE = Profile("p", "openai", "http://x", model="m", temperature=0.3, timeout=9)


def read(**params: Any) -> Any:
    return read_inputs(ConnectorCall("llm", params, "i", "Task_1"), PROFILE, None)


def test_defaults_come_from_the_profile() -> None:
    inputs = read(prompt="p")
    assert inputs.limits == Limits(6, 8, 2)
    assert (inputs.temperature, inputs.max_tokens, inputs.timeout) == (0.3, None, 9)
    assert inputs.schema is None and inputs.system == ""


def test_prompt_files_render_with_vars_inside_base_dir(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "p.j2").write_text("{% include 'part.j2' %} {{ n * 2 }}")
    (tmp_path / "part.j2").write_text("hello")
    inputs = read(base_dir=str(tmp_path), prompt_file="sub/p.j2", vars={"n": 21})
    assert inputs.prompt == "hello 42"
    (tmp_path / "bad.j2").write_text("{{ missing }}")
    with pytest.raises(FatalError, match="'missing' is undefined"):
        read(base_dir=str(tmp_path), prompt_file="bad.j2")
    with pytest.raises(FatalError, match="lies outside base_dir"):
        read(base_dir=str(tmp_path / "sub"), prompt_file="../part.j2")
    with pytest.raises(FatalError, match="does not exist"):
        read(base_dir=str(tmp_path), prompt_file="nope.j2")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "'prompt' .* is required"),
        ({"prompt": "p", "prompt_file": "f"}, "either 'prompt' or 'prompt_file'"),
        ({"prompt": "p", "schema": "{oops"}, "parameter 'schema' is not JSON"),
        ({"prompt": "p", "schema": [1]}, "must be a JSON Schema object"),
        ({"prompt": "p", "schema": {"type": 3}}, "not a valid JSON Schema"),
        ({"prompt": "p", "max_tool_calls": -1}, "whole number"),
        ({"prompt": "p", "max_model_calls": 0}, "whole number"),
        ({"prompt": "p", "max_repairs": 1.5}, "whole number"),
        ({"prompt": "p", "timeout": "soon"}, "'timeout' must be a number"),
        ({"prompt": "p", "temperature": True}, "'temperature' must be a number"),
        ({"prompt": "p", "vars": [1]}, "'vars' must be an object"),
    ],
)
def test_bad_parameters_are_fatal_and_located(params: dict[str, Any], message: str) -> None:
    with pytest.raises(FatalError, match=message) as caught:
        read(**params)
    assert "[Task_1]" in str(caught.value)


def test_schema_as_json_text_and_limits() -> None:
    inputs = read(prompt="p", schema='{"type": "string"}', max_repairs=0, max_tool_calls="3")
    assert inputs.schema == {"type": "string"}
    assert inputs.limits == Limits(6, 3, 0)

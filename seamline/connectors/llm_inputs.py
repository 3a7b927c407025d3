"""The ``llm`` connector's parameters, read and checked: prompts, schema and limits.

``prompt`` and ``system`` arrive already rendered by seamline's templating. ``prompt_file`` and
``system_file`` are jinja2 templates under ``base_dir`` (param, else ``[llm] prompt_dir``, else
the working directory) rendered with the ``vars`` param; ``schema_file`` is a JSON file there.
Files may not lie outside ``base_dir``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from seamline.connectors.base import ConnectorCall
from seamline.connectors.llm_profiles import Profile, number, positive_number
from seamline.connectors.llm_structured import check_schema


@dataclass(frozen=True)
class Limits:
    """Caps per task: model calls (repairs included), tool calls, and repair rounds."""

    max_model_calls: int = 6
    max_tool_calls: int = 8
    max_repairs: int = 2


@dataclass(frozen=True)
class Inputs:
    """Everything the agent loop needs from the call's parameters."""

    prompt: str
    system: str
    schema: Mapping[str, Any] | None
    limits: Limits
    temperature: float | None
    max_tokens: int | None
    timeout: float


def read_inputs(call: ConnectorCall, profile: Profile, prompt_dir: str | None) -> Inputs:
    """Read and check the parameters of ``call``; FatalError naming the parameter otherwise."""
    params = call.params
    base = Path(str(params.get("base_dir") or prompt_dir or "."))
    variables = params.get("vars") or {}
    if not isinstance(variables, Mapping):
        raise call.fatal("parameter 'vars' must be an object of name: value")
    prompt = _text(call, "prompt", base, variables)
    if not prompt:
        raise call.fatal("parameter 'prompt' (or 'prompt_file') is required")
    return Inputs(
        prompt=prompt,
        system=_text(call, "system", base, variables),
        schema=_schema(call, base),
        limits=_limits(call),
        temperature=_optional(call, "temperature", profile.temperature),
        max_tokens=_optional_int(call, "max_tokens", profile.max_tokens),
        timeout=positive_number(
            params.get("timeout") or profile.timeout, "parameter 'timeout'", call.fatal
        ),
    )


def _text(call: ConnectorCall, name: str, base: Path, variables: Mapping[str, Any]) -> str:
    inline = call.params.get(name)
    file = call.params.get(f"{name}_file")
    if inline is not None and file is not None:
        raise call.fatal(f"give either '{name}' or '{name}_file', not both")
    if file is None:
        return "" if inline is None else str(inline)
    path = _path(call, base, str(file), f"{name}_file")
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(base.resolve())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    try:
        return env.get_template(path.relative_to(base.resolve()).as_posix()).render(**variables)
    except jinja2.TemplateSyntaxError as exc:
        raise call.fatal(
            f"{name}_file {path}:{exc.lineno} is not a valid template: {exc.message}"
        ) from exc
    except jinja2.UndefinedError as exc:
        raise call.fatal(
            f"{name}_file {path}: {exc.message}", hint="pass the variable in the vars parameter"
        ) from exc
    except jinja2.TemplateError as exc:
        raise call.fatal(f"{name}_file {path} failed to render: {exc}") from exc


def _path(call: ConnectorCall, base: Path, name: str, param: str) -> Path:
    root = base.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root):
        raise call.fatal(f"{param} '{name}' lies outside base_dir {root}")
    if not path.is_file():
        raise call.fatal(f"{param} '{name}' does not exist under {root}", hint="set base_dir")
    return path


def _schema(call: ConnectorCall, base: Path) -> Mapping[str, Any] | None:
    raw = call.params.get("schema")
    file = call.params.get("schema_file")
    if raw is not None and file is not None:
        raise call.fatal("give either 'schema' or 'schema_file', not both")
    where = "parameter 'schema'"
    if file is not None:
        path = _path(call, base, str(file), "schema_file")
        where = f"schema_file {path}"
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise call.fatal(f"{where} cannot be read: {exc}") from exc
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise call.fatal(
                f"{where} is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
            ) from exc
    if not isinstance(raw, Mapping):
        raise call.fatal(f"{where} must be a JSON Schema object, got {type(raw).__name__}")
    problem = check_schema(raw)
    if problem:
        raise call.fatal(f"{where} is not a valid JSON Schema {problem}")
    return dict(raw)


def _limits(call: ConnectorCall) -> Limits:
    defaults = Limits()
    values: dict[str, int] = {}
    for name in ("max_model_calls", "max_tool_calls", "max_repairs"):
        value = call.params.get(name)
        if value is None:
            continue
        whole = number(value, f"parameter '{name}'", call.fatal)
        if whole != int(whole) or whole < (0 if name != "max_model_calls" else 1):
            raise call.fatal(f"parameter '{name}' must be a whole number >= 0, got {value!r}")
        values[name] = int(whole)
    return Limits(**{**defaults.__dict__, **values})


def _optional(call: ConnectorCall, name: str, default: float | None) -> float | None:
    value = call.params.get(name)
    return default if value is None else number(value, f"parameter '{name}'", call.fatal)


def _optional_int(call: ConnectorCall, name: str, default: int | None) -> int | None:
    value = call.params.get(name)
    if value is None:
        return default
    return int(positive_number(value, f"parameter '{name}'", call.fatal))

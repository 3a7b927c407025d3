"""Render connector parameters from process data with sandboxed jinja2 templates.

A string value holding ``{{`` or ``{%`` is a template over the process data, with ``secrets``
bound to the instance's secrets (``{{ secrets.API_TOKEN }}``). A value that is exactly one
``{{ expr }}`` keeps the expression's native type, so ``"{{ order }}"`` stays a dict. A value
``secret:NAME`` becomes the secret's value. Dicts and lists are rendered item by item. A process
variable called ``secrets`` is hidden by the secrets accessor inside templates.

Only the diagram's own text is a template. With ``diagram_only=True`` (how the engine renders a
service task's inputs) a string is rendered only when it is :class:`DiagramText`: a literal the
diagram wrote. Every other string -- anything read from process data, whether directly or as the
value of an expression, nested in dicts and lists or not -- is passed on as it is, so a form field
holding ``{{ secrets.API_TOKEN }}`` or ``secret:API_TOKEN`` stays that text. A template's output
is never rendered again either: ``"Note: {{ note }}"`` inserts the note's text verbatim.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

import jinja2
import markupsafe
from jinja2.sandbox import ImmutableSandboxedEnvironment

from seamline.connectors.secrets import Secrets
from seamline.errors import ConfigError, SeamlineError, TemplateError

_SINGLE_EXPRESSION = re.compile(r"^\s*\{\{(?P<expr>(?:(?!\{\{|\}\}|\{%|\{#).)*)\}\}\s*$", re.DOTALL)

_env = ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)


class _SecretsView:
    """``secrets`` inside templates: attribute or item access resolves one named secret."""

    def __init__(self, secrets: Secrets) -> None:
        self._secrets = secrets

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._secrets.get(name)

    def __getitem__(self, name: str) -> str:
        return self._secrets.get(name)

    def __repr__(self) -> str:
        return "<secrets>"


@functools.lru_cache(maxsize=512)
def _compile_expression(source: str) -> Callable[..., Any]:
    return _env.compile_expression(source, undefined_to_none=False)


@functools.lru_cache(maxsize=512)
def _compile_template(source: str) -> jinja2.Template:
    return _env.from_string(source)


class DiagramText(str):
    """A string written in the diagram itself, which may be a template or a secret reference."""

    __slots__ = ()


def mark_diagram_text(value: Any, constants: Collection[str]) -> Any:
    """``value`` with each string that *is* one of ``constants`` (the same object) marked.

    An expression's value holds the expression's own string literals as the very objects the
    compiled code carries, while strings from process data are other objects even when equal:
    identity tells the diagram's text from the data's.
    """
    ids = {id(c) for c in constants}
    return _mark(value, ids) if ids else value


def _mark(value: Any, ids: set[int]) -> Any:
    if isinstance(value, str):
        return DiagramText(value) if id(value) in ids else value
    if isinstance(value, Mapping):
        return {k: _mark(v, ids) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mark(v, ids) for v in value]
    return value


def is_template(value: Any) -> bool:
    """Whether a parameter value is a jinja2 template."""
    return isinstance(value, str) and ("{{" in value or "{%" in value)


def render_params(
    params: Mapping[str, Any],
    data: Mapping[str, Any],
    secrets: Secrets,
    *,
    element: str | None = None,
    instance: str | None = None,
    diagram_only: bool = False,
) -> dict[str, Any]:
    """Render every templated value of ``params`` over ``data``; TemplateError on failure.

    With ``diagram_only`` only :class:`DiagramText` strings are templates or secret references;
    without it every string is (for params that come from configuration). The error names the
    parameter (as a path such as ``headers.Authorization``), the element
    and the instance, and for an undefined variable the variable's name.
    """
    context = {**data, "secrets": _SecretsView(secrets)}
    where: dict[str, Any] = {"element": element, "instance": instance, "only": diagram_only}
    return {
        str(key): _render(value, context, secrets, str(key), where) for key, value in params.items()
    }


def _render(
    value: Any, context: dict[str, Any], secrets: Secrets, path: str, where: dict[str, Any]
) -> Any:
    if isinstance(value, Mapping):
        return {
            str(k): _render(v, context, secrets, f"{path}.{k}", where) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_render(v, context, secrets, f"{path}[{i}]", where) for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value
    if isinstance(value, DiagramText):
        value = str(value)  # a plain str again: the mark must not travel into the connector
    elif where["only"]:
        return value
    try:
        return _render_text(value, context, secrets)
    except ConfigError as exc:
        raise TemplateError(
            f"parameter '{path}': {exc.message}", hint=exc.hint, **_place(where)
        ) from exc
    except SeamlineError:
        raise
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"parameter '{path}': {exc.message}",
            hint="set the variable in the process data or use a default: {{ x | default('') }}",
            **_place(where),
        ) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"parameter '{path}' is not a valid template: {exc.message}", **_place(where)
        ) from exc
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(
            f"parameter '{path}': not allowed in a template: {exc}", **_place(where)
        ) from exc
    except Exception as exc:
        raise TemplateError(
            f"parameter '{path}' failed to render: {type(exc).__name__}: {exc}", **_place(where)
        ) from exc


def _place(where: dict[str, Any]) -> dict[str, Any]:
    return {"element": where["element"], "instance": where["instance"]}


def _render_text(value: str, context: dict[str, Any], secrets: Secrets) -> Any:
    """One diagram string rendered: a secret reference, a single expression, or a template."""
    if value.startswith("secret:"):
        return secrets.get(value.removeprefix("secret:").strip())
    if not is_template(value):
        return value
    single = _SINGLE_EXPRESSION.match(value)
    if single:
        result = _compile_expression(single.group("expr"))(**context)
        if isinstance(result, jinja2.Undefined):
            # Accessing the value is what makes StrictUndefined raise with its own name.
            str(result)
        if isinstance(result, markupsafe.Markup):
            return str(result)
        # A copy, so a connector that changes its params cannot change the process data.
        return copy.deepcopy(result) if isinstance(result, dict | list) else result
    return _compile_template(value).render(context)

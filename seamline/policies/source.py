"""Cedar policy files -> one parsed policy per statement, each with its file, line and id.

cedarpy parses a whole text at once and reports errors without a position, and names policies
``policy0``, ``policy1``... So each file is cut into its statements here (outside strings and
comments, a statement ends at ``;``) and every statement is parsed alone: an error names the
file and the statement's line, and every policy keeps the id a person gave it (``@id("...")``),
else ``file.cedar:LINE``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cedarpy

from seamline.errors import PolicyError


@dataclass(frozen=True)
class Policy:
    """One Cedar policy as written: where it is, its id, annotations and Cedar JSON form."""

    id: str
    file: str
    line: int
    effect: str
    annotations: Mapping[str, str]
    body: Mapping[str, Any] = field(repr=False)
    text: str = field(repr=False, default="")

    @property
    def review(self) -> str | None:
        """The group a ``forbid`` annotated ``@review("group")`` sends the request to."""
        group = self.annotations.get("review")
        return group if self.effect == "forbid" and group else None

    @property
    def where(self) -> str:
        """``file:line`` of the policy."""
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Statement:
    """The text of one statement and the line it starts on."""

    text: str
    line: int


def require_cedar() -> Any:
    """The cedarpy module."""
    return cedarpy


def statements(text: str) -> Iterator[Statement]:
    """Cut Cedar text into statements at ``;`` outside strings and ``//`` comments.

    A trailing statement without ``;`` is yielded too (parsing it reports the missing ``;``).
    """
    start = 0
    line = 1
    start_line: int | None = None
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
        elif ch == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif ch == '"':
            if start_line is None:
                start_line = line
            i += 1
            while i < n and text[i] != '"':
                if text[i] == "\\":
                    i += 1
                elif text[i] == "\n":
                    line += 1
                i += 1
        elif ch == ";":
            yield Statement(text[start : i + 1], start_line or line)
            start = i + 1
            start_line = None
        elif not ch.isspace() and start_line is None:
            start_line = line
        i += 1
    if start_line is not None:
        yield Statement(text[start:], start_line)


_TOKEN = re.compile(r"unexpected token `([^`]+)`")


def _error_line(statement: Statement, message: str) -> int:
    """The line of the token a parse error names, when it can be found; else the statement's."""
    found = _TOKEN.search(message)
    if found:
        code = re.sub(r"//[^\n]*", lambda m: " " * len(m.group(0)), statement.text)
        at = code.find(found.group(1))
        if at >= 0:
            return statement.line + code.count("\n", 0, at)
    if "end of input" in message:
        return statement.line + statement.text.rstrip().count("\n")
    return statement.line


def parse_file(path: Path, shown: str) -> list[Policy]:
    """The policies of one file; PolicyError naming ``file:line`` for the first bad statement."""
    cedar = require_cedar()
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError as exc:
        raise PolicyError(f"policy file {shown} not found", file=shown) from exc
    except UnicodeDecodeError as exc:
        raise PolicyError("not UTF-8 text", file=shown) from exc
    except OSError as exc:
        raise PolicyError(f"cannot read: {exc.strerror}", file=shown) from exc
    return parse_text(text, shown, cedar)


def parse_text(text: str, shown: str, cedar: Any = None) -> list[Policy]:
    """The policies of Cedar ``text`` read from ``shown``."""
    cedar = cedar or require_cedar()
    found: list[Policy] = []
    for statement in statements(text):
        try:
            parsed = json.loads(cedar.policies_to_json_str(statement.text))
        except ValueError as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else "cannot parse"
            raise PolicyError(
                f"not a valid Cedar policy: {message}",
                file=shown,
                line=_error_line(statement, message),
                hint="see https://docs.cedarpolicy.com/policies/syntax-policy.html",
            ) from exc
        if parsed.get("templates"):
            raise PolicyError(
                "policy templates (?principal, ?resource) are not supported; write the policy out",
                file=shown,
                line=statement.line,
            )
        for body in parsed.get("staticPolicies", {}).values():
            annotations = {str(k): str(v) for k, v in (body.get("annotations") or {}).items()}
            pid = annotations.get("id") or f"{shown}:{statement.line}"
            found.append(
                Policy(
                    id=pid,
                    file=shown,
                    line=statement.line,
                    effect=str(body.get("effect")),
                    annotations=annotations,
                    body=body,
                    text=statement.text.strip(),
                )
            )
    return found


def walk(node: Any) -> Iterator[Mapping[str, Any]]:
    """Every mapping inside a Cedar JSON policy body."""
    if isinstance(node, Mapping):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def context_reads(policy: Policy) -> set[tuple[str, str]]:
    """``(record, attribute)`` for every ``context.RECORD.ATTRIBUTE`` (or ``has``) it reads."""
    reads: set[tuple[str, str]] = set()
    for node in walk(policy.body):
        for op in (".", "has"):
            inner = node.get(op)
            if not isinstance(inner, Mapping):
                continue
            left = inner.get("left")
            attr = inner.get("attr")
            if not isinstance(left, Mapping) or not isinstance(attr, str):
                continue
            record = left.get(".")
            if (
                isinstance(record, Mapping)
                and record.get("left") == {"Var": "context"}
                and isinstance(record.get("attr"), str)
            ):
                reads.add((str(record["attr"]), attr))
    return reads


def context_fields(policy: Policy) -> set[str]:
    """The top-level ``context.X`` fields the policy reads."""
    fields: set[str] = set()
    for node in walk(policy.body):
        for op in (".", "has"):
            inner = node.get(op)
            if (
                isinstance(inner, Mapping)
                and inner.get("left") == {"Var": "context"}
                and isinstance(inner.get("attr"), str)
            ):
                fields.add(str(inner["attr"]))
    return fields


def strings(policy: Policy) -> set[str]:
    """Every string literal the policy compares with (element ids, names, groups)."""
    found: set[str] = set()
    for node in walk(policy.body):
        value = node.get("Value")
        if isinstance(value, str):
            found.add(value)
    return found

"""Tools an agent may call: each one is a connector in the same registry, with fixed defaults.

A declaration in the ``tools`` parameter::

    {"name": "lookup_customer", "description": "Find a customer by id",
     "parameters": {"type": "object", "properties": {"id": {"type": "string"}}},
     "connector": "crm", "params": {"url": "/customers"}}

The model's arguments are validated against ``parameters``; when it lists ``properties``, keys
outside them are refused, so a model cannot override defaults such as a URL that the analyst
did not expose. Arguments merge over ``params`` and the tool runs through
:func:`seamline.connectors.registry.invoke` with the parent's idempotency key plus the tool
call's index, so a retried task presents the same keys to the remote side.

Outcomes: a result goes back to the model as JSON; a BPMN error, or arguments that do not
validate, go back as an error result the model may react to; RetryableError and FatalError
end the task (retried later, or an incident), since the model cannot fix either.
"""

from __future__ import annotations

import dataclasses
import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from seamline.connectors.base import ConnectorCall
from seamline.connectors.llm_structured import check_schema, validate
from seamline.connectors.llm_wire import ToolRequest
from seamline.connectors.retry import RetryPolicy
from seamline.errors import BpmnError

if TYPE_CHECKING:
    from seamline.connectors.registry import ConnectorRegistry

MAX_RESULT_CHARS = 20_000
_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Tool:
    """One declared tool: what the model sees, and the connector call behind it."""

    name: str
    description: str
    parameters: Mapping[str, Any]
    connector: str
    params: Mapping[str, Any]

    def for_model(self) -> dict[str, Any]:
        """The neutral declaration the wire formats translate."""
        return {"name": self.name, "description": self.description, "parameters": self.parameters}


def read_tools(call: ConnectorCall, registry: ConnectorRegistry | None) -> list[Tool]:
    """The ``tools`` parameter, checked against the registry; FatalError naming the tool."""
    raw = call.params.get("tools")
    if raw is None or raw == []:
        return []
    if not isinstance(raw, list):
        raise call.fatal("parameter 'tools' must be a list of tool declarations")
    if registry is None:
        raise call.fatal("tools were declared but this llm connector has no connector registry")
    tools: dict[str, Tool] = {}
    for i, item in enumerate(raw):
        if not isinstance(item, Mapping):
            raise call.fatal(f"tools[{i}] must be an object with name and connector")
        name = str(item.get("name") or "")
        where = f"tool '{name}'" if name else f"tools[{i}]"
        if not _NAME.match(name):
            raise call.fatal(f"{where}: name must be 1-64 letters, digits, _ or -")
        if name in tools:
            raise call.fatal(f"{where} is declared twice")
        connector = item.get("connector")
        if not isinstance(connector, str) or not connector:
            raise call.fatal(f"{where} needs a connector", hint='"connector": "http"')
        if connector not in registry:
            raise call.fatal(
                f"{where}: no connector named '{connector}'",
                hint=f"known: {', '.join(registry.names())}",
            )
        if connector == call.connector:
            raise call.fatal(f"{where} would call the '{connector}' connector from itself")
        parameters = item.get("parameters") or {"type": "object", "properties": {}}
        if not isinstance(parameters, Mapping) or check_schema(parameters):
            problem = (
                check_schema(parameters) if isinstance(parameters, Mapping) else "not an object"
            )
            raise call.fatal(f"{where}: parameters is not a valid JSON Schema: {problem}")
        defaults = item.get("params") or {}
        if not isinstance(defaults, Mapping):
            raise call.fatal(f"{where}: params must be an object")
        tools[name] = Tool(
            name, str(item.get("description") or ""), dict(parameters), connector, dict(defaults)
        )
    return list(tools.values())


class ToolRunner:
    """Runs the model's tool requests through the registry and records each one."""

    def __init__(
        self,
        tools: list[Tool],
        registry: ConnectorRegistry | None,
        call: ConnectorCall,
        redact: Callable[[Any], Any],
        report: Callable[[str, dict[str, Any]], None],
    ) -> None:
        self.tools = {tool.name: tool for tool in tools}
        self.registry = registry
        self.call = call
        self.redact = redact
        self.report = report
        self.records: list[dict[str, Any]] = []

    def run(self, request: ToolRequest, index: int) -> tuple[str, bool]:
        """Perform tool call number ``index``: the content for the model and whether it failed."""
        from seamline.connectors.registry import invoke

        key = f"{self.call.idempotency_key}/tool-{index}"
        record: dict[str, Any] = {
            "index": index,
            "tool": request.name,
            "arguments": self.redact(request.arguments),
            "idempotency_key": key,
        }
        tool = self.tools.get(request.name)
        problem = self._problem(tool, request)
        if problem is not None or tool is None or self.registry is None:
            return self._finish(record, {"error": "INVALID_TOOL_CALL", "message": problem}, True)
        record["connector"] = tool.connector
        child = dataclasses.replace(
            self.call,
            connector=tool.connector,
            params={**tool.params, **request.arguments},
            idempotency_key=key,
        )
        # One more attempt than the parent's own, so a RetryableError passes through as such
        # and the parent task's retry policy decides, not this nested call.
        policy = RetryPolicy(max_attempts=self.call.attempt + 1, jitter=0.0)
        started = time.perf_counter()
        try:
            result = invoke(self.registry, child, policy)
        except BpmnError as exc:
            record["latency_ms"] = _since(started)
            body = {"error": exc.code, "message": exc.message}
            data = getattr(exc, "data", None)
            if data is not None:
                body["data"] = data
            return self._finish(record, body, True)
        except Exception as exc:
            record["latency_ms"] = _since(started)
            record["status"] = "failed"
            record["error"] = self.redact(str(exc))
            self.records.append(record)
            self.report("llm_tool_call", record)
            raise
        record["latency_ms"] = _since(started)
        return self._finish(record, result.data, False)

    def _problem(self, tool: Tool | None, request: ToolRequest) -> str | None:
        if tool is None:
            known = ", ".join(self.tools) or "none"
            return f"there is no tool named '{request.name}'; tools: {known}"
        if not isinstance(request.arguments, Mapping):
            return "the arguments must be a JSON object"
        declared = tool.parameters.get("properties")
        if isinstance(declared, Mapping):
            extra = sorted(set(request.arguments) - set(declared))
            if extra:
                return f"arguments not declared by the tool: {', '.join(extra)}"
        errors = validate(request.arguments, tool.parameters)
        if errors:
            return "invalid arguments: " + "; ".join(errors)
        return None

    def _finish(self, record: dict[str, Any], body: Any, is_error: bool) -> tuple[str, bool]:
        content = json.dumps(self.redact(body), default=str, ensure_ascii=False)
        if len(content) > MAX_RESULT_CHARS:
            content = content[:MAX_RESULT_CHARS] + " …(truncated)"
        record["status"] = "error" if is_error else "ok"
        record["result"] = content
        self.records.append(record)
        self.report("llm_tool_call", record)
        return content, is_error


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)

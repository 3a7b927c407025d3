"""The ``llm`` connector: an AI agent as a governed participant in a process.

One service task is one agent turn: a prompt (and optional system prompt) goes to a model behind
an OpenAI-compatible Chat Completions endpoint or the Anthropic Messages API; the model may call
declared tools (other connectors); when a JSON Schema is given the answer is parsed, validated
and, if invalid, sent back with the validation errors for a bounded number of repairs.

Result data::

    {"answer": <parsed JSON when a schema is given, else the text>,
     "usage": {"input_tokens", "output_tokens", "model_calls", "tool_calls"},
     "model": "<model>", "provider": "openai" | "anthropic"}

The engine stores this under the task's result variable, or merges its top-level keys into the
process data without one; analysts usually set a result variable (``triage``) and branch on
``triage["answer"]["confidence"] < 0.8`` with a gateway before a human review task.

Failures: ``AGENT_INVALID_OUTPUT`` (BPMN error; data ``{"answer", "errors"}``) when the answer
stays invalid after ``max_repairs``; ``AGENT_LIMIT_EXCEEDED`` (BPMN error) when the model needs
more than ``max_model_calls`` calls or ``max_tool_calls`` tool calls; FatalError for a bad key,
bad request or unknown model; RetryableError (with the server's Retry-After) for 429, 5xx and
timeouts, so retries are durable jobs rather than sleeps inside the call.

Every model call is recorded, secrets redacted, in ``meta["llm_calls"]`` and through
``on_event("llm_call", record)``; tool calls in ``meta["tool_calls"]`` and ``"llm_tool_call"``.
Endpoints come from profiles or the environment: see :mod:`seamline.connectors.llm_profiles`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import httpx

from seamline.connectors.base import ConnectorCall, ConnectorResult, ParamSpec
from seamline.connectors.llm_http import send
from seamline.connectors.llm_inputs import Inputs, read_inputs
from seamline.connectors.llm_profiles import Profile, api_key, parse_profiles, select
from seamline.connectors.llm_structured import check_answer, instruction, repair_request
from seamline.connectors.llm_tools import ToolRunner, read_tools
from seamline.connectors.llm_wire import WIRES, ModelRequest, Reply
from seamline.connectors.secrets import REDACTED
from seamline.errors import AgentError, ConfigError, ModelCallFailed, RetryableError

if TYPE_CHECKING:
    from seamline.connectors.registry import ConnectorRegistry

EventSink = Callable[[str, dict[str, Any]], None]

PARAMETERS: Mapping[str, ParamSpec] = {
    "profile": ParamSpec("string", False, "an [llm.profiles.NAME] table in the config"),
    "model": ParamSpec("string", False, "model name; overrides the profile's"),
    "prompt": ParamSpec("string", False, "the user prompt (templated from process data)"),
    "prompt_file": ParamSpec("string", False, "jinja2 template file under base_dir, with vars"),
    "system": ParamSpec("string", False, "the system prompt"),
    "system_file": ParamSpec("string", False, "jinja2 template file under base_dir, with vars"),
    "base_dir": ParamSpec("string", False, "folder of prompt and schema files"),
    "vars": ParamSpec("object", False, "variables for prompt_file and system_file"),
    "schema": ParamSpec("object", False, "JSON Schema of the answer (object or JSON text)"),
    "schema_file": ParamSpec("string", False, "JSON Schema file under base_dir"),
    "tools": ParamSpec(
        "array",
        False,
        'tools: [{"name", "description", "parameters", "connector", "params"}]',
    ),
    "max_model_calls": ParamSpec("integer", False, "model calls per task, repairs included", 6),
    "max_tool_calls": ParamSpec("integer", False, "tool calls per task", 8),
    "max_repairs": ParamSpec("integer", False, "retries of an answer invalid against schema", 2),
    "temperature": ParamSpec("number", False, "sampling temperature"),
    "max_tokens": ParamSpec("integer", False, "answer length cap (Anthropic default 1024)"),
    "timeout": ParamSpec("number", False, "seconds per model call", 60.0),
}


class LlmConnector:
    """Runs one agent turn per call against an OpenAI-compatible or Anthropic endpoint.

    ``config`` is the whole seamline config (``[llm]`` is read); ``environ`` defaults to
    ``os.environ`` and is read at call time; ``transport`` replaces httpx's (tests); ``tools``
    is the registry tool calls resolve in; ``on_event`` receives every model and tool call.
    """

    name = "llm"
    description = "Ask an AI model (OpenAI-compatible or Anthropic), with tools and JSON answers."
    parameters = PARAMETERS
    enforces_deadline = True

    def __init__(
        self,
        config: Mapping[str, Any] | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        tools: ConnectorRegistry | None = None,
        on_event: EventSink | None = None,
    ) -> None:
        self.profiles, self.default_profile = parse_profiles(config)
        section = (config or {}).get("llm", {})
        prompt_dir = section.get("prompt_dir") if isinstance(section, Mapping) else None
        self.prompt_dir = None if prompt_dir is None else str(prompt_dir)
        self._environ = environ
        self._transport = transport
        self.tools = tools
        self.on_event = on_event

    def __repr__(self) -> str:
        return f"LlmConnector(profiles={sorted(self.profiles)!r})"

    def invoke(self, call: ConnectorCall) -> ConnectorResult:
        """Run the agent turn described by ``call.params``."""
        environ = os.environ if self._environ is None else self._environ
        profile = select(call, self.profiles, self.default_profile, environ)
        try:
            key = api_key(profile, call, environ, call.secrets)
        except ConfigError as exc:
            raise call.fatal(exc.message, hint=exc.hint) from exc
        turn = _Turn(self, call, profile, key)
        return turn.run()

    def emit(self, kind: str, record: dict[str, Any]) -> None:
        """Pass ``record`` to ``on_event``, if any."""
        if self.on_event is not None:
            self.on_event(kind, record)


class _Turn:
    """The state of one call: conversation, counters and records."""

    def __init__(
        self, owner: LlmConnector, call: ConnectorCall, profile: Profile, key: str | None
    ) -> None:
        self.owner = owner
        self.call = call
        self.profile = profile
        self.key = key
        self.wire = WIRES[profile.provider]
        self.inputs: Inputs = read_inputs(call, profile, owner.prompt_dir)
        tools = read_tools(call, owner.tools)
        self.tool_decls = [tool.for_model() for tool in tools]
        self.runner = ToolRunner(tools, owner.tools, call, self.redact, owner.emit)
        self.records: list[dict[str, Any]] = []
        self.messages: list[dict[str, Any]] = [{"role": "user", "content": self.inputs.prompt}]
        self.input_tokens = 0
        self.output_tokens = 0
        self.tool_calls = 0
        self.model = profile.model or ""

    def redact(self, obj: Any) -> Any:
        """``obj`` with seamline secrets and this profile's key replaced by ``***``."""
        obj = self.call.secrets.redact(obj)
        if self.key:
            obj = _replace(obj, self.key)
        return obj

    def system(self) -> str:
        schema = self.inputs.schema
        parts = [self.inputs.system] if self.inputs.system else []
        if schema is not None:
            parts.append(instruction(schema))
        return "\n\n".join(parts)

    def run(self) -> ConnectorResult:
        limits = self.inputs.limits
        repairs = 0
        system = self.system()
        with httpx.Client(transport=self.owner._transport) as client:
            while True:
                if len(self.records) >= limits.max_model_calls:
                    self.limit("max_model_calls", limits.max_model_calls)
                reply, record = self.ask(client, system)
                if reply.tool_requests:
                    self.messages.append(
                        {
                            "role": "assistant",
                            "content": reply.text,
                            "tool_calls": [r.to_dict() for r in reply.tool_requests],
                        }
                    )
                    self.report(record)
                    if self.tool_calls + len(reply.tool_requests) > limits.max_tool_calls:
                        self.limit("max_tool_calls", limits.max_tool_calls)
                    for request in reply.tool_requests:
                        self.tool_calls += 1
                        content, failed = self.runner.run(request, self.tool_calls)
                        self.messages.append(
                            {
                                "role": "tool",
                                "tool_call_id": request.id,
                                "name": request.name,
                                "content": content,
                                "is_error": failed,
                            }
                        )
                    continue
                if self.inputs.schema is None:
                    self.report(record)
                    return self.result(reply.text)
                answer, errors = check_answer(reply.text, self.inputs.schema)
                if not errors:
                    self.report(record)
                    return self.result(answer)
                record["status"] = "invalid_output"
                record["errors"] = self.redact(errors)
                self.report(record)
                if repairs >= limits.max_repairs:
                    raise AgentError(
                        "AGENT_INVALID_OUTPUT",
                        f"connector 'llm': the answer of model '{self.model}' is still invalid "
                        f"against its schema after {repairs} repair(s): {self.redact(errors[0])}",
                        data={"answer": self.redact(reply.text), "errors": self.redact(errors)},
                        meta=self.meta(),
                        **self.call.context(),
                    )
                repairs += 1
                self.messages.append({"role": "assistant", "content": reply.text})
                self.messages.append({"role": "user", "content": repair_request(errors)})

    def ask(self, client: httpx.Client, system: str) -> tuple[Reply, dict[str, Any]]:
        """One model call; its record is returned for the caller to complete and report."""
        timeout = self.inputs.timeout
        remaining = self.call.remaining()
        if remaining is not None:
            if remaining <= 0:
                raise RetryableError(
                    "connector 'llm': the task's deadline passed during the agent turn",
                    hint="raise the task's timeout or lower max_model_calls",
                    **self.call.context(),
                )
            timeout = min(timeout, remaining)
        request = ModelRequest(
            model=self.model,
            system=system,
            messages=list(self.messages),
            tools=self.tool_decls,
            schema=self.inputs.schema,
            temperature=self.inputs.temperature,
            max_tokens=self.inputs.max_tokens,
        )
        record: dict[str, Any] = {
            "index": len(self.records) + 1,
            "element": self.call.element_id,
            "instance": self.call.instance_id,
            "attempt": self.call.attempt,
            "provider": self.profile.provider,
            "model": self.model,
            "system": self.redact(system),
            "messages": self.redact(list(self.messages)),
        }
        started = time.perf_counter()
        try:
            reply = send(
                client, self.wire, self.profile, self.key, request, timeout, self.call, self.redact
            )
        except ModelCallFailed as failed:
            record.update(
                status=failed.status,
                error=failed.error.message,
                latency_ms=_since(started),
            )
            self.records.append(record)
            self.owner.emit("llm_call", record)
            raise failed.error from failed.__cause__
        self.input_tokens += reply.input_tokens
        self.output_tokens += reply.output_tokens
        record.update(
            status="ok",
            answer=self.redact(reply.text),
            tool_calls=self.redact([r.to_dict() for r in reply.tool_requests]),
            usage={"input_tokens": reply.input_tokens, "output_tokens": reply.output_tokens},
            stop=reply.stop,
            latency_ms=_since(started),
        )
        if reply.model:
            record["served_by"] = reply.model
        self.records.append(record)
        return reply, record

    def report(self, record: dict[str, Any]) -> None:
        self.owner.emit("llm_call", record)

    def usage(self) -> dict[str, int]:
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "model_calls": len(self.records),
            "tool_calls": self.tool_calls,
        }

    def limit(self, name: str, value: int) -> None:
        raise AgentError(
            "AGENT_LIMIT_EXCEEDED",
            f"connector 'llm': the agent needed more than {name} = {value}",
            data={"limit": name, "value": value, "usage": self.usage()},
            meta=self.meta(),
            hint=f"raise {name} on the task or simplify the prompt",
            **self.call.context(),
        )

    def result(self, answer: Any) -> ConnectorResult:
        data = {
            "answer": self.redact(answer),
            "usage": self.usage(),
            "model": self.model,
            "provider": self.profile.provider,
        }
        return ConnectorResult(data=data, meta=self.meta())

    def meta(self) -> dict[str, Any]:
        """What the turn did, redacted: endpoint, usage, and every model and tool call."""
        meta = {
            "provider": self.profile.provider,
            "model": self.model,
            "profile": self.profile.name,
            "usage": self.usage(),
            "llm_calls": self.records,
            "tool_calls": self.runner.records,
        }
        redacted: dict[str, Any] = self.redact(meta)
        return redacted


def _replace(obj: Any, value: str) -> Any:
    if isinstance(obj, str):
        return obj.replace(value, REDACTED)
    if isinstance(obj, Mapping):
        return {_replace(k, value): _replace(v, value) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_replace(v, value) for v in obj]
    if isinstance(obj, tuple):
        return tuple(_replace(v, value) for v in obj)
    return obj


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)

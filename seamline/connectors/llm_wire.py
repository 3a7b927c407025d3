"""The two wire formats: OpenAI Chat Completions and Anthropic Messages.

The conversation is kept in one neutral shape and translated per request, so the agent loop in
:mod:`seamline.connectors.llm` never sees a vendor's JSON. Neutral messages are dicts:

- ``{"role": "user", "content": str}``
- ``{"role": "assistant", "content": str, "tool_calls": [{"id", "name", "arguments"}]}``
- ``{"role": "tool", "tool_call_id": str, "name": str, "content": str, "is_error": bool}``
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from seamline.connectors.llm_profiles import Profile
from seamline.errors import WireError


@dataclass(frozen=True)
class ToolRequest:
    """The model asks for one tool call; ``arguments`` is parsed JSON, or the raw text if not."""

    id: str
    name: str
    arguments: Any

    def to_dict(self) -> dict[str, Any]:
        """The neutral, JSON-able form kept in the conversation."""
        return {"id": self.id, "name": self.name, "arguments": self.arguments}


@dataclass(frozen=True)
class Reply:
    """One model answer in neutral form."""

    text: str
    tool_requests: tuple[ToolRequest, ...] = ()
    input_tokens: int = 0
    output_tokens: int = 0
    model: str = ""
    stop: str = ""


@dataclass(frozen=True)
class ModelRequest:
    """Everything one model call needs, provider-neutral."""

    model: str
    system: str
    messages: Sequence[Mapping[str, Any]]
    #: ``{"name", "description", "parameters"}`` per declared tool.
    tools: Sequence[Mapping[str, Any]] = ()
    schema: Mapping[str, Any] | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


class Wire(Protocol):
    """How one provider spells requests, responses and errors."""

    name: str

    def url(self, base_url: str) -> str:
        """The endpoint URL under ``base_url``."""
        ...

    def headers(self, profile: Profile, key: str | None) -> dict[str, str]:
        """Request headers, the key included."""
        ...

    def body(self, request: ModelRequest, profile: Profile) -> dict[str, Any]:
        """The JSON request body."""
        ...

    def parse(self, payload: Any) -> Reply:
        """The neutral reply; WireError when ``payload`` is not a valid response."""
        ...


def error_message(payload: Any) -> str:
    """The provider's own error message from either vendor's error JSON, or ``""``."""
    if isinstance(payload, Mapping):
        error = payload.get("error")
        if isinstance(error, Mapping) and error.get("message"):
            return str(error["message"])
        if isinstance(error, str):
            return error
        if payload.get("message"):
            return str(payload["message"])
    return ""


def _arguments(raw: Any) -> Any:
    if isinstance(raw, str):
        try:
            return json.loads(raw) if raw.strip() else {}
        except json.JSONDecodeError:
            return raw
    return {} if raw is None else raw


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


class OpenAIWire:
    """POST ``{base_url}/chat/completions``; bearer key; ``tools`` / ``tool_calls``."""

    name = "openai"

    def url(self, base_url: str) -> str:
        """``{base_url}/chat/completions``."""
        return f"{base_url.rstrip('/')}/chat/completions"

    def headers(self, profile: Profile, key: str | None) -> dict[str, str]:
        """Bearer auth when there is a key (local servers often need none)."""
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return headers

    def body(self, request: ModelRequest, profile: Profile) -> dict[str, Any]:
        """Chat Completions request: system message first, tools as functions."""
        messages: list[dict[str, Any]] = []
        if request.system:
            messages.append({"role": "system", "content": request.system})
        for message in request.messages:
            messages.append(self._message(message))
        body: dict[str, Any] = {"model": request.model, "messages": messages}
        if request.tools:
            body["tools"] = [
                {
                    "type": "function",
                    "function": {
                        "name": tool["name"],
                        "description": tool.get("description", ""),
                        "parameters": tool.get("parameters") or {"type": "object"},
                    },
                }
                for tool in request.tools
            ]
        if request.schema is not None and profile.response_format == "json_schema":
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": dict(request.schema)},
            }
        elif request.schema is not None and profile.response_format == "json_object":
            body["response_format"] = {"type": "json_object"}
        if request.temperature is not None:
            body["temperature"] = request.temperature
        if request.max_tokens is not None:
            body["max_tokens"] = request.max_tokens
        return body

    @staticmethod
    def _message(message: Mapping[str, Any]) -> dict[str, Any]:
        role = message["role"]
        if role == "tool":
            return {
                "role": "tool",
                "tool_call_id": message["tool_call_id"],
                "content": message["content"],
            }
        if role == "assistant" and message.get("tool_calls"):
            return {
                "role": "assistant",
                "content": message.get("content") or None,
                "tool_calls": [
                    {
                        "id": tc["id"],
                        "type": "function",
                        "function": {
                            "name": tc["name"],
                            "arguments": tc["arguments"]
                            if isinstance(tc["arguments"], str)
                            else json.dumps(tc["arguments"]),
                        },
                    }
                    for tc in message["tool_calls"]
                ],
            }
        return {"role": role, "content": message.get("content") or ""}

    def parse(self, payload: Any) -> Reply:
        """``choices[0].message`` with its content and tool calls, and ``usage``."""
        try:
            choice = payload["choices"][0]
            message = choice["message"]
            calls = tuple(
                ToolRequest(
                    id=str(tc.get("id") or f"call_{i}"),
                    name=str(tc["function"]["name"]),
                    arguments=_arguments(tc["function"].get("arguments")),
                )
                for i, tc in enumerate(message.get("tool_calls") or [], start=1)
            )
            usage = payload.get("usage") or {}
            return Reply(
                text=str(message.get("content") or ""),
                tool_requests=calls,
                input_tokens=_int(usage.get("prompt_tokens")),
                output_tokens=_int(usage.get("completion_tokens")),
                model=str(payload.get("model") or ""),
                stop=str(choice.get("finish_reason") or ""),
            )
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            raise WireError(f"no choices[0].message ({type(exc).__name__}: {exc})") from exc


class AnthropicWire:
    """POST ``{base_url}/v1/messages``; ``x-api-key``; ``tool_use`` / ``tool_result`` blocks."""

    name = "anthropic"
    default_max_tokens = 1024

    def url(self, base_url: str) -> str:
        """``{base_url}/v1/messages`` (a base URL already ending in /v1 is not doubled)."""
        base = base_url.rstrip("/")
        return f"{base}/messages" if base.endswith("/v1") else f"{base}/v1/messages"

    def headers(self, profile: Profile, key: str | None) -> dict[str, str]:
        """``x-api-key`` and ``anthropic-version``."""
        headers = {
            "Content-Type": "application/json",
            "anthropic-version": profile.anthropic_version,
        }
        if key:
            headers["x-api-key"] = key
        return headers

    def body(self, request: ModelRequest, profile: Profile) -> dict[str, Any]:
        """Messages request; consecutive tool results share one user message, as required."""
        messages: list[dict[str, Any]] = []
        for message in request.messages:
            role = message["role"]
            if role == "tool":
                block = {
                    "type": "tool_result",
                    "tool_use_id": message["tool_call_id"],
                    "content": message["content"],
                }
                if message.get("is_error"):
                    block["is_error"] = True
                last = messages[-1] if messages else None
                if last and last["role"] == "user" and _all_tool_results(last["content"]):
                    last["content"].append(block)
                else:
                    messages.append({"role": "user", "content": [block]})
            elif role == "assistant":
                content: list[dict[str, Any]] = []
                if message.get("content"):
                    content.append({"type": "text", "text": message["content"]})
                for tc in message.get("tool_calls") or []:
                    arguments = tc["arguments"]
                    content.append(
                        {
                            "type": "tool_use",
                            "id": tc["id"],
                            "name": tc["name"],
                            "input": arguments if isinstance(arguments, Mapping) else {},
                        }
                    )
                if not content:
                    # The Messages API refuses an empty assistant turn; an empty answer is
                    # still worth showing the model when asking it to repair that answer.
                    content.append({"type": "text", "text": "(empty answer)"})
                messages.append({"role": "assistant", "content": content})
            else:
                messages.append({"role": "user", "content": message.get("content") or ""})
        body: dict[str, Any] = {
            "model": request.model,
            "max_tokens": request.max_tokens or self.default_max_tokens,
            "messages": messages,
        }
        if request.system:
            body["system"] = request.system
        if request.tools:
            body["tools"] = [
                {
                    "name": tool["name"],
                    "description": tool.get("description", ""),
                    "input_schema": tool.get("parameters") or {"type": "object"},
                }
                for tool in request.tools
            ]
        if request.temperature is not None:
            body["temperature"] = request.temperature
        return body

    def parse(self, payload: Any) -> Reply:
        """Text blocks joined, ``tool_use`` blocks as tool requests, ``usage``."""
        try:
            blocks = payload["content"]
            if not isinstance(blocks, list):
                raise TypeError("content is not a list")
            texts = [str(b.get("text") or "") for b in blocks if b.get("type") == "text"]
            calls = tuple(
                ToolRequest(
                    id=str(b["id"]), name=str(b["name"]), arguments=_arguments(b.get("input"))
                )
                for b in blocks
                if b.get("type") == "tool_use"
            )
            usage = payload.get("usage") or {}
            return Reply(
                text="".join(texts),
                tool_requests=calls,
                input_tokens=_int(usage.get("input_tokens")),
                output_tokens=_int(usage.get("output_tokens")),
                model=str(payload.get("model") or ""),
                stop=str(payload.get("stop_reason") or ""),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise WireError(f"no content blocks ({type(exc).__name__}: {exc})") from exc


def _all_tool_results(content: Any) -> bool:
    return isinstance(content, list) and all(
        isinstance(b, Mapping) and b.get("type") == "tool_result" for b in content
    )


WIRES: Mapping[str, Wire] = {"openai": OpenAIWire(), "anthropic": AnthropicWire()}

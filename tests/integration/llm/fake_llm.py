"""A scripted LLM server on 127.0.0.1 speaking the OpenAI and Anthropic wire formats.

It checks what real servers check (the key, the model, the shape of the messages, tool call
ids that answer earlier tool calls), answers auth, model and shape errors in each vendor's error
JSON before touching the script, and otherwise replies with the next queued response::

    with FakeLLMServer(api_key="k") as server:
        server.queue(openai_chat('{"label": "spam"}'))
        ...  # base_url = server.url + "/v1" (OpenAI) or server.url (Anthropic)
        assert server.requests[0].body["model"] == "gpt-test"

A queued item is a response body (sent with 200), a :class:`Reply`, or a callable taking the
:class:`Recorded` request and returning either.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

OPENAI_PATHS = ("/v1/chat/completions", "/chat/completions")
ANTHROPIC_PATH = "/v1/messages"


@dataclass(frozen=True)
class Reply:
    """A canned HTTP response."""

    status: int = 200
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Recorded:
    """One request the server received; ``headers`` have lower-case names."""

    vendor: str
    path: str
    headers: Mapping[str, str]
    body: Any
    status: int


Scripted = Mapping[str, Any] | Reply | Callable[[Recorded], "Mapping[str, Any] | Reply"]


def openai_chat(
    content: str | None = None,
    *,
    tool_calls: Iterable[tuple[str, Mapping[str, Any]]] = (),
    model: str = "gpt-test",
    input_tokens: int = 11,
    output_tokens: int = 7,
) -> dict[str, Any]:
    """A Chat Completions response with ``content`` or ``(name, arguments)`` tool calls."""
    calls = [
        {
            "id": f"call_{i}_{name}",
            "type": "function",
            "function": {"name": name, "arguments": json.dumps(dict(args))},
        }
        for i, (name, args) in enumerate(tool_calls, start=1)
    ]
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if calls:
        message["tool_calls"] = calls
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "tool_calls" if calls else "stop",
            }
        ],
        "usage": {
            "prompt_tokens": input_tokens,
            "completion_tokens": output_tokens,
            "total_tokens": input_tokens + output_tokens,
        },
    }


def anthropic_message(
    text: str | None = None,
    *,
    tool_uses: Iterable[tuple[str, Mapping[str, Any]]] = (),
    model: str = "claude-test",
    input_tokens: int = 13,
    output_tokens: int = 5,
) -> dict[str, Any]:
    """A Messages API response with a text block and ``(name, input)`` tool_use blocks."""
    content: list[dict[str, Any]] = []
    if text is not None:
        content.append({"type": "text", "text": text})
    for i, (name, args) in enumerate(tool_uses, start=1):
        content.append({"type": "tool_use", "id": f"toolu_{i}_{name}", "name": name, "input": args})
    return {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": "tool_use" if any(b["type"] == "tool_use" for b in content) else "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
    }


def openai_error(
    status: int, message: str, kind: str = "invalid_request_error", **headers: str
) -> Reply:
    """An error in OpenAI's shape: ``{"error": {"message", "type", "param", "code"}}``."""
    body = {"error": {"message": message, "type": kind, "param": None, "code": None}}
    return Reply(status, body, {k.replace("_", "-"): v for k, v in headers.items()})


def anthropic_error(
    status: int, message: str, kind: str = "invalid_request_error", **headers: str
) -> Reply:
    """An error in Anthropic's shape: ``{"type": "error", "error": {"type", "message"}}``."""
    body = {"type": "error", "error": {"type": kind, "message": message}}
    return Reply(status, body, {k.replace("_", "-"): v for k, v in headers.items()})


class _Invalid(Exception):
    def __init__(self, reply: Reply) -> None:
        self.reply = reply


def _check_openai(body: Any, seen_models: set[str] | None) -> None:
    def bad(message: str) -> None:
        raise _Invalid(openai_error(400, message))

    if not isinstance(body, dict):
        bad("We could not parse the JSON body of your request.")
    if not isinstance(body.get("model"), str) or not body["model"]:
        bad("you must provide a model parameter")
    if seen_models is not None and body["model"] not in seen_models:
        raise _Invalid(
            Reply(
                404,
                {
                    "error": {
                        "message": f"The model `{body['model']}` does not exist",
                        "type": "invalid_request_error",
                        "param": None,
                        "code": "model_not_found",
                    }
                },
            )
        )
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        bad("'messages' must be a non-empty array")
    open_calls: set[str] = set()
    for i, m in enumerate(messages):
        role = m.get("role") if isinstance(m, dict) else None
        if role not in ("system", "user", "assistant", "tool"):
            bad(f"messages[{i}].role is invalid")
        content = m.get("content")
        if role == "assistant" and m.get("tool_calls"):
            for tc in m["tool_calls"]:
                fn = tc.get("function") or {}
                if tc.get("type") != "function" or not tc.get("id") or not fn.get("name"):
                    bad(f"messages[{i}].tool_calls is invalid")
                if not isinstance(fn.get("arguments"), str):
                    bad(f"messages[{i}].tool_calls[].function.arguments must be a string")
                open_calls.add(tc["id"])
        elif role == "tool":
            if m.get("tool_call_id") not in open_calls:
                bad(f"messages[{i}]: tool_call_id does not answer a preceding tool call")
            if not isinstance(content, str):
                bad(f"messages[{i}].content must be a string")
        elif not isinstance(content, str):
            bad(f"messages[{i}].content must be a string")
    for tool in body.get("tools") or []:
        fn = tool.get("function") if isinstance(tool, dict) else None
        if tool.get("type") != "function" or not isinstance(fn, dict) or not fn.get("name"):
            bad("tools[] must be {type: function, function: {name, parameters}}")


def _check_anthropic(body: Any, headers: Mapping[str, str], models: set[str] | None) -> None:
    def bad(message: str) -> None:
        raise _Invalid(anthropic_error(400, message))

    if not headers.get("anthropic-version"):
        bad("anthropic-version: header is required")
    if not isinstance(body, dict):
        bad("request body is not valid JSON")
    if not isinstance(body.get("model"), str) or not body["model"]:
        bad("model: Field required")
    if models is not None and body["model"] not in models:
        raise _Invalid(anthropic_error(404, f"model: {body['model']}", "not_found_error"))
    if not isinstance(body.get("max_tokens"), int) or body["max_tokens"] < 1:
        bad("max_tokens: Field required")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        bad("messages: at least one message is required")
    expected = "user"
    previous_uses: set[str] = set()
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or m.get("role") != expected:
            bad(f"messages.{i}: roles must alternate user, assistant, ... starting with user")
        content = m["content"]
        if not content:
            bad(f"messages.{i}: all messages must have non-empty content")
        uses: set[str] = set()
        if isinstance(content, list):
            for block in content:
                kind = block.get("type") if isinstance(block, dict) else None
                if kind == "tool_use" and m["role"] == "assistant":
                    if not isinstance(block.get("input"), dict):
                        bad(f"messages.{i}: tool_use.input must be an object")
                    uses.add(block["id"])
                elif kind == "tool_result" and m["role"] == "user":
                    if block.get("tool_use_id") not in previous_uses:
                        bad(f"messages.{i}: tool_result does not answer a tool_use block")
                elif kind != "text":
                    bad(f"messages.{i}: unexpected content block {kind!r}")
        elif not isinstance(content, str):
            bad(f"messages.{i}.content must be a string or a list of blocks")
        previous_uses = uses
        expected = "assistant" if expected == "user" else "user"
    if "system" in body and not isinstance(body["system"], str | list):
        bad("system: must be a string")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: FakeLLMServer


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body: Any = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = raw.decode(errors="replace")
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply = self.server.owner._answer(self.path, headers, body)
        payload = json.dumps(reply.body).encode() if reply.body is not None else b""
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for key, value in reply.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload)


class FakeLLMServer:
    """A context manager running the scripted server; ``url`` is ``http://127.0.0.1:<port>``.

    ``api_key`` is the key it accepts (None accepts any request); ``models``, when given, are
    the only models it knows (others answer 404 in the vendor's shape).
    """

    def __init__(self, *, api_key: str | None = "test-key", models: Iterable[str] | None = None):
        self.api_key = api_key
        self.models = None if models is None else set(models)
        self.requests: list[Recorded] = []
        self._script: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The server's base address."""
        if self._server is None:
            raise RuntimeError("FakeLLMServer is not running; use it as a context manager")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def queue(self, *responses: Scripted) -> FakeLLMServer:
        """Append responses to the script, answered in order."""
        with self._lock:
            self._script.extend(responses)
        return self

    @property
    def pending(self) -> int:
        """Scripted responses not yet used."""
        return len(self._script)

    def __enter__(self) -> FakeLLMServer:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        # A short poll interval keeps shutdown (once per test) quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = None

    def _answer(self, path: str, headers: Mapping[str, str], body: Any) -> Reply:
        vendor = "anthropic" if path == ANTHROPIC_PATH else "openai"
        try:
            if path in OPENAI_PATHS:
                if self.api_key is not None and headers.get("authorization") != (
                    f"Bearer {self.api_key}"
                ):
                    raise _Invalid(
                        openai_error(401, "Incorrect API key provided: sk-***.", "invalid_api_key")
                    )
                _check_openai(body, self.models)
            elif path == ANTHROPIC_PATH:
                if self.api_key is not None and headers.get("x-api-key") != self.api_key:
                    refused = anthropic_error(401, "invalid x-api-key", "authentication_error")
                    raise _Invalid(refused)
                _check_anthropic(body, headers, self.models)
            else:
                raise _Invalid(openai_error(404, f"Unknown request URL: POST {path}"))
            reply = self._next(Recorded(vendor, path, headers, body, 200))
        except _Invalid as invalid:
            reply = invalid.reply
        with self._lock:
            self.requests.append(Recorded(vendor, path, headers, body, reply.status))
        return reply

    def _next(self, request: Recorded) -> Reply:
        with self._lock:
            item = self._script.popleft() if self._script else None
        if item is None:
            return Reply(500, {"error": {"message": "FakeLLMServer: no scripted response left"}})
        if callable(item) and not isinstance(item, Reply | Mapping):
            item = item(request)
        return item if isinstance(item, Reply) else Reply(200, dict(item))

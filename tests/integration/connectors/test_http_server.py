"""The http connector against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from seamline.connectors.base import ConnectorCall, ConnectorResult
from seamline.connectors.registry import ConnectorRegistry, invoke
from seamline.connectors.retry import RetryPolicy
from seamline.connectors.secrets import Secrets
from seamline.errors import ConnectorBpmnError, RetryableError

TOKEN = "tok-7f3a9c-very-secret"


class Api(ThreadingHTTPServer):
    daemon_threads = True
    flaky_calls = 0
    release = threading.Event()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The client of /slow has gone by the time it answers; that is the point of the test.
        pass


class Handler(BaseHTTPRequestHandler):
    server: Api

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def reply(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload)

    def handle_any(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        if url.path == "/echo":
            self.reply(
                200,
                {
                    "method": self.command,
                    "query": parse_qs(url.query),
                    "content_type": self.headers.get("Content-Type"),
                    "body": raw,
                    "authorized": self.headers.get("Authorization") == f"Bearer {TOKEN}",
                    "idempotency_key": self.headers.get("Idempotency-Key"),
                },
            )
        elif url.path == "/flaky":
            self.server.flaky_calls += 1
            if self.server.flaky_calls == 1:
                self.reply(500, {"error": "warming up"})
            else:
                self.reply(200, {"attempt": self.server.flaky_calls})
        elif url.path == "/busy":
            self.reply(429, {"error": "slow down"}, {"Retry-After": "7"})
        elif url.path == "/slow":
            self.server.release.wait(10)
            self.reply(200, {"late": True})
        elif url.path == "/protected":
            if self.headers.get("Authorization") == f"Bearer {TOKEN}":
                self.reply(200, {"authorized": True})
            else:
                self.reply(401, {"error": "unauthorized"})
        else:
            self.reply(404, {"error": f"no {url.path}"})

    do_GET = do_POST = do_PUT = do_DELETE = handle_any


@pytest.fixture
def server() -> Iterator[str]:
    api = Api(("127.0.0.1", 0), Handler)
    api.release = threading.Event()
    thread = threading.Thread(target=api.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{api.server_address[1]}"
    finally:
        api.release.set()
        api.shutdown()
        api.server_close()
        thread.join(10)


SECRETS = Secrets({"API_TOKEN": TOKEN}, environ={})
POLICY = RetryPolicy(max_attempts=3, initial=1, jitter=0)


def call(params: dict[str, Any], attempt: int = 1, connector: str = "http") -> ConnectorCall:
    return ConnectorCall(
        connector, params, "inst-1", "CallApi", "inst-1:CallApi", attempt, None, SECRETS
    )


@pytest.fixture
def registry() -> ConnectorRegistry:
    return ConnectorRegistry.default()


def test_success_with_json(server: str, registry: ConnectorRegistry) -> None:
    result = invoke(
        registry,
        call({"url": f"{server}/echo", "method": "POST", "json": {"a": 1}, "query": {"q": "x"}}),
        POLICY,
    )
    assert result.data["status"] == 200
    body = result.data["body"]
    assert body["method"] == "POST" and json.loads(body["body"]) == {"a": 1}
    assert body["query"] == {"q": ["x"]} and body["content_type"] == "application/json"
    assert body["idempotency_key"] == "inst-1:CallApi"
    assert result.meta["status"] == 200 and result.meta["latency_ms"] >= 0


def test_500_then_success_through_the_retry_loop(server: str, registry: ConnectorRegistry) -> None:
    params = {"url": f"{server}/flaky"}
    attempt, delays = 1, []
    while True:
        try:
            result = invoke(registry, call(params, attempt), POLICY)
            break
        except RetryableError as exc:
            delay = POLICY.next_delay(attempt, exc.retry_after)
            assert delay is not None
            delays.append(delay)
            attempt += 1
    assert (attempt, delays, result.data["body"]) == (2, [1.0], {"attempt": 2})


def test_404_is_bpmn_error(server: str, registry: ConnectorRegistry) -> None:
    with pytest.raises(ConnectorBpmnError) as info:
        invoke(registry, call({"url": f"{server}/nothing-here"}), POLICY)
    assert info.value.code == "HTTP_404"
    assert info.value.data["body"] == {"error": "no /nothing-here"}
    assert "[CallApi] instance inst-1" in str(info.value)


def test_slow_endpoint_times_out_as_retryable(server: str, registry: ConnectorRegistry) -> None:
    with pytest.raises(RetryableError, match="timed out"):
        invoke(registry, call({"url": f"{server}/slow", "timeout": 0.2}), POLICY)


def test_policy_timeout_becomes_the_request_deadline(
    server: str, registry: ConnectorRegistry
) -> None:
    with pytest.raises(RetryableError, match="timed out"):
        invoke(registry, call({"url": f"{server}/slow"}), RetryPolicy(timeout=0.2))


def test_429_retry_after_is_honoured(server: str, registry: ConnectorRegistry) -> None:
    with pytest.raises(RetryableError) as info:
        invoke(registry, call({"url": f"{server}/busy"}), POLICY)
    assert info.value.retry_after == 7
    assert POLICY.next_delay(1, info.value.retry_after) == 7


def test_bearer_secret_never_appears_in_result_meta_or_reprs(
    server: str, registry: ConnectorRegistry
) -> None:
    the_call = call(
        {"url": f"{server}/protected", "auth": {"type": "bearer", "token": "secret:API_TOKEN"}}
    )
    result = invoke(registry, the_call, POLICY)
    assert result.data["body"] == {"authorized": True}
    for text in (
        repr(result),
        json.dumps(result.data),
        json.dumps(dict(result.meta)),
        repr(the_call),
        repr(SECRETS),
    ):
        assert TOKEN not in text
    with pytest.raises(ConnectorBpmnError) as info:
        invoke(
            registry,
            call({"url": f"{server}/protected", "auth": {"type": "bearer", "token": "wrong"}}),
            POLICY,
        )
    assert info.value.code == "HTTP_401"


def test_templated_secret_in_headers_is_redacted_in_call_repr(
    server: str, registry: ConnectorRegistry
) -> None:
    from seamline.connectors.templating import render_params

    params = render_params(
        {"url": f"{server}/echo", "headers": {"Authorization": "Bearer {{ secrets.API_TOKEN }}"}},
        {},
        SECRETS,
    )
    the_call = call(params)
    result = invoke(registry, the_call, POLICY)
    assert result.data["body"]["authorized"] is True
    assert TOKEN not in repr(the_call) and TOKEN not in repr(result)


def test_camunda7_http_connector_parameters(server: str, registry: ConnectorRegistry) -> None:
    params = {
        "url": f"{server}/echo",
        "method": "PUT",
        "headers": {"Content-Type": "text/plain"},
        "payload": "hello",
    }
    body = invoke(registry, call(params), POLICY).data["body"]
    assert (body["method"], body["content_type"], body["body"]) == ("PUT", "text/plain", "hello")


def test_camunda8_rest_connector_parameters(server: str, registry: ConnectorRegistry) -> None:
    params = {
        "url": f"{server}/echo",
        "method": "POST",
        "queryParameters": {"page": "2"},
        "body": {"name": "Ada"},
        "authentication": {"type": "bearer", "token": "secret:API_TOKEN"},
        "connectionTimeoutInSeconds": "20",
    }
    body = invoke(registry, call(params), POLICY).data["body"]
    assert body["query"] == {"page": ["2"]} and json.loads(body["body"]) == {"name": "Ada"}
    assert body["authorized"] is True


def test_config_alias_with_base_url_and_secret(server: str) -> None:
    registry = ConnectorRegistry.default(
        {
            "connectors": {
                "crm": {
                    "type": "http",
                    "base_url": server,
                    "auth": {"type": "bearer", "token": "secret:API_TOKEN"},
                }
            }
        }
    )
    result = invoke(registry, call({"url": "/protected"}, connector="crm"), POLICY)
    assert result == ConnectorResult(result.data, result.meta) and result.data["body"] == {
        "authorized": True
    }


def test_connection_refused_is_retryable(registry: ConnectorRegistry) -> None:
    api = Api(("127.0.0.1", 0), Handler)
    port = api.server_address[1]
    api.server_close()
    with pytest.raises(RetryableError, match="failed"):
        invoke(registry, call({"url": f"http://127.0.0.1:{port}/echo"}), POLICY)

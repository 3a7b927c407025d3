from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from seamline.connectors.base import ConnectorCall
from seamline.connectors.http import HttpConnector, _retry_after
from seamline.connectors.secrets import Secrets
from seamline.errors import ConnectorBpmnError, FatalError, RetryableError

SECRETS = Secrets({"TOKEN": "tok-secret"}, environ={})


class Recorder:
    """A MockTransport handler that records requests and answers with a fixed response."""

    def __init__(self, response: httpx.Response | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.response = response or httpx.Response(200, json={"ok": True})

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.response


def run(params: dict[str, Any], recorder: Recorder | None = None) -> tuple[Any, Recorder]:
    recorder = recorder or Recorder()
    connector = HttpConnector(transport=httpx.MockTransport(recorder))
    call = ConnectorCall("http", params, "i-1", "Task_1", "idem-1", 1, None, SECRETS)
    return connector.invoke(call), recorder


def test_get_json() -> None:
    result, rec = run(
        {"url": "https://api.test/orders", "query": {"page": 2, "tags": ["a", "b"], "on": True}}
    )
    assert result.data == {
        "status": 200,
        "headers": {"content-length": "11", "content-type": "application/json"},
        "body": {"ok": True},
    }
    assert result.meta["status"] == 200 and result.meta["method"] == "GET"
    request = rec.requests[0]
    assert request.method == "GET"
    assert request.url.params.get_list("tags") == ["a", "b"] and request.url.params["on"] == "true"
    assert request.headers["Idempotency-Key"] == "idem-1"


def test_json_body_and_bearer_auth_from_secret() -> None:
    result, rec = run(
        {
            "method": "post",
            "url": "https://api.test/x",
            "json": {"a": 1},
            "auth": {"type": "bearer", "token": "secret:TOKEN"},
        }
    )
    request = rec.requests[0]
    assert request.method == "POST" and json.loads(request.content) == {"a": 1}
    assert request.headers["Authorization"] == "Bearer tok-secret"
    assert "tok-secret" not in repr(result)


def test_basic_auth_and_form() -> None:
    _, rec = run(
        {
            "method": "POST",
            "url": "https://api.test/x",
            "form": {"a": 1},
            "auth": {"type": "basic", "username": "u", "password": "secret:TOKEN"},
        }
    )
    request = rec.requests[0]
    assert request.headers["Authorization"].startswith("Basic ")
    assert request.content == b"a=1"


def test_text_body_and_text_response() -> None:
    result, rec = run(
        {"method": "PUT", "url": "https://api.test/x", "body": "hello"},
        Recorder(httpx.Response(200, text="plain")),
    )
    assert rec.requests[0].content == b"hello" and result.data["body"] == "plain"


def test_invalid_json_response_stays_text() -> None:
    response = httpx.Response(200, content=b"{oops", headers={"content-type": "application/json"})
    assert run({"url": "https://a.test"}, Recorder(response))[0].data["body"] == "{oops"


def test_empty_body_is_none_and_set_cookie_is_hidden() -> None:
    response = httpx.Response(204, headers={"set-cookie": "sid=1", "x-a": "b"})
    data = run({"url": "https://a.test"}, Recorder(response))[0].data
    assert (
        data["body"] is None
        and "set-cookie" not in data["headers"]
        and data["headers"]["x-a"] == "b"
    )


def test_camunda7_parameter_names() -> None:
    _, rec = run(
        {
            "url": "https://a.test/p",
            "method": "POST",
            "headers": {"Content-Type": "application/json"},
            "payload": '{"a": 1}',
        }
    )
    request = rec.requests[0]
    assert request.content == b'{"a": 1}' and request.headers["content-type"] == "application/json"


def test_camunda8_parameter_names() -> None:
    _, rec = run(
        {
            "url": "https://a.test/p",
            "method": "POST",
            "queryParameters": {"q": "x"},
            "body": {"a": 1},
            "authentication": {"type": "bearer", "token": "secret:TOKEN"},
            "connectionTimeoutInSeconds": "20",
        }
    )
    request = rec.requests[0]
    assert request.url.params["q"] == "x" and json.loads(request.content) == {"a": 1}
    assert request.headers["Authorization"] == "Bearer tok-secret"


def test_camunda8_no_auth() -> None:
    _, rec = run({"url": "https://a.test", "authentication": {"type": "noAuth"}})
    assert "Authorization" not in rec.requests[0].headers


def test_base_url_joins_relative_urls() -> None:
    _, rec = run({"base_url": "https://crm.test/api/", "url": "/customers/1"})
    assert str(rec.requests[0].url) == "https://crm.test/api/customers/1"


def test_404_is_a_bpmn_error_with_the_response() -> None:
    with pytest.raises(ConnectorBpmnError) as info:
        run({"url": "https://a.test/x"}, Recorder(httpx.Response(404, json={"error": "nope"})))
    assert info.value.code == "HTTP_404"
    assert info.value.data["body"] == {"error": "nope"}
    assert "[Task_1]" in str(info.value)


def test_4xx_can_be_fatal() -> None:
    with pytest.raises(FatalError, match="answered 400"):
        run({"url": "https://a.test/x", "error_on_4xx": "fatal"}, Recorder(httpx.Response(400)))


@pytest.mark.parametrize(("status", "after"), [(500, None), (503, 7.0), (429, 3.0), (408, None)])
def test_retryable_statuses(status: int, after: float | None) -> None:
    headers = {"retry-after": str(int(after))} if after else {}
    with pytest.raises(RetryableError) as info:
        run({"url": "https://a.test/x"}, Recorder(httpx.Response(status, headers=headers)))
    assert info.value.retry_after == after and not isinstance(info.value, FatalError)


def test_expect_changes_success() -> None:
    result, _ = run(
        {"url": "https://a.test", "expect": [404, "2xx"]}, Recorder(httpx.Response(404))
    )
    assert result.data["status"] == 404
    with pytest.raises(ConnectorBpmnError, match="HTTP_201"):
        run({"url": "https://a.test", "expect": [200]}, Recorder(httpx.Response(201)))


def test_connection_error_is_retryable() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    connector = HttpConnector(transport=httpx.MockTransport(refuse))
    with pytest.raises(RetryableError, match="ConnectError"):
        connector.invoke(ConnectorCall("http", {"url": "https://a.test/x?token=tok-secret"}))


def test_url_in_errors_drops_query_and_credentials() -> None:
    with pytest.raises(RetryableError) as info:
        run({"url": "https://user:pw@a.test/x?key=k1"}, Recorder(httpx.Response(500)))
    assert "k1" not in str(info.value) and "pw" not in str(info.value)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({}, "'url' is required"),
        ({"url": "ftp://a.test"}, "cannot be sent"),
        ({"url": "https://a.test", "json": {}, "body": "x"}, "only one of"),
        ({"url": "https://a.test", "headers": ["a"]}, "'headers' must be"),
        ({"url": "https://a.test", "query": "a=1"}, "'query' must be"),
        ({"url": "https://a.test", "auth": {"type": "oauth"}}, "not supported"),
        ({"url": "https://a.test", "auth": {"type": "bearer"}}, "needs a token"),
        ({"url": "https://a.test", "timeout": "soon"}, "'timeout' must be"),
        ({"url": "https://a.test", "timeout": 0}, "must be positive"),
        ({"url": "https://a.test", "expect": ["ok"]}, "'expect'"),
        ({"url": "https://a.test", "form": "a"}, "'form' must be"),
    ],
)
def test_parameter_errors_are_fatal(params: dict[str, Any], match: str) -> None:
    with pytest.raises(FatalError, match=match):
        run(params)


def test_retry_after_parsing() -> None:
    assert _retry_after("12") == 12
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert _retry_after("garbage") is None
    assert _retry_after(None) is None

"""The ``http`` connector: one synchronous HTTP request per call, through httpx.

Also accepts the parameter names of the Camunda 7 http-connector (``payload``) and the Camunda 8
REST connector (``queryParameters``, ``authentication``, ``connectionTimeoutInSeconds``,
``readTimeoutInSeconds``), so those diagrams run unchanged.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from seamline.connectors.base import ConnectorCall, ConnectorResult, ParamSpec, within_deadline
from seamline.errors import ConnectorBpmnError, RetryableError

DEFAULT_TIMEOUT = 30.0
_RETRYABLE_STATUS = {408, 429}
# Response headers that may carry credentials back; never copied into process data.
_HIDDEN_RESPONSE_HEADERS = {"set-cookie", "authorization", "proxy-authorization"}

PARAMETERS: Mapping[str, ParamSpec] = {
    "url": ParamSpec("string", True, "absolute URL, or a path joined to base_url"),
    "base_url": ParamSpec("string", False, "prefix for relative urls (set by aliases)"),
    "method": ParamSpec("string", False, "HTTP method", "GET"),
    "headers": ParamSpec("object", False, "request headers"),
    "query": ParamSpec("object", False, "query parameters (alias: queryParameters)"),
    "json": ParamSpec("any", False, "JSON request body"),
    "body": ParamSpec("any", False, "request body: text, or JSON for a dict/list (alias: payload)"),
    "form": ParamSpec("object", False, "form-encoded request body"),
    "auth": ParamSpec(
        "object",
        False,
        '{"type": "bearer", "token": ...} or {"type": "basic", "username", "password"} '
        "(alias: authentication)",
        secret=True,
    ),
    "timeout": ParamSpec(
        "number", False, "seconds (alias: connectionTimeoutInSeconds)", DEFAULT_TIMEOUT
    ),
    "expect": ParamSpec(
        "array", False, 'status codes counted as success, e.g. [200, "3xx"]', "2xx"
    ),
    "error_on_4xx": ParamSpec("string", False, '"bpmn" (HTTP_<status>) or "fatal"', "bpmn"),
}


class HttpConnector:
    """Sends one HTTP request and returns ``{"status", "headers", "body"}``.

    5xx, 408, 429 (honouring Retry-After), timeouts and connection errors are RetryableError;
    other unexpected statuses are a BPMN error ``HTTP_<status>`` carrying the response, or a
    FatalError with ``error_on_4xx: "fatal"``. Pass ``transport`` (e.g. ``httpx.MockTransport``)
    to test without a network.
    """

    name = "http"
    description = "Call an HTTP API (JSON, text or form bodies; bearer or basic auth)."
    parameters = PARAMETERS
    enforces_deadline = True

    def __init__(self, *, transport: httpx.BaseTransport | None = None) -> None:
        self._transport = transport

    def invoke(self, call: ConnectorCall) -> ConnectorResult:
        """Send the request described by ``call.params``."""
        params = _normalize(call.params)
        method = str(params.get("method") or "GET").upper()
        url = _url(call, params)
        headers = _headers(call, params.get("headers"))
        auth = _auth(call, params.get("auth"))
        if call.idempotency_key:
            headers.setdefault("Idempotency-Key", call.idempotency_key)
        timeout = _timeout(call, params)
        content, json_body, form = _body(call, params)
        query = params.get("query")
        if query is not None and not isinstance(query, Mapping):
            raise call.fatal("parameter 'query' must be an object of name: value")
        started = time.perf_counter()
        try:
            with httpx.Client(
                transport=self._transport, follow_redirects=True, timeout=timeout
            ) as client:
                response = client.request(
                    method,
                    url,
                    headers=headers,
                    params=_query(query),
                    content=content,
                    json=json_body,
                    data=form,
                    auth=auth,
                )
        except httpx.TimeoutException as exc:
            raise RetryableError(
                f"connector 'http': {method} {_safe_url(url)} timed out after {timeout:.3g}s",
                hint="raise the timeout parameter or check the server",
                **call.context(),
            ) from exc
        except (httpx.UnsupportedProtocol, httpx.InvalidURL, httpx.LocalProtocolError) as exc:
            raise call.fatal(f"{method} {_safe_url(url)} cannot be sent: {exc}") from exc
        except httpx.HTTPError as exc:
            raise RetryableError(
                f"connector 'http': {method} {_safe_url(url)} failed: {type(exc).__name__}: {exc}",
                hint="check that the server is reachable",
                **call.context(),
            ) from exc
        latency_ms = round((time.perf_counter() - started) * 1000, 1)
        data = {
            "status": response.status_code,
            "headers": {
                key: value
                for key, value in response.headers.items()
                if key.lower() not in _HIDDEN_RESPONSE_HEADERS
            },
            "body": _parse_body(response),
        }
        meta = {
            "status": response.status_code,
            "latency_ms": latency_ms,
            "method": method,
            "url": _safe_url(str(response.request.url)),
        }
        if _expected(response.status_code, params.get("expect"), call):
            return ConnectorResult(data=data, meta=meta)
        raise _status_error(call, response, data, str(params.get("error_on_4xx") or "bpmn"))


def _normalize(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Map Camunda 7 / Camunda 8 parameter names onto ours; our own names win."""
    params = dict(raw)
    renames = {
        "payload": "body",
        "queryParameters": "query",
        "authentication": "auth",
        "connectionTimeoutInSeconds": "timeout",
    }
    for theirs, ours in renames.items():
        if theirs in params:
            value = params.pop(theirs)
            params.setdefault(ours, value)
    read_timeout = params.pop("readTimeoutInSeconds", None)
    if read_timeout is not None:
        params.setdefault("read_timeout", read_timeout)
    return params


def _url(call: ConnectorCall, params: Mapping[str, Any]) -> str:
    url = params.get("url")
    if not isinstance(url, str) or not url.strip():
        raise call.fatal("parameter 'url' is required", hint="set url to an http(s) address")
    base = params.get("base_url")
    if base and "://" not in url:
        url = f"{str(base).rstrip('/')}/{url.lstrip('/')}"
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise call.fatal(
            f"{_safe_url(url)} cannot be sent: only http and https URLs are supported",
            hint="start url with https://, or set base_url for a relative path",
        )
    return url


def _safe_url(url: str) -> str:
    """The URL without user info and query, which may hold credentials."""
    try:
        parsed = httpx.URL(url)
    except Exception:
        return "<invalid url>"
    return str(parsed.copy_with(username=None, password=None, query=None, fragment=None))


def _headers(call: ConnectorCall, raw: Any) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise call.fatal("parameter 'headers' must be an object of name: value")
    return {str(k): str(call.resolve_secret(v)) for k, v in raw.items()}


def _query(raw: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    return {
        str(k): [str(i) for i in v] if isinstance(v, list) else _scalar(v) for k, v in raw.items()
    }


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _auth(call: ConnectorCall, raw: Any) -> httpx.Auth | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise call.fatal(
            "parameter 'auth' must be an object with a type", hint='{"type": "bearer"}'
        )
    kind = str(raw.get("type") or "").replace("-", "").replace("_", "").lower()
    if kind in ("", "none", "noauth"):
        return None
    if kind == "bearer":
        token = call.resolve_secret(raw.get("token"))
        if not token:
            raise call.fatal("bearer auth needs a token", hint='"token": "secret:NAME"')
        return _BearerAuth(str(token))
    if kind == "basic":
        username = call.resolve_secret(raw.get("username"))
        password = call.resolve_secret(raw.get("password"))
        if username is None:
            raise call.fatal("basic auth needs a username")
        return httpx.BasicAuth(str(username), str(password or ""))
    raise call.fatal(
        f"auth type '{raw.get('type')}' is not supported", hint="use bearer, basic or noAuth"
    )


class _BearerAuth(httpx.Auth):
    """Adds the bearer token at send time, so it is in no params, headers dict or repr."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "_BearerAuth(token=***)"

    def auth_flow(self, request: httpx.Request) -> Any:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


def _timeout(call: ConnectorCall, params: Mapping[str, Any]) -> float:
    value = params.get("timeout")
    try:
        seconds = DEFAULT_TIMEOUT if value is None else float(value)
        read = params.get("read_timeout")
        if read is not None:
            seconds = max(seconds, float(read))
    except (TypeError, ValueError) as exc:
        raise call.fatal(f"parameter 'timeout' must be a number of seconds, got {value!r}") from exc
    return within_deadline(call, seconds, value)


def _body(
    call: ConnectorCall, params: Mapping[str, Any]
) -> tuple[str | bytes | None, Any, Mapping[str, Any] | None]:
    given = [key for key in ("json", "body", "form") if params.get(key) is not None]
    if len(given) > 1:
        raise call.fatal(f"give only one of {', '.join(given)}", hint="json, body or form")
    if "json" in given:
        return None, params["json"], None
    if "form" in given:
        form = params["form"]
        if not isinstance(form, Mapping):
            raise call.fatal("parameter 'form' must be an object of name: value")
        return None, None, {str(k): _scalar(v) for k, v in form.items()}
    if "body" in given:
        body = params["body"]
        if isinstance(body, str | bytes):
            return body, None, None
        return None, body, None
    return None, None, None


def _parse_body(response: httpx.Response) -> Any:
    if not response.content:
        return None
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json" or kind.endswith("+json"):
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            pass
    return response.text


def _expected(status: int, expect: Any, call: ConnectorCall) -> bool:
    if expect is None:
        return 200 <= status < 300
    items = expect if isinstance(expect, list | tuple) else [expect]
    for item in items:
        text = str(item).strip().lower()
        if len(text) == 3 and text.endswith("xx") and text[0].isdigit():
            if status // 100 == int(text[0]):
                return True
        elif text.isdigit():
            if status == int(text):
                return True
        else:
            raise call.fatal(f"parameter 'expect' has {item!r}", hint='use codes like 204 or "2xx"')
    return False


def _status_error(
    call: ConnectorCall, response: httpx.Response, data: dict[str, Any], mode: str
) -> Exception:
    status = response.status_code
    request = f"{response.request.method} {_safe_url(str(response.request.url))}"
    if status >= 500 or status in _RETRYABLE_STATUS:
        return RetryableError(
            f"connector 'http': {request} answered {status}",
            retry_after=_retry_after(response.headers.get("retry-after")),
            **call.context(),
        )
    if mode == "fatal":
        return call.fatal(f"{request} answered {status}", hint="see the response in the incident")
    if mode != "bpmn":
        return call.fatal(f'error_on_4xx must be "bpmn" or "fatal", got {mode!r}')
    return ConnectorBpmnError(
        f"HTTP_{status}",
        f"connector 'http': {request} answered {status}, thrown as BPMN error HTTP_{status}",
        data=data,
        **call.context(),
    )


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())

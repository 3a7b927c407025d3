"""One model call over HTTP, and the translation of its failures into seamline's three kinds.

401/403 (a bad key), 400 (a bad request), 404 (an unknown model) and other client errors are
FatalError: retrying will not fix them. 408, 409, 429, 5xx (Anthropic's 529 "overloaded"
included), timeouts and connection failures are RetryableError carrying the server's
Retry-After, so the job machinery retries durably. No message ever contains the key.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from seamline.connectors.base import ConnectorCall
from seamline.connectors.http import _retry_after
from seamline.connectors.llm_profiles import Profile
from seamline.connectors.llm_wire import ModelRequest, Reply, Wire, error_message
from seamline.errors import FatalError, ModelCallFailed, RetryableError, WireError

_RETRYABLE_STATUS = {408, 409, 429}


def send(
    client: httpx.Client,
    wire: Wire,
    profile: Profile,
    key: str | None,
    request: ModelRequest,
    timeout: float,
    call: ConnectorCall,
    redact: Callable[[str], str],
) -> Reply:
    """POST ``request`` and return the parsed reply; ModelCallFailed wrapping the error."""
    url = wire.url(profile.base_url)
    where = f"{profile.provider} model '{request.model}' at {_safe(url)}"
    try:
        response = client.post(
            url,
            headers=wire.headers(profile, key),
            content=json.dumps(wire.body(request, profile)).encode(),
            timeout=timeout,
        )
    except httpx.TimeoutException as exc:
        raise ModelCallFailed(
            RetryableError(
                f"connector 'llm': {where} did not answer within {timeout:.3g}s",
                hint="raise the timeout parameter or the profile's timeout",
                **call.context(),
            ),
            "timeout",
        ) from exc
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise ModelCallFailed(
            call.fatal(f"{where}: the base URL cannot be used: {redact(str(exc))}"), "invalid_url"
        ) from exc
    except httpx.HTTPError as exc:
        raise ModelCallFailed(
            RetryableError(
                f"connector 'llm': {where} cannot be reached: {type(exc).__name__}: "
                f"{redact(str(exc))}",
                hint="check that the server is running and base_url is right",
                **call.context(),
            ),
            "unreachable",
        ) from exc
    status = response.status_code
    payload = _json(response)
    if 200 <= status < 300:
        try:
            return wire.parse(payload)
        except WireError as exc:
            raise ModelCallFailed(
                call.fatal(
                    f"{where} answered {status} with a body that is not a valid "
                    f"{profile.provider} response: {redact(str(exc))}",
                    hint=f"check that provider = '{profile.provider}' matches the server",
                ),
                "bad_response",
            ) from exc
    raise ModelCallFailed(
        _status_error(status, payload, response, where, profile, call, redact), str(status)
    )


def _status_error(
    status: int,
    payload: Any,
    response: httpx.Response,
    where: str,
    profile: Profile,
    call: ConnectorCall,
    redact: Callable[[str], str],
) -> FatalError | RetryableError:
    said = redact(error_message(payload) or response.text[:200]).strip().replace("\n", " ")
    if status in (401, 403):
        # The provider's message may quote part of the key, so it is left out entirely.
        return call.fatal(
            f"{where} refused the API key (HTTP {status})",
            hint=f"check the key in {profile.key_source()} (profile '{profile.name}')",
        )
    if status in _RETRYABLE_STATUS or status >= 500:
        return RetryableError(
            f"connector 'llm': {where} answered {status}: {said}",
            retry_after=_retry_after_of(response),
            hint="retried later; the server is busy or failing",
            **call.context(),
        )
    if status == 404:
        return call.fatal(
            f"{where} answered 404 (model or endpoint not found): {said}",
            hint="check the model name and the profile's base_url",
        )
    return call.fatal(f"{where} refused the request (HTTP {status}): {said}")


def _retry_after_of(response: httpx.Response) -> float | None:
    milliseconds = response.headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(0.0, float(milliseconds) / 1000)
        except ValueError:
            pass
    return _retry_after(response.headers.get("retry-after"))


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _safe(url: str) -> str:
    """The URL without user info and query, which may hold credentials."""
    try:
        parsed = httpx.URL(url)
    except Exception:
        return "<invalid url>"
    return str(parsed.copy_with(username=None, password=None, query=None, fragment=None))

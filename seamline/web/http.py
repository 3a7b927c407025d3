"""The little HTTP layer the web app needs on top of plain WSGI: requests, responses, routes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs, quote

from seamline import jsondata
from seamline.errors import BodyTooLarge, UsageError

#: The largest request body read; a form or a JSON document beyond this is refused.
MAX_BODY_BYTES = 1 * 2**20

#: Scripts, styles and images from this origin only (no inline script or handler at all); no
#: framing, no foreign form targets.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self';"
    " img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none';"
    " base-uri 'none'"
)
#: Sent with every response: pages hold process data, so no caching, framing or sniffing.
SECURITY_HEADERS = (
    ("Cache-Control", "no-store"),
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
)

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
Environ = dict[str, Any]


@dataclass
class Request:
    """One HTTP request, read from a WSGI environ."""

    environ: Environ
    method: str
    path: str
    query: dict[str, list[str]]
    cookies: dict[str, str]
    _body: bytes | None = None
    _form: dict[str, list[str]] | None = None

    @classmethod
    def from_environ(cls, environ: Environ) -> Request:
        """Read method, path, query string and cookies (the body is read on demand)."""
        # PEP 3333 hands PATH_INFO over as latin-1 decoded bytes; undo that to get UTF-8 back.
        raw_path = environ.get("PATH_INFO", "") or "/"
        try:
            path = raw_path.encode("latin-1").decode("utf-8")
        except UnicodeError:
            path = raw_path
        cookies: dict[str, str] = {}
        header = environ.get("HTTP_COOKIE", "")
        if header:
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(header)
            except CookieError:
                jar = SimpleCookie()  # a malformed cookie header is as good as none
            cookies = {k: m.value for k, m in jar.items()}
        return cls(
            environ=environ,
            method=str(environ.get("REQUEST_METHOD", "GET")).upper(),
            path=path,
            query=parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True),
            cookies=cookies,
        )

    def arg(self, name: str) -> str | None:
        """The first value of a query parameter, or None."""
        values = self.query.get(name)
        return values[0] if values else None

    def header(self, name: str) -> str | None:
        """A request header by its HTTP name (``X-Seamline-User``), or None."""
        key = "HTTP_" + name.upper().replace("-", "_")
        value = self.environ.get(key)
        return str(value) if value else None

    def body(self) -> bytes:
        """The request body, bounded by :data:`MAX_BODY_BYTES`."""
        if self._body is None:
            try:
                length = int(self.environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > MAX_BODY_BYTES:
                raise BodyTooLarge(f"the request body is over {MAX_BODY_BYTES // 2**20} MiB")
            stream = self.environ.get("wsgi.input")
            self._body = stream.read(length) if stream is not None and length > 0 else b""
        return self._body

    def form(self) -> dict[str, list[str]]:
        """The body as ``application/x-www-form-urlencoded`` fields (parsed once)."""
        if self._form is None:
            text = self.body().decode("utf-8", "replace")
            self._form = parse_qs(text, keep_blank_values=True)
        return self._form

    def json(self) -> dict[str, Any]:
        """The body as a JSON object; UsageError if it is not one."""
        raw = self.body()
        if not raw.strip():
            return {}
        try:
            value = jsondata.loads(raw.decode("utf-8"), "the request body")
        except UnicodeDecodeError as exc:
            raise UsageError("the request body is not UTF-8 text") from exc
        except json.JSONDecodeError as exc:
            raise UsageError(
                f"the request body is not valid JSON: {exc.msg} (line {exc.lineno},"
                f" column {exc.colno})"
            ) from exc
        if not isinstance(value, dict):
            raise UsageError('the request body must be a JSON object, e.g. {"approved": true}')
        return value


@dataclass
class Response:
    """What a handler returns: status, headers and a body."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, start_response: StartResponse) -> Iterable[bytes]:
        """Send the response through WSGI's ``start_response``."""
        phrase = HTTPStatus(self.status).phrase
        headers = [
            ("Content-Type", self.content_type),
            ("Content-Length", str(len(self.body))),
            *SECURITY_HEADERS,
            *self.headers,
        ]
        start_response(f"{self.status} {phrase}", headers)
        return [self.body]

    def set_cookie(
        self, name: str, value: str, *, secure: bool = False, max_age: int | None = None
    ) -> None:
        """Set a cookie scripts cannot read and other sites' requests do not carry."""
        extra = (f"; Max-Age={max_age}" if max_age else "") + ("; Secure" if secure else "")
        self.headers.append(
            (
                "Set-Cookie",
                f"{name}={quote(value, safe='')}; Path=/; HttpOnly; SameSite=Strict{extra}",
            )
        )

    def clear_cookie(self, name: str) -> None:
        """Remove a cookie."""
        self.headers.append(
            ("Set-Cookie", f"{name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict")
        )


def html(text: str, status: int = 200) -> Response:
    """An HTML response."""
    return Response(text.encode("utf-8"), status)


def json_response(value: Any, status: int = 200) -> Response:
    """A JSON response; dates, decimals and sets are written the way the CLI writes them."""
    body = jsondata.dumps(value, default=json_default, ensure_ascii=False, indent=2)
    return Response(body.encode("utf-8"), status, "application/json; charset=utf-8")


def redirect(location: str) -> Response:
    """See other: after a POST, the browser GETs ``location``."""
    return Response(b"", 303, "text/plain; charset=utf-8", [("Location", location)])


def json_default(value: Any) -> Any:
    """JSON for the values process data and records hold besides JSON's own."""
    import datetime as dt
    from decimal import Decimal

    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


Handler = Callable[..., Response]


class Router:
    """Routes ``METHOD /path/{name}`` patterns to handlers called with the path's parts."""

    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        """Register ``handler`` for ``method`` and ``pattern`` (``{id}`` matches one segment)."""
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
        self._routes.append((method, re.compile(f"^{regex}$"), handler))

    def match(self, method: str, path: str) -> tuple[Handler, Mapping[str, str]] | str | None:
        """The handler and path parameters; ``"method"`` when only the method is wrong."""
        wrong_method = False
        for route_method, regex, handler in self._routes:
            found = regex.match(path)
            if found is None:
                continue
            if route_method != method and not (route_method == "GET" and method == "HEAD"):
                wrong_method = True
                continue
            return handler, found.groupdict()
        return "method" if wrong_method else None

from __future__ import annotations

import io
import json
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit
from wsgiref.util import setup_testing_defaults

import pytest

from seamline.app import App
from seamline.config import Settings
from seamline.store.memory import MemoryStore
from seamline.web.security import CSRF_FIELD
from seamline.web.wsgi import make_wsgi_app
from tests.integration.web.diagrams import EXPENSE, HOSTILE, USERS_TOML

_TOKEN = re.compile(rf'name="{CSRF_FIELD}" value="([^"]+)"')


@dataclass
class Reply:
    """What the WSGI app answered."""

    status: int
    headers: list[tuple[str, str]]
    text: str

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def json(self) -> Any:
        assert (self.header("Content-Type") or "").startswith("application/json")
        return json.loads(self.text)


@dataclass
class Client:
    """Calls the WSGI callable directly, keeping cookies like a browser.

    Like a browser submitting a page's form, a form POST carries the CSRF token of the last
    page seen (``csrf=False`` leaves it out).
    """

    wsgi: Callable[..., Iterable[bytes]]
    cookies: dict[str, str] = field(default_factory=dict)
    token: str | None = None

    def request(
        self,
        method: str,
        url: str,
        *,
        form: dict[str, Any] | None = None,
        json_body: Any = None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        csrf: bool = True,
        content_type: str | None = None,
    ) -> Reply:
        parts = urlsplit(url)
        is_form_post = method == "POST" and not parts.path.startswith("/api/") and body is None
        if is_form_post and csrf and self.token and json_body is None:
            form = {CSRF_FIELD: self.token, **(form or {})}
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": parts.path,
            "QUERY_STRING": parts.query,
        }
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            environ["CONTENT_TYPE"] = "application/json"
        if content_type is not None:
            environ["CONTENT_TYPE"] = content_type
        body = body or b""
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["wsgi.input"] = io.BytesIO(body)
        environ["wsgi.errors"] = io.StringIO()
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        setup_testing_defaults(environ)
        seen: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]]) -> None:
            seen["status"] = int(status.split()[0])
            seen["headers"] = headers

        chunks = self.wsgi(environ, start_response)
        text = b"".join(chunks).decode("utf-8")
        reply = Reply(seen["status"], seen["headers"], text)
        found = _TOKEN.search(text)
        if found:
            self.token = found.group(1)
        for name, value in reply.headers:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                val = rest.split(";")[0]
                if "Max-Age=0" in value:
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = val
        return reply

    def get(self, url: str, **kw: Any) -> Reply:
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw: Any) -> Reply:
        return self.request("POST", url, **kw)


@pytest.fixture
def app(tmp_path: Path) -> App:
    return App(MemoryStore(), settings=Settings(raw=tomllib.loads(USERS_TOML)))


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, xml in (("expense", EXPENSE), ("hostile", HOSTILE)):
        path = tmp_path / f"{name}.bpmn"
        path.write_text(xml, encoding="utf-8")
        out[name] = path
    return out


@pytest.fixture
def client(app: App) -> Client:
    return Client(make_wsgi_app(app))


def sign_in(c: Client, user: str) -> Reply:
    """Pick ``user`` on the sign-in page, as a browser does: GET the page, POST its form."""
    assert c.get("/login").status == 200
    reply = c.post("/login", form={"user": user})
    if reply.status == 303:
        c.get("/")  # the page after signing in: its forms carry the new session's token
    return reply


def signed_in(app: App, user: str) -> Client:
    """A browser with ``user`` picked on the sign-in page."""
    c = Client(make_wsgi_app(app))
    reply = sign_in(c, user)
    assert reply.status == 303, reply.text
    return c

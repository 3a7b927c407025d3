from __future__ import annotations

import io
import json
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
from seamline.web.wsgi import make_wsgi_app
from tests.integration.web.diagrams import EXPENSE, HOSTILE, USERS_TOML


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
    """Calls the WSGI callable directly, keeping cookies like a browser."""

    wsgi: Callable[..., Iterable[bytes]]
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        url: str,
        *,
        form: dict[str, Any] | None = None,
        json_body: Any = None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        parts = urlsplit(url)
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


def signed_in(app: App, user: str) -> Client:
    """A browser with ``user`` picked on the sign-in page."""
    c = Client(make_wsgi_app(app))
    reply = c.get(f"/login?as={user}")
    assert reply.status == 303, reply.text
    return c

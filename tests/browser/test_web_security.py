"""Attacks on a real `seamline web` process: hostile pages in Chromium, rebinding, idle sockets."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tests.browser.conftest import Site, sign_in
from tests.integration.web.diagrams import EXPENSE, USERS_TOML
from tests.processes import HANG_GUARD_SECONDS

FILES = {"seamline.toml": USERS_TOML, "expense.bpmn": EXPENSE}
#: A session cookie shaped like the real ones ({"sid": "x", "user": "root"}) with no valid MAC.
FORGED_SESSION = "eyJzaWQiOiJ4IiwidXNlciI6InJvb3QifQ.x.y"
# Long enough for nothing but a hung server to hit it; shorter than the test timeout.
CLIENT_GUARD_SECONDS = 20


def _start(site: Site) -> tuple[str, str]:
    started = site.run("run", "expense.bpmn", "--json")
    assert started.code == 0, started.stderr
    return started.json()["instance"], started.json()["waiting"][0]["task"]


def _untouched(site: Site, instance: str, task: str) -> None:
    shown = site.run("show", instance, "--json").json()
    assert [w["element"] for w in shown["waiting"]] == ["review"]
    assert "reason" not in shown["data"], shown["data"]
    rows = site.run("--as", "root", "tasks", "--json").json()
    row = next(r for r in rows if r["task"] == task)
    assert row["status"] == "open" and row["assignee"] is None


@pytest.fixture
def hostile() -> Iterator[Callable[[str], str]]:
    """``hostile(html)`` serves ``html`` from another port (another origin); returns its port."""
    servers: list[ThreadingHTTPServer] = []

    def serve(page: str) -> str:
        body = page.encode("utf-8")

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return str(server.server_address[1])

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def _api_attack(site: Site, task: str) -> str:
    """A text/plain form and no-cors fetches that claim and complete with chosen data."""
    api = site.url(f"/api/tasks/{task}")
    return f"""<!doctype html><title>You won a prize</title>
<form id="f" method="post" enctype="text/plain" action="{api}/complete?as=ann">
<input name='{{"amount": 13, "reason": "forged", "pad": "' value='"}}'>
</form>
<script>
const opts = {{method: "POST", mode: "no-cors", credentials: "include",
              headers: {{"Content-Type": "text/plain"}}}};
fetch("{api}/claim?as=ann", {{...opts, body: "{{}}"}})
  .then(() => fetch("{api}/complete?as=ann",
                    {{...opts, body: '{{"amount": 13, "reason": "forged"}}'}}))
  .catch(() => null)
  .finally(() => document.getElementById("f").submit());
</script>"""


def _form_attack(site: Site, task: str) -> str:
    """An ordinary auto-submitting form against the inbox's own complete endpoint."""
    return f"""<!doctype html><title>You won a prize</title>
<form id="f" method="post" action="{site.url(f"/tasks/{task}/complete")}?as=ann">
<input name="amount" value="13"><input name="reason" value="forged">
</form>
<script>document.getElementById("f").submit();</script>"""


@pytest.mark.parametrize(
    ("attack", "hostile_host"),
    [
        (_api_attack, "127.0.0.1"),  # another port: the same *site*, so cookies go along
        (_api_attack, "localhost"),  # another site altogether
        (_form_attack, "127.0.0.1"),
        (_form_attack, "localhost"),
    ],
)
def test_a_hostile_page_cannot_claim_or_complete_a_task(
    start_site: Any,
    page: Any,
    hostile: Callable[[str], str],
    attack: Callable[[Site, str], str],
    hostile_host: str,
) -> None:
    site: Site = start_site(FILES)
    instance, task = _start(site)
    sign_in(page, site, "ann")  # the victim is signed in in this browser
    port = hostile(attack(site, task))
    page.goto(f"http://{hostile_host}:{port}/")
    # The form lands on the site's answer once the page's requests are done.
    page.wait_for_url(re.compile("^" + re.escape(site.base) + "/"))
    _untouched(site, instance, task)


def test_a_foreign_host_header_is_refused(start_site: Any) -> None:
    site: Site = start_site(FILES)
    instance, _task = _start(site)
    port = site.base.rsplit(":", 1)[1]
    rebound = {"Host": f"rebind.evil.example:{port}", "X-Seamline-User": "root"}
    with httpx.Client(timeout=CLIENT_GUARD_SECONDS) as http:
        for path in (f"/api/instances/{instance}?as=root", "/instances?as=root", "/login"):
            reply = http.get(site.url(path), headers=rebound)
            assert reply.status_code == 400, path
            assert "rebind.evil.example" in reply.text and instance not in reply.text
        for host in (f"localhost:{port}", f"127.0.0.1:{port}"):
            ok = http.get(site.url("/api/tasks"), headers={"Host": host, "X-Seamline-User": "ann"})
            assert ok.status_code == 200, host


def test_allow_host_and_the_config_add_names(start_site: Any) -> None:
    toml = USERS_TOML + '\n[web]\nallowed_hosts = ["from-config.example"]\n'
    site: Site = start_site({**FILES, "seamline.toml": toml}, "--allow-host", "inbox.example")
    with httpx.Client(timeout=CLIENT_GUARD_SECONDS) as http:
        for host in ("inbox.example", "from-config.example:8443"):
            reply = http.get(
                site.url("/api/tasks"), headers={"Host": host, "X-Seamline-User": "ann"}
            )
            assert reply.status_code == 200, host
        other = http.get(site.url("/api/tasks"), headers={"Host": "other.example"})
        assert other.status_code == 400


def test_a_forged_cookie_is_refused(start_site: Any, page: Any) -> None:
    site: Site = start_site(FILES)
    _instance, task = _start(site)
    page.context.add_cookies(
        [
            {"name": "user", "value": "root", "url": site.base},
            {"name": "seamline_session", "value": FORGED_SESSION, "url": site.base},
        ]
    )
    page.goto(site.url("/"))
    assert page.locator("h1").inner_text() == "Who are you?"
    assert page.locator(f"#task-{task}").count() == 0
    api = page.request.get(site.url("/api/tasks"))
    assert api.status == 403


def test_the_sign_in_flow_works_in_chromium(start_site: Any, page: Any) -> None:
    site: Site = start_site(FILES)
    _instance, task = _start(site)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.goto(site.url("/"))
    assert page.locator("h1").inner_text() == "Who are you?"
    sign_in(page, site, "ann")
    assert "Ann <Clerk>" in page.locator("span.who").inner_text()
    assert page.locator(f"#task-{task}").count() == 1
    cookie = next(c for c in page.context.cookies() if c["name"] == "seamline_session")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie") == ""  # scripts cannot read the session
    page.goto(site.url(f"/tasks/{task}"))
    assert page.locator("svg").count() >= 1
    with page.expect_navigation():
        page.click("form[action$=claim] button")
    assert "held by ann" in page.locator("main").inner_text()
    assert blocked == []  # the pages need nothing the Content-Security-Policy forbids
    page.goto(site.url("/login"))
    with page.expect_navigation():
        page.click("form.sign-out button")
    page.goto(site.url("/"))
    assert page.locator("h1").inner_text() == "Who are you?"


def test_idle_connections_do_not_block_others_and_are_closed(start_site: Any) -> None:
    site: Site = start_site(FILES, "--read-timeout", "2")
    port = int(site.base.rsplit(":", 1)[1])
    with (
        socket.create_connection(("127.0.0.1", port), timeout=HANG_GUARD_SECONDS) as half,
        socket.create_connection(("127.0.0.1", port), timeout=HANG_GUARD_SECONDS) as silent,
    ):
        half.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line
        with httpx.Client(timeout=CLIENT_GUARD_SECONDS) as http:
            assert http.get(site.url("/login")).status_code == 200
            with ThreadPoolExecutor(4) as pool:
                replies = list(pool.map(lambda _: http.get(site.url("/login")), range(8)))
            assert [r.status_code for r in replies] == [200] * 8
        # The server hangs up on both once they have been idle for the timeout.
        assert silent.recv(1024) == b""
        assert half.recv(1024) == b""

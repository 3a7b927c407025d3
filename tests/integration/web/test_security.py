"""Nobody acts as anybody: identity, CSRF, Fetch Metadata, Host and header rules of the web app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from seamline.app import App
from seamline.web.wsgi import make_wsgi_app
from tests.integration.web.conftest import Client, Reply, sign_in, signed_in

ANN = {"X-Seamline-User": "ann"}


def _open_task(app: App, files: dict[str, Path]) -> str:
    return app.run(files["expense"], {}).waiting[0].task


def _session_cookie(reply: Reply) -> str:
    cookies = [v for k, v in reply.headers if k.lower() == "set-cookie"]
    found = [c for c in cookies if c.startswith("seamline_session=")]
    assert found, reply.headers
    return found[-1]


# -- ?as= never says who acts ---------------------------------------------------------------------


def test_as_in_the_query_does_not_act_on_the_api(
    client: Client, app: App, files: dict[str, Path]
) -> None:
    task = _open_task(app, files)
    reply = client.post(
        f"/api/tasks/{task}/complete?as=ann", json_body={"amount": 1, "reason": "forged"}
    )
    assert reply.status == 403
    assert client.post(f"/api/tasks/{task}/claim?as=ann").status == 403
    assert app.task(task).status.value == "open" and app.task(task).assignee is None


def test_as_in_the_query_does_not_act_on_a_page_or_sign_in(
    client: Client, app: App, files: dict[str, Path]
) -> None:
    task = _open_task(app, files)
    client.get("/login?as=ann")
    assert client.get("/").status == 303  # still nobody signed in
    refused = client.post(
        f"/tasks/{task}/complete?as=ann", form={"amount": "1", "reason": "forged"}
    )
    assert refused.status in (303, 403)
    assert app.task(task).status.value == "open"


# -- the sign-in cookie ---------------------------------------------------------------------------


def test_sign_in_is_a_post_with_a_token_and_sets_a_strict_signed_cookie(client: Client) -> None:
    page = client.get("/login")
    assert page.status == 200 and 'method="post" action="/login"' in page.text
    reply = sign_in(client, "ann")
    assert reply.status == 303 and reply.header("Location") == "/"
    cookie = _session_cookie(reply)
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "ann" not in cookie.split(";")[0]  # signed and encoded, not the plain name
    assert "Ann &lt;Clerk&gt;" in client.get("/").text


def test_sign_in_without_the_token_is_refused(client: Client) -> None:
    client.get("/login")
    reply = client.post("/login", form={"user": "root"}, csrf=False)
    assert reply.status == 403
    assert "security token" in reply.text
    assert client.get("/").status == 303


def test_a_token_from_another_session_is_refused(app: App, files: dict[str, Path]) -> None:
    task = _open_task(app, files)
    wsgi = make_wsgi_app(app)
    attacker, ann = Client(wsgi), Client(wsgi)
    assert sign_in(attacker, "bob").status == 303
    assert sign_in(ann, "ann").status == 303
    ann.token = attacker.token  # a token the attacker got from their own session
    assert ann.post(f"/tasks/{task}/claim").status == 403
    assert app.task(task).assignee is None


@pytest.mark.parametrize(
    "cookie",
    ["user=root", "seamline_session=root", "seamline_session=eyJzaWQiOiJ4IiwidXNlciI6InJvb3QifQ"],
)
def test_a_forged_cookie_does_not_sign_anybody_in(client: Client, cookie: str) -> None:
    name, _, value = cookie.partition("=")
    client.cookies[name] = value
    page = client.get("/")
    assert page.status in (303, 403)  # the sign-in page, not root's inbox
    if page.status == 403:
        assert "sign in again" in page.text and "<h1>Who are you?</h1>" in page.text
        assert '<a href="/login">sign in</a>' in page.text  # nobody shown as signed in
    client.cookies[name] = value
    assert client.get("/api/tasks").status == 403


def test_a_cookie_signed_with_another_secret_is_refused(app: App) -> None:
    ours = Client(make_wsgi_app(app, secret="one secret of the first server"))
    assert sign_in(ours, "root").status == 303
    other = Client(make_wsgi_app(app, secret="the secret of some other server"))
    other.cookies = dict(ours.cookies)
    reply = other.get("/")
    assert reply.status == 403 and "sign in again" in reply.text
    same = Client(make_wsgi_app(app, secret="one secret of the first server"))
    same.cookies = dict(ours.cookies)
    assert same.get("/").status == 200  # a restart with the same secret keeps sign-ins


def test_sign_out_forgets_the_user(app: App) -> None:
    ann = signed_in(app, "ann")
    ann.get("/login")
    assert ann.post("/logout").status == 303
    assert ann.get("/").status == 303


# -- the JSON API takes JSON only -----------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
def test_api_bodies_that_are_not_json_are_415(
    client: Client, app: App, files: dict[str, Path], content_type: str
) -> None:
    task = _open_task(app, files)
    reply = client.post(
        f"/api/tasks/{task}/complete",
        body=b'{"amount": 1, "reason": "forged"}',
        content_type=content_type,
        headers=ANN,
    )
    assert reply.status == 415
    assert set(reply.json()) == {"error"} and "application/json" in reply.json()["error"]
    assert app.task(task).status.value == "open"


def test_api_json_with_a_charset_and_a_bodiless_claim_are_accepted(
    client: Client, app: App, files: dict[str, Path]
) -> None:
    task = _open_task(app, files)
    claimed = client.post(f"/api/tasks/{task}/claim", headers=ANN)
    assert claimed.status == 200, claimed.text
    done = client.post(
        f"/api/tasks/{task}/complete",
        body=b'{"amount": 2, "reason": "ok"}',
        content_type="application/json; charset=utf-8",
        headers=ANN,
    )
    assert done.status == 200, done.text


# -- requests from other sites --------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "http://evil.example"},
        {"Origin": "http://127.0.0.1:9999"},
        {"Origin": "null"},
    ],
)
def test_state_changes_from_another_site_are_403(
    app: App, files: dict[str, Path], headers: dict[str, str]
) -> None:
    task = _open_task(app, files)
    ann = signed_in(app, "ann")
    page = ann.post(f"/tasks/{task}/claim", headers=headers)
    assert page.status == 403
    assert "another site" in page.text or "from origin" in page.text
    api = ann.post(f"/api/tasks/{task}/claim", headers={**ANN, **headers})
    assert api.status == 403 and set(api.json()) == {"error"}
    assert app.task(task).assignee is None


def test_same_origin_requests_pass(app: App, files: dict[str, Path]) -> None:
    task = _open_task(app, files)
    ann = signed_in(app, "ann")
    same = {"Sec-Fetch-Site": "same-origin", "Origin": "http://127.0.0.1"}
    assert ann.post(f"/tasks/{task}/claim", headers=same).status == 303
    assert app.task(task).assignee == "ann"
    # Reading is allowed from anywhere (the Host check still applies).
    assert ann.get("/", headers={"Sec-Fetch-Site": "cross-site"}).status == 200


def test_a_form_without_its_token_is_403_even_from_a_proxy_user(
    client: Client, app: App, files: dict[str, Path]
) -> None:
    task = _open_task(app, files)
    reply = client.post(f"/tasks/{task}/claim", headers=ANN, csrf=False)
    assert reply.status == 403
    assert app.task(task).assignee is None
    client.get("/", headers=ANN)  # the page's forms carry a token bound to this browser
    assert client.post(f"/tasks/{task}/claim", headers=ANN).status == 303
    assert app.task(task).assignee == "ann"


# -- Host allow-list (DNS rebinding) --------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/instances", "/", "/login"])
def test_a_foreign_host_is_refused(client: Client, url: str) -> None:
    reply = client.get(url, headers={"Host": "rebind.evil.example:8080", **ANN})
    assert reply.status == 400
    assert "rebind.evil.example" in reply.text and "--allow-host" in reply.text
    assert "set-cookie" not in {k.lower() for k, _v in reply.headers}


def test_the_allow_list_takes_names_with_or_without_a_port(app: App) -> None:
    c = Client(make_wsgi_app(app, allowed_hosts=["inbox.example", "127.0.0.1:8080"]))
    assert c.get("/api/tasks", headers={"Host": "inbox.example", **ANN}).status == 200
    assert c.get("/api/tasks", headers={"Host": "INBOX.example:443", **ANN}).status == 200
    assert c.get("/api/tasks", headers={"Host": "127.0.0.1:8080", **ANN}).status == 200
    assert c.get("/api/tasks", headers={"Host": "127.0.0.1:8081", **ANN}).status == 400
    assert c.get("/api/tasks", headers={"Host": "localhost", **ANN}).status == 400


# -- headers on every response --------------------------------------------------------------------


def test_every_response_carries_the_security_headers(client: Client, app: App) -> None:
    ann = signed_in(app, "ann")
    replies = [
        client.get("/login"),
        client.get("/"),
        ann.get("/"),
        ann.get("/nowhere"),
        client.get("/api/tasks", headers=ANN),
        client.get("/static/seamline.css"),
    ]
    for reply in replies:
        csp = reply.header("Content-Security-Policy") or ""
        assert re.search(r"script-src 'self'", csp) and "frame-ancestors 'none'" in csp
        assert reply.header("X-Content-Type-Options") == "nosniff"
        assert reply.header("X-Frame-Options") == "DENY"
        assert reply.header("Referrer-Policy") == "same-origin"
        assert reply.header("Cache-Control") == "no-store"

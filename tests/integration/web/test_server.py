"""One real `seamline web` process on an ephemeral port, driven over HTTP."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.web.diagrams import EXPENSE, USERS_TOML
from tests.processes import HANG_GUARD_SECONDS, child_env, first_line, seamline_binary


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "seamline.toml").write_text(USERS_TOML, encoding="utf-8")
    (tmp_path / "expense.bpmn").write_text(EXPENSE, encoding="utf-8")
    return tmp_path


@pytest.fixture
def server(workdir: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    proc = subprocess.Popen(
        [seamline_binary(), "--db", "web.db", "web", "--port", "0"],
        cwd=workdir,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = first_line(proc)
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert found, line + (proc.stderr.read() if proc.stderr and proc.poll() else "")
        yield f"http://127.0.0.1:{found.group(1)}", proc
    finally:
        proc.terminate()
        proc.communicate(timeout=HANG_GUARD_SECONDS)


def _run(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [seamline_binary(), "--db", "web.db", *args],
        cwd=workdir,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,
    )


def _token(page: str) -> str:
    found = re.search(r'name="_csrf" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def _sign_in(client: httpx.Client, user: str) -> str:
    """Sign in on the sign-in page's form; the CSRF token of the signed-in session."""
    token = _token(client.get("/login").text)
    assert client.post("/login", data={"user": user, "_csrf": token}).status_code == 303
    return _token(client.get("/login").text)


def test_a_clerk_works_a_task_through_the_real_server(
    workdir: Path, server: tuple[str, subprocess.Popen[str]]
) -> None:
    base, _proc = server
    started = _run(workdir, "run", "expense.bpmn", "--json")
    assert started.returncode == 0, started.stderr
    instance = json.loads(started.stdout)["instance"]
    task = json.loads(started.stdout)["waiting"][0]["task"]
    with (
        httpx.Client(base_url=base, timeout=HANG_GUARD_SECONDS) as ann,
        httpx.Client(base_url=base, timeout=HANG_GUARD_SECONDS) as carl,
    ):
        token = _sign_in(ann, "ann")
        _sign_in(carl, "carl")
        assert f'id="task-{task}"' in ann.get("/").text
        assert f'id="task-{task}"' not in carl.get("/").text
        assert ann.post(f"/tasks/{task}/claim", data={"_csrf": token}).status_code == 303
        invalid = ann.post(
            f"/tasks/{task}/complete", data={"amount": "x", "reason": "", "_csrf": token}
        )
        assert invalid.status_code == 400
        assert 'data-field="amount"' in invalid.text and 'data-field="reason"' in invalid.text
        done = ann.post(
            f"/tasks/{task}/complete", data={"amount": "12", "reason": "train", "_csrf": token}
        )
        assert done.status_code == 303
        page = ann.get(f"/instances/{instance}")
        assert '<g class="sl-shape sl-userTask sl-completed" data-element-id="review">' in page.text
        assert '<g class="sl-shape sl-userTask sl-active" data-element-id="file">' in page.text
        api = httpx.get(f"{base}/api/instances/{instance}", headers={"X-Seamline-User": "bob"})
        assert api.status_code == 200
        assert api.json()["data"]["amount"] == 12
        assert [w["element"] for w in api.json()["waiting"]] == ["file"]
        missing = httpx.get(f"{base}/api/tasks/ffffffffff", headers={"X-Seamline-User": "bob"})
        assert missing.status_code == 404 and set(missing.json()) == {"error"}
    # The CLI in another process sees what the web did.
    shown = _run(workdir, "show", instance, "--json")
    assert json.loads(shown.stdout)["data"]["reason"] == "train"


def test_a_port_in_use_is_one_line(
    workdir: Path, server: tuple[str, subprocess.Popen[str]]
) -> None:
    port = server[0].rsplit(":", 1)[1]
    again = _run(workdir, "web", "--port", port)
    assert again.returncode == 2
    assert again.stderr.startswith(f"error: cannot listen on 127.0.0.1:{port}")
    assert "Traceback" not in again.stderr


@pytest.mark.parametrize(
    ("args", "toml", "expected"),
    [
        (("--allow-host", "evil.example/x"), "", "--allow-host: 'evil.example/x' is not a host"),
        ((), '[web]\nallowed_hosts = "inbox.example"\n', "web.allowed_hosts must be a list"),
        ((), '[web]\nsecret = "short"\n', "web.secret must be a text of at least 16"),
    ],
)
def test_bad_web_settings_are_one_line(
    workdir: Path, args: tuple[str, ...], toml: str, expected: str
) -> None:
    (workdir / "seamline.toml").write_text(USERS_TOML + toml, encoding="utf-8")
    done = _run(workdir, "web", "--port", "0", *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith(f"error: {expected}"), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def _served_log(workdir: Path, *options: str) -> str:
    """Start ``seamline web`` with ``options``, ask for /api/tasks once, stop: its stderr."""
    proc = subprocess.Popen(
        [seamline_binary(), "--db", "web.db", *options, "web", "--port", "0"],
        cwd=workdir,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", first_line(proc))
        assert found
        reply = httpx.get(
            f"http://127.0.0.1:{found.group(1)}/api/tasks", timeout=HANG_GUARD_SECONDS
        )
        assert reply.status_code == 403  # nobody signed in
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=HANG_GUARD_SECONDS)
    return err


def test_the_access_log_goes_through_logging(workdir: Path) -> None:
    text = _served_log(workdir)
    [line] = [x for x in text.splitlines() if "/api/tasks" in x]
    assert line.endswith("INFO seamline.web.access: GET /api/tasks 403 client=127.0.0.1 status=403")
    records = [json.loads(x) for x in _served_log(workdir, "--log-format", "json").splitlines()]
    [access] = [r for r in records if r["logger"] == "seamline.web.access"]
    assert (access["message"], access["status"], access["level"]) == (
        "GET /api/tasks 403",
        403,
        "INFO",
    )
    # A chosen level applies to the access log too.
    assert "/api/tasks" not in _served_log(workdir, "--log-level", "warning")

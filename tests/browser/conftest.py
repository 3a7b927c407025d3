"""A real `seamline web` process driven by headless Chromium through Playwright.

Each test gets a working directory with a `seamline.toml`, the `seamline` binary to run
commands in it (one SQLite file shared with the server) and a browser page. Chromium is
Debian's (`/usr/bin/chromium`, or `SEAMLINE_TEST_CHROMIUM`); without it these tests skip,
except under CI (`CI=true`), where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.processes import HANG_GUARD_SECONDS, child_env, first_line, seamline_binary

# Flags for a closed network: no background connections, no sandbox as root.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    """The Chromium binary the tests drive, or None when the machine has none."""
    named = os.environ.get("SEAMLINE_TEST_CHROMIUM")
    if named:
        return named
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass(frozen=True)
class Ran:
    """What one `seamline` command did."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass
class Site:
    """A working directory, the binary bound to it, and the web server serving it."""

    workdir: Path
    base: str
    proc: subprocess.Popen[str]

    def run(self, *args: str, stdin: str | None = None) -> Ran:
        """Run `seamline --db web.db ARGS...` in the working directory."""
        done = subprocess.run(
            [seamline_binary(), "--db", "web.db", *args],
            cwd=self.workdir,
            env=child_env(),
            capture_output=True,
            text=True,
            input=stdin,
            timeout=HANG_GUARD_SECONDS,
        )
        return Ran(done.returncode, done.stdout, done.stderr)

    def url(self, path: str) -> str:
        return self.base + path


def sign_in(page: Any, site: Site, user: str) -> None:
    """Sign ``user`` in the way a person does: open the sign-in page and press their button."""
    page.goto(site.url("/login"))
    with page.expect_navigation():
        page.click(f"form.sign-in button[value='{user}']")
    if "/login" in page.url:
        problems = page.locator("p.problem").all_inner_texts()
        raise AssertionError(f"signing in as {user} failed: {problems}")


@pytest.fixture
def start_site(tmp_path: Path) -> Iterator[Callable[..., Site]]:
    """Start `seamline web` over files written into a fresh working directory.

    ``start_site({"seamline.toml": ..., "x.bpmn": ...}, *web_args)`` writes the files, starts
    the server on a free port and returns the `Site`; the server stops after the test.
    """
    procs: list[subprocess.Popen[str]] = []

    def start(files: dict[str, str], *web_args: str) -> Site:
        for name, text in files.items():
            (tmp_path / name).write_text(text, encoding="utf-8")
        proc = subprocess.Popen(
            [seamline_binary(), "--db", "web.db", "web", "--port", "0", *web_args],
            cwd=tmp_path,
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        procs.append(proc)
        line = first_line(proc)
        found = re.search(r"http://[^:/]+:(\d+)/", line)
        if not found:
            proc.kill()
            _out, errors = proc.communicate(timeout=HANG_GUARD_SECONDS)
            raise AssertionError(f"seamline web did not start: {line}{errors}")
        return Site(tmp_path, f"http://127.0.0.1:{found.group(1)}", proc)

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.communicate(timeout=HANG_GUARD_SECONDS)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed (apt-get install -y chromium)")
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, timeout=HANG_GUARD_SECONDS * 1000
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) and page for one test."""
    context = browser.new_context()
    context.set_default_timeout(HANG_GUARD_SECONDS * 1000)
    try:
        yield context.new_page()
    finally:
        context.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser is in the `browser` tier (`-m "not browser"` skips it)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)

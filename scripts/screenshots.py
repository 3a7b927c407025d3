"""Take the README's screenshots of the web app: the inbox, a task page and an instance.

Runs the invoice-approval sample in a scratch folder, serves it with `seamline web` and drives
Debian's Chromium through Playwright (the dev extra), writing PNGs into docs/img/.

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img"
SEAMLINE = str(Path(sys.executable).parent / "seamline")
CHROMIUM = os.environ.get("SEAMLINE_TEST_CHROMIUM") or shutil.which("chromium") or "chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def seamline(folder: Path, *args: str) -> str:
    """Run one seamline command in ``folder``; its stdout."""
    done = subprocess.run(
        [SEAMLINE, "--db", "shots.db", *args],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "invoice-approval"
        shutil.copytree(ROOT / "samples" / "invoice-approval", folder)
        done = json.loads(
            seamline(
                folder,
                "run",
                "invoice-approval.bpmn",
                "--data",
                "@data.json",
                "--business-key",
                "4710",
                "--json",
            )
        )
        seamline(
            folder,
            "--as",
            "tom",
            "complete",
            done["waiting"][0]["task"],
            "--data",
            '{"approved": true, "comment": "ok"}',
        )
        waiting = json.loads(
            seamline(
                folder,
                "run",
                "invoice-approval.bpmn",
                "--data",
                "@data.json",
                "--business-key",
                "4711",
                "--json",
            )
        )
        task = waiting["waiting"][0]["task"]
        server = subprocess.Popen(
            [SEAMLINE, "--db", "shots.db", "web", "--port", "0"],
            cwd=folder,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            port = re.search(r":(\d+)/", server.stdout.readline())
            assert port, "seamline web did not start"
            base = f"http://127.0.0.1:{port.group(1)}"
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 820})
                page.goto(base + "/login")
                with page.expect_navigation():
                    page.click("form.sign-in button[value='tom']")
                page.goto(base + "/")
                page.screenshot(path=OUT / "inbox.png")
                page.goto(f"{base}/tasks/{task}")
                page.click("form[action$=claim] button")
                page.goto(f"{base}/tasks/{task}")
                with page.expect_navigation():
                    page.click("form.task-form button[type=submit]")
                page.screenshot(path=OUT / "task.png", full_page=True)
                page.goto(f"{base}/instances/{done['instance']}")
                page.screenshot(path=OUT / "instance.png", full_page=True)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    for name in ("inbox.png", "task.png", "instance.png"):
        print(f"wrote {(OUT / name).relative_to(ROOT)}")


if __name__ == "__main__":
    main()

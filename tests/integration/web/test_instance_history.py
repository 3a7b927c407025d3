"""The instance page's history reads like the CLI's: steps from 1 per instance, readable names."""

from __future__ import annotations

import re
from pathlib import Path

from seamline.app import App
from tests.integration.web.conftest import Client


def _history_rows(html: str) -> list[list[str]]:
    section = html[html.index("<h2>History</h2>") :]
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [c for c in cells if c]


def test_a_second_instance_numbers_its_steps_from_one(
    client: Client, app: App, files: dict[str, Path]
) -> None:
    app.run(files["expense"], {})
    second = app.run(files["expense"], {})
    page = client.get(f"/instances/{second.instance.id}", headers={"X-Seamline-User": "root"})
    assert page.status == 200
    rows = _history_rows(page.text)
    assert [r[0] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
    events = [r[2] for r in rows]
    assert "task_ran" not in events and "instance_started" not in events
    assert events[0] == "instance started"
    assert "start event passed" in events

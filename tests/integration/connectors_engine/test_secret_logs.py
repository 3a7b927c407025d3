"""Debug logs of http connector calls carry what happened, never the secret that was sent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.connectors_engine.helpers import TOKEN, cli, diagram
from tests.integration.connectors_engine.server import Reply, ScriptedServer


@pytest.mark.parametrize("status", [200, 500])
def test_debug_logs_of_an_http_call_never_show_the_secret(
    db: Path, server: ScriptedServer, status: int
) -> None:
    server.script("/orders/S-1", Reply(status, echo_headers=True))
    data = json.dumps({"base_url": server.url, "order_id": "S-1", "quantity": 2})
    args = ("run", str(diagram("spiff-http.bpmn")), "--data", data, "--json")
    ran = cli(db, "--log-level", "debug", "--log-format", "json", *args)
    assert ran.returncode == 0, ran.stderr
    # The secret did go out, in the request the server saw.
    assert server.requests("/orders/S-1")[0].headers["Authorization"] == f"Bearer {TOKEN}"
    records = [json.loads(line) for line in ran.stderr.splitlines()]
    calls = [r for r in records if r["logger"] == "seamline.connectors.registry"]
    assert [r["message"] for r in calls][:1] == ["connector call begins"]
    ended = calls[-1]
    assert ended["connector"] == "http" and ended["instance"] == json.loads(ran.stdout)["instance"]
    assert ended["outcome"] == ("ok" if status == 200 else "RetryableError")
    assert isinstance(ended["seconds"], float)
    assert TOKEN not in ran.stderr
    assert TOKEN not in ran.stdout

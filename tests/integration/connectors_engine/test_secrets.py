"""Secrets named in a diagram reach the server and nothing else: snapshots, events, CLI output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seamline.app import App
from tests.integration.connectors_engine.helpers import TOKEN, cli, diagram
from tests.integration.connectors_engine.server import Reply, ScriptedServer

SPIFF = ("spiff-http.bpmn", {"order_id": "S-1", "quantity": 2}, "base_url")
C8 = ("camunda8-rest.bpmn", {"orderId": "S-1", "quantity": 2, "timeoutSeconds": 5}, "baseUrl")


def _stored_text(app: App, instance_id: str) -> str:
    instance, blob = app.store.load_snapshot(instance_id)
    events = app.store.list_events(instance_id)
    parts = [bytes(blob).decode("utf-8", "replace"), repr(instance)]
    parts += [json.dumps(e.data, default=str) + repr(e) for e in events]
    return "\n".join(parts)


@pytest.mark.parametrize("case", [SPIFF, C8], ids=["spiff-header", "camunda8-bearer"])
@pytest.mark.parametrize("status", [200, 500, 403])
def test_secret_is_sent_but_never_stored(
    sqlite_app: App, server: ScriptedServer, case: tuple[str, dict[str, object], str], status: int
) -> None:
    name, data, base = case
    # The server echoes the request headers: the token comes back in the response body.
    server.script("/orders/S-1", Reply(status, echo_headers=True))
    view = sqlite_app.run(diagram(name), {**data, base: server.url})
    [seen] = server.requests("/orders/S-1")
    assert seen.headers["Authorization"] == f"Bearer {TOKEN}"
    stored = _stored_text(sqlite_app, view.instance.id)
    if status == 200 or (status == 403 and name == SPIFF[0]):
        # The echoed header reached the process data (result, or caught error's payload).
        assert "Bearer ***" in stored
    assert TOKEN not in stored
    assert TOKEN not in json.dumps(view.to_json(), default=str)


def test_cli_json_output_hides_the_secret(db: Path, server: ScriptedServer) -> None:
    server.script("/orders/S-1", Reply(200, echo_headers=True))
    data = json.dumps({"base_url": server.url, "order_id": "S-1", "quantity": 2})
    ran = cli(db, "run", str(diagram("spiff-http.bpmn")), "--data", data, "--json")
    assert ran.returncode == 0, ran.stderr
    out = json.loads(ran.stdout)
    assert out["status"] == "completed"
    assert out["data"]["reply"]["body"]["Authorization"] == "Bearer ***"
    shown = cli(db, "show", out["instance"], "--json")
    assert shown.returncode == 0, shown.stderr
    for text in (ran.stdout, ran.stderr, shown.stdout, shown.stderr):
        assert TOKEN not in text
    assert server.requests("/orders/S-1")[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in db.read_bytes().decode("latin-1")

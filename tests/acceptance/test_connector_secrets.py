"""Process data never becomes a template: a form field holding ``{{ secrets.X }}`` stays text.

The http connector calls a real server on 127.0.0.1 from the ``seamline`` binary; the server
records what it received, so the test sees exactly what would have left the machine.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

TOKEN = "tok-5b1e-never-in-data"
INJECTED = "{{ secrets.API_TOKEN }}"

ZEEBE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D" targetNamespace="t">
  <bpmn:process id="leak_zeebe" isExecutable="true">
    <bpmn:startEvent id="Start"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="Call" name="Call the API">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="http" />
        <zeebe:ioMapping>
          <zeebe:input source="URL" target="url" />
          <zeebe:input source="POST" target="method" />
          <zeebe:input source="Bearer {{ secrets.API_TOKEN }}" target="headers.Authorization" />
          <zeebe:input source="Note: {{ note }}" target="headers.X-Note" />
          <zeebe:input source="=ref" target="headers.X-Ref" />
          <zeebe:input source="=if ref = null then note else &#34;secret:API_TOKEN&#34;"
            target="headers.X-Literal" />
          <zeebe:input source="=note" target="json.note" />
          <zeebe:input source="={inner: [note], ref: ref}" target="json.nested" />
          <zeebe:input source="{{ form }}" target="json.form" />
        </zeebe:ioMapping>
        <zeebe:taskHeaders><zeebe:header key="resultVariable" value="reply" /></zeebe:taskHeaders>
      </bpmn:extensionElements>
      <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="End"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Call" />
    <bpmn:sequenceFlow id="F2" sourceRef="Call" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>
"""

SPIFF = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="D" targetNamespace="t">
  <bpmn:process id="leak_spiff" isExecutable="true">
    <bpmn:startEvent id="Start"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="Call" name="Call the API">
      <bpmn:extensionElements>
        <spiffworkflow:serviceTaskOperator id="http" resultVariable="reply">
          <spiffworkflow:parameters>
            <spiffworkflow:parameter id="url" type="str" value="&#34;URL&#34;" />
            <spiffworkflow:parameter id="method" type="str" value="&#34;POST&#34;" />
            <spiffworkflow:parameter id="headers" type="any"
              value="{&#34;Authorization&#34;: &#34;Bearer {{ secrets.API_TOKEN }}&#34;,
                     &#34;X-Ref&#34;: ref, &#34;X-Literal&#34;: &#34;secret:API_TOKEN&#34;}" />
            <spiffworkflow:parameter id="json" type="any"
              value="{&#34;note&#34;: note, &#34;form&#34;: form,
                     &#34;nested&#34;: {&#34;inner&#34;: [note], &#34;ref&#34;: ref}}" />
          </spiffworkflow:parameters>
        </spiffworkflow:serviceTaskOperator>
      </bpmn:extensionElements>
      <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="End"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Call" />
    <bpmn:sequenceFlow id="F2" sourceRef="Call" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>
"""


class _Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[dict[str, Any]] = []


class _Handler(BaseHTTPRequestHandler):
    server: _Recorder

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        self.server.seen.append({"headers": dict(self.headers.items()), "body": body})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")


@pytest.fixture
def api() -> Iterator[_Recorder]:
    server = _Recorder()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize("diagram", [ZEEBE, SPIFF], ids=["zeebe-feel", "spiff-python"])
def test_a_template_in_process_data_is_sent_as_text(
    bare: Any, tmp_path: Path, api: _Recorder, diagram: str
) -> None:
    url = f"http://127.0.0.1:{api.server_address[1]}/hook"
    (tmp_path / "leak.bpmn").write_text(diagram.replace("URL", url), encoding="utf-8")
    plain_env = bare.env
    bare.env = lambda: {**plain_env(), "SEAMLINE_SECRET_API_TOKEN": TOKEN}
    data = {"note": INJECTED, "ref": "secret:API_TOKEN", "form": {"comment": INJECTED}}

    bare("run", "leak.bpmn", "--data", json.dumps(data))

    assert len(api.seen) == 1
    request = api.seen[0]
    # The diagram's own literal still resolves its secret...
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    # ...but nothing that came from the data was rendered or resolved.
    assert TOKEN not in request["body"]
    # A string literal inside an expression is the diagram's too.
    assert request["headers"]["X-Literal"] == TOKEN
    others = {
        k: v for k, v in request["headers"].items() if k not in ("Authorization", "X-Literal")
    }
    assert TOKEN not in json.dumps(others)
    assert request["headers"]["X-Ref"] == "secret:API_TOKEN"
    body = json.loads(request["body"])
    assert body["note"] == INJECTED
    assert body["nested"] == {"inner": [INJECTED], "ref": "secret:API_TOKEN"}
    assert body["form"] == {"comment": INJECTED}
    if diagram is ZEEBE:  # a diagram template interpolates the note verbatim, not rendered again
        assert request["headers"]["X-Note"] == f"Note: {INJECTED}"

"""One unchanged diagram per modeler flavour makes a real HTTP call; results map back."""

from __future__ import annotations

from seamline.app import App
from tests.integration.connectors_engine.helpers import TOKEN, diagram
from tests.integration.connectors_engine.server import Reply, ScriptedServer


def test_camunda7_http_connector_maps_output_parameters(app: App, server: ScriptedServer) -> None:
    server.script("/orders/A-17", Reply(201, {"confirmed": True, "eta": "2024-06-01"}))
    view = app.run(
        diagram("camunda7-http.bpmn"), {"baseUrl": server.url, "orderId": "A-17", "quantity": 3}
    )
    assert view.instance.status.value == "completed", view.instance.error
    assert view.instance.data["httpStatus"] == 201
    assert view.instance.data["confirmation"] == {"confirmed": True, "eta": "2024-06-01"}
    # Explicit output parameters are the whole mapping: nothing else of the response leaks in.
    assert "body" not in view.instance.data and "headers" not in view.instance.data
    [seen] = server.requests("/orders/A-17")
    assert seen.method == "POST"
    assert seen.headers["X-Order"] == "A-17"
    assert seen.json() == {"order": "A-17", "quantity": 3}


def test_camunda7_external_task_without_mappings_merges_the_result(
    app: App, server: ScriptedServer
) -> None:
    server.script("/stock", Reply(200, {"sku": "X1", "available": 12}))
    view = app.run(diagram("camunda7-external-merge.bpmn"), {"baseUrl": server.url, "sku": "X1"})
    assert view.instance.status.value == "completed", view.instance.error
    assert view.instance.data["status"] == 200
    assert view.instance.data["body"] == {"sku": "X1", "available": 12}
    [seen] = server.requests("/stock")
    assert seen.path == "/stock?sku=X1"


def test_camunda8_rest_connector_sets_the_result_variable(app: App, server: ScriptedServer) -> None:
    server.script("/orders/B-2", Reply(200, {"confirmed": True}))
    view = app.run(
        diagram("camunda8-rest.bpmn"),
        {"baseUrl": server.url, "orderId": "B-2", "quantity": 5, "timeoutSeconds": 5},
    )
    assert view.instance.status.value == "completed", view.instance.error
    reply = view.instance.data["reply"]
    assert reply["status"] == 200
    assert reply["body"] == {"confirmed": True}
    [seen] = server.requests("/orders/B-2")
    assert seen.method == "POST"
    assert seen.json() == {"order": "B-2", "quantity": 5}
    # authentication.type / authentication.token nest into one auth object, as in Zeebe.
    assert seen.headers["Authorization"] == f"Bearer {TOKEN}"


def test_spiff_service_task_operator_evaluates_python_parameters(
    app: App, server: ScriptedServer
) -> None:
    server.script("/orders/C-9", Reply(200, {"confirmed": True}))
    view = app.run(
        diagram("spiff-http.bpmn"), {"base_url": server.url, "order_id": "C-9", "quantity": 1}
    )
    assert view.instance.status.value == "completed", view.instance.error
    assert view.instance.data["reply"]["body"] == {"confirmed": True}
    assert view.instance.data["confirmed"] is True
    [seen] = server.requests("/orders/C-9")
    assert seen.json() == {"order": "C-9", "quantity": 1}
    assert seen.headers["Authorization"] == f"Bearer {TOKEN}"
    assert seen.headers["Idempotency-Key"].startswith(f"{view.instance.id}/")


def test_completed_call_is_in_the_history(app: App, server: ScriptedServer) -> None:
    server.script("/orders/D-1", Reply(200, {"ok": 1}))
    view = app.run(
        diagram("camunda7-http.bpmn"), {"baseUrl": server.url, "orderId": "D-1", "quantity": 1}
    )
    history = app.show(view.instance.id).history or ()
    kinds = [e.kind for e in history]
    assert kinds.index("connector_started") < kinds.index("connector_completed")
    done = next(e for e in history if e.kind == "connector_completed")
    assert done.element_id == "Task_Confirm"
    assert done.data["connector"] == "http"
    assert done.data["meta"]["status"] == 200

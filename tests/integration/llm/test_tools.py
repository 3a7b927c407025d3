"""Tool calls: the model asks, a connector in the registry answers, the answer goes back."""

from __future__ import annotations

import json
from typing import Any

import pytest

from seamline.connectors.base import ConnectorCall
from seamline.connectors.registry import ConnectorRegistry
from seamline.errors import ConnectorBpmnError, FatalError, RetryableError
from seamline.testing import FakeConnector
from tests.integration.llm.fake_llm import FakeLLMServer, anthropic_message, openai_chat
from tests.integration.llm.helpers import call, make

LOOKUP = {
    "name": "lookup_customer",
    "description": "Find a customer by id",
    "parameters": {
        "type": "object",
        "properties": {"id": {"type": "string"}},
        "required": ["id"],
    },
    "connector": "crm",
    "params": {"url": "https://crm.internal/customers", "method": "GET"},
}


def crm_registry(handler: Any = None) -> tuple[ConnectorRegistry, FakeConnector]:
    crm = FakeConnector("crm", handler or (lambda c: {"name": "Ada", "tier": "gold"}))
    registry = ConnectorRegistry()
    registry.register(crm)
    return registry, crm


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_tool_call_invokes_the_connector_and_feeds_its_result_back(
    server: FakeLLMServer, provider: str
) -> None:
    registry, crm = crm_registry()
    if provider == "openai":
        server.queue(
            openai_chat(tool_calls=[("lookup_customer", {"id": "c-7"})]),
            openai_chat("Ada is a gold customer."),
        )
    else:
        server.queue(
            anthropic_message("Let me look.", tool_uses=[("lookup_customer", {"id": "c-7"})]),
            anthropic_message("Ada is a gold customer."),
        )
    events: list[tuple[str, dict[str, Any]]] = []
    result = make(server, provider, tools=registry, events=events).invoke(
        call(provider, prompt="Who is c-7?", tools=[LOOKUP])
    )
    assert result.data["answer"] == "Ada is a gold customer."
    assert result.data["usage"]["tool_calls"] == 1 and result.data["usage"]["model_calls"] == 2
    child = crm.last_call
    assert child.params == {"url": "https://crm.internal/customers", "method": "GET", "id": "c-7"}
    assert child.idempotency_key == "key-1/tool-1"
    assert child.element_id == "Task_Triage" and child.instance_id == "inst-1"
    first, second = (r.body for r in server.requests)
    if provider == "openai":
        assert first["tools"][0]["function"]["name"] == "lookup_customer"
        assert "connector" not in json.dumps(first["tools"])
        tool_message = second["messages"][-1]
        assert tool_message["role"] == "tool" and tool_message["tool_call_id"].startswith("call_1")
        assert json.loads(tool_message["content"]) == {"name": "Ada", "tier": "gold"}
    else:
        assert first["tools"][0]["input_schema"] == LOOKUP["parameters"]
        assert second["messages"][1]["content"][1]["type"] == "tool_use"
        block = second["messages"][-1]["content"][0]
        assert block["type"] == "tool_result" and block["tool_use_id"].startswith("toolu_1")
        assert json.loads(block["content"]) == {"name": "Ada", "tier": "gold"}
    assert result.meta["tool_calls"][0]["status"] == "ok"
    assert [kind for kind, _ in events] == ["llm_call", "llm_tool_call", "llm_call"]


def test_anthropic_parallel_tool_results_share_one_user_message(server: FakeLLMServer) -> None:
    registry, crm = crm_registry(lambda c: {"id": c.params["id"]})
    server.queue(
        anthropic_message(
            tool_uses=[("lookup_customer", {"id": "a"}), ("lookup_customer", {"id": "b"})]
        ),
        anthropic_message("done"),
    )
    make(server, "anthropic", tools=registry).invoke(
        call("anthropic", prompt="both", tools=[LOOKUP])
    )
    assert [c.idempotency_key for c in crm.calls] == ["key-1/tool-1", "key-1/tool-2"]
    last = server.requests[1].body["messages"][-1]
    assert last["role"] == "user" and [b["type"] for b in last["content"]] == ["tool_result"] * 2


def test_bad_arguments_and_bpmn_errors_go_back_to_the_model(server: FakeLLMServer) -> None:
    def handler(c: ConnectorCall) -> Any:
        raise ConnectorBpmnError("NOT_FOUND", "no such customer", data={"id": c.params["id"]})

    registry, crm = crm_registry(handler)
    server.queue(
        openai_chat(
            tool_calls=[
                ("lookup_customer", {"id": "c-9"}),
                ("lookup_customer", {"id": 5}),
                ("lookup_customer", {"id": "x", "url": "https://evil.example"}),
                ("drop_tables", {}),
            ]
        ),
        openai_chat("I could not find the customer."),
    )
    result = make(server, tools=registry).invoke(call(prompt="c-9?", tools=[LOOKUP]))
    assert result.data["answer"] == "I could not find the customer."
    assert len(crm.calls) == 1
    results = [json.loads(m["content"]) for m in server.requests[1].body["messages"][-4:]]
    assert results[0] == {
        "error": "NOT_FOUND",
        "message": "no such customer",
        "data": {"id": "c-9"},
    }
    assert "5 is not of type 'string'" in results[1]["message"]
    assert "not declared by the tool: url" in results[2]["message"]
    assert "no tool named 'drop_tables'" in results[3]["message"]
    assert [r["status"] for r in result.meta["tool_calls"]] == ["error"] * 4


def test_tool_call_cap_raises_before_calling_any_tool(server: FakeLLMServer) -> None:
    registry, crm = crm_registry()
    server.queue(
        openai_chat(tool_calls=[("lookup_customer", {"id": "a"}), ("lookup_customer", {"id": "b"})])
    )
    with pytest.raises(ConnectorBpmnError) as caught:
        make(server, tools=registry).invoke(call(prompt="x", tools=[LOOKUP], max_tool_calls=1))
    assert caught.value.code == "AGENT_LIMIT_EXCEEDED"
    assert caught.value.data["limit"] == "max_tool_calls"
    assert crm.calls == []


def test_model_call_cap_stops_a_model_that_keeps_calling_tools(server: FakeLLMServer) -> None:
    registry, crm = crm_registry()
    loop = openai_chat(tool_calls=[("lookup_customer", {"id": "a"})])
    server.queue(loop, loop, loop)
    with pytest.raises(ConnectorBpmnError) as caught:
        make(server, tools=registry).invoke(call(prompt="x", tools=[LOOKUP], max_model_calls=2))
    assert caught.value.code == "AGENT_LIMIT_EXCEEDED"
    assert caught.value.data["usage"] == {
        "input_tokens": 22,
        "output_tokens": 14,
        "model_calls": 2,
        "tool_calls": 2,
    }
    assert len(server.requests) == 2 and len(crm.calls) == 2


def test_a_retryable_tool_failure_retries_the_whole_task(server: FakeLLMServer) -> None:
    def handler(c: ConnectorCall) -> Any:
        raise RetryableError("crm is down", retry_after=3)

    registry, _ = crm_registry(handler)
    server.queue(openai_chat(tool_calls=[("lookup_customer", {"id": "a"})]))
    with pytest.raises(RetryableError, match="crm is down") as caught:
        make(server, tools=registry).invoke(call(prompt="x", tools=[LOOKUP]))
    assert caught.value.retry_after == 3


def test_tool_declarations_are_checked_before_the_model_is_called(server: FakeLLMServer) -> None:
    registry, _ = crm_registry()
    connector = make(server, tools=registry)
    with pytest.raises(FatalError, match=r"no connector named 'erp'.*known: crm"):
        connector.invoke(call(prompt="x", tools=[{**LOOKUP, "connector": "erp"}]))
    with pytest.raises(FatalError, match="declared twice"):
        connector.invoke(call(prompt="x", tools=[LOOKUP, LOOKUP]))
    with pytest.raises(FatalError, match="name must be"):
        connector.invoke(call(prompt="x", tools=[{**LOOKUP, "name": "bad name"}]))
    with pytest.raises(FatalError, match="not a valid JSON Schema"):
        connector.invoke(call(prompt="x", tools=[{**LOOKUP, "parameters": {"type": 7}}]))
    with pytest.raises(FatalError, match="no connector registry"):
        make(server).invoke(call(prompt="x", tools=[LOOKUP]))
    assert server.requests == []

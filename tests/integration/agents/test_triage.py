"""The agent-triage sample's routes: confident answers, human review, repair, manual triage."""

from __future__ import annotations

import pytest

from seamline.app import App
from seamline.engine.engine import InstanceView
from seamline.errors import FormInvalid
from tests.integration.agents.conftest import API_KEY, DIAGRAM, MODEL, answer, claim_data
from tests.integration.llm.fake_llm import FakeLLMServer

CATEGORIES = ["glass", "water", "fire", "theft", "collision", "other"]


def waits_at(view: InstanceView) -> list[str]:
    return [w.element for w in view.waiting]


def test_confident_answer_is_taken_and_a_small_glass_claim_is_paid(
    app: App, server: FakeLLMServer
) -> None:
    server.queue(answer("glass", 380, 0.93))
    view = app.run(DIAGRAM, claim_data())

    assert view.instance.status.value == "completed", view.instance.error
    data = view.instance.data
    assert data["triage"] == {
        "answer": {"category": "glass", "severity": "low", "amount": 380, "confidence": 0.93},
        "usage": {"input_tokens": 212, "output_tokens": 31, "model_calls": 1, "tool_calls": 0},
        "model": MODEL,
        "provider": "openai",
    }
    assert data["decision"] == {"category": "glass", "amount": 380, "decidedBy": "agent"}
    assert data["payment"] == {"reference": "PAY-CLM-2024-1042", "amount": 380}
    assert app.tasks() == []

    [sent] = server.requests
    assert sent.headers["authorization"] == f"Bearer {API_KEY}"
    assert sent.body["model"] == MODEL
    system, user = sent.body["messages"]
    # The prompt is the diagram's template rendered over the claim.
    assert user["role"] == "user"
    assert "Claim CLM-2024-1042: A stone hit my windscreen" in user["content"]
    assert "{{" not in user["content"]
    assert system["role"] == "system" and "You triage insurance claims" in system["content"]
    schema = sent.body["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["category"]["enum"] == CATEGORIES
    assert schema["properties"]["confidence"] == {"type": "number", "minimum": 0, "maximum": 1}
    assert schema["required"] == ["category", "severity", "amount", "confidence"]


def test_confident_large_claim_goes_to_a_claims_handler(app: App, server: FakeLLMServer) -> None:
    server.queue(answer("water", 7800, 0.9, severity="high"))
    view = app.run(DIAGRAM, claim_data("data-water.json"))
    assert waits_at(view) == ["Task_HandleClaim"]
    assert view.instance.data["decision"]["decidedBy"] == "agent"
    [row] = app.tasks(user="hana")
    assert row.candidate_groups == ("claims-handlers",)


def test_unsure_answer_becomes_a_review_task_with_its_form(app: App, server: FakeLLMServer) -> None:
    server.queue(answer("glass", 380, 0.55))
    view = app.run(DIAGRAM, claim_data())

    assert waits_at(view) == ["Task_Review"]
    assert app.tasks(user="chris") == []
    [row] = app.tasks(user="hana")
    assert row.element_id == "Task_Review" and row.name == "Review the agent's answer"
    assert row.candidate_groups == ("claims-handlers",)
    form = row.form
    assert form is not None
    assert form["x-order"] == ["category", "amount", "note"]
    assert form["properties"]["category"]["enum"] == CATEGORIES
    assert form["properties"]["amount"]["type"] == "number"
    assert sorted(form["required"]) == ["amount", "category"]
    # The form's fields are filled from the agent's answer while the task waits.
    assert (view.instance.data["category"], view.instance.data["amount"]) == ("glass", 380)


@pytest.mark.parametrize(
    ("submitted", "route", "decision"),
    [
        ({"category": "glass", "amount": 380}, "paid", ("glass", 380)),
        (
            {"category": "water", "amount": 1250, "note": "damp, not glass"},
            "handler",
            ("water", 1250),
        ),
    ],
    ids=["approved", "corrected"],
)
def test_review_decides_the_route(
    app: App,
    server: FakeLLMServer,
    submitted: dict[str, object],
    route: str,
    decision: tuple[str, int],
) -> None:
    server.queue(answer("glass", 380, 0.55))
    started = app.run(DIAGRAM, claim_data())
    [row] = app.tasks(user="hana")

    done = app.complete(row.id, submitted, user="hana")

    data = done.instance.data
    assert (data["decision"]["category"], data["decision"]["amount"]) == decision
    assert data["decision"]["decidedBy"] == "claims handler"
    assert data["decision"]["note"] == submitted.get("note")
    # The agent's own answer stays as it gave it; the review is a separate decision.
    assert data["triage"]["answer"] == started.instance.data["triage"]["answer"]
    # The form's prefilled fields were local to the review task.
    assert "category" not in data and "amount" not in data
    if route == "paid":
        assert done.instance.status.value == "completed"
        assert data["payment"] == {"reference": "PAY-CLM-2024-1042", "amount": 380}
    else:
        assert waits_at(done) == ["Task_HandleClaim"]
        assert "payment" not in data


def test_review_refuses_a_category_outside_the_form(app: App, server: FakeLLMServer) -> None:
    server.queue(answer("glass", 380, 0.55))
    app.run(DIAGRAM, claim_data())
    [row] = app.tasks(user="hana")
    with pytest.raises(FormInvalid, match="category"):
        app.complete(row.id, {"category": "boat", "amount": 380}, user="hana")
    assert [t.id for t in app.tasks(user="hana")] == [row.id]


def test_invalid_answer_is_repaired_with_the_validation_errors(
    app: App, server: FakeLLMServer
) -> None:
    server.queue(answer("windscreen", 380, 1.4), answer("glass", 380, 0.91))
    view = app.run(DIAGRAM, claim_data())

    assert view.instance.status.value == "completed", view.instance.error
    assert view.instance.data["triage"]["usage"]["model_calls"] == 2
    assert view.instance.data["payment"]["amount"] == 380
    first, second = server.requests
    feedback = second.body["messages"][-1]
    assert feedback["role"] == "user"
    assert "'windscreen' is not one of" in feedback["content"]
    assert "1.4 is greater than the maximum of 1" in feedback["content"]
    # The model sees its own invalid answer before the feedback.
    assert second.body["messages"][-2]["role"] == "assistant"
    assert second.body["messages"][:-2] == first.body["messages"]


def test_persistently_invalid_answer_goes_to_manual_triage(app: App, server: FakeLLMServer) -> None:
    # One answer and two repairs (max_repairs = 2 in the diagram), all invalid.
    server.queue(answer("windscreen"), answer("car", amount="380 EUR"), answer(confidence="high"))
    view = app.run(DIAGRAM, claim_data())

    assert waits_at(view) == ["Task_ManualTriage"]
    assert len(server.requests) == 3
    history = app.show(view.instance.id).history or ()
    [error] = [e for e in history if e.kind == "bpmn_error"]
    assert error.element_id == "Task_Classify"
    assert error.data["code"] == "AGENT_INVALID_OUTPUT"
    assert "after 2 repair(s)" in error.data["message"]
    assert "triage" not in view.instance.data

    [row] = app.tasks(user="hana")
    assert row.element_id == "Task_ManualTriage"
    assert row.candidate_groups == ("claims-handlers",)
    assert row.form is not None and row.form["properties"]["category"]["enum"] == CATEGORIES
    done = app.complete(row.id, {"category": "glass", "amount": 380}, user="hana")
    assert done.instance.status.value == "completed"
    assert done.instance.data["payment"] == {"reference": "PAY-CLM-2024-1042", "amount": 380}

"""Process data changed with `seamline set` stays the instance's data through every later verb."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NAME = "invoice-approval"
DIAGRAM = f"{NAME}.bpmn"
APPROVE = "Task_ApproveInvoice"
START = '{"invoiceNumber": "7", "invoiceCategory": "Misc", "amount": 30}'

Waiting = Callable[[dict[str, Any], str], str]


def test_cancel_keeps_the_values_set_before(sample: Callable[..., Any]) -> None:
    cli = sample(NAME)
    started = cli.json("run", DIAGRAM, "--data", START)
    instance = started["instance"]
    changed = cli.json("set", instance, "--data", '{"amount": 1, "note": "x"}', user="root")
    assert (changed["data"]["amount"], changed["data"]["note"]) == (1, "x")

    cancelled = cli.json("cancel", instance, user="root")
    assert cancelled["status"] == "cancelled"
    assert (cancelled["data"]["amount"], cancelled["data"]["note"]) == (1, "x")
    shown = cli.json("show", instance)
    assert (shown["data"]["amount"], shown["data"]["note"]) == (1, "x")


def test_resume_and_complete_keep_the_values_set_before(
    sample: Callable[..., Any], waiting_task: Waiting
) -> None:
    cli = sample(NAME)
    started = cli.json("run", DIAGRAM, "--data", START)
    instance = started["instance"]
    cli.json("set", instance, "--data", '{"note": "x"}', user="root")
    resumed = cli.json("resume", instance, user="root")
    assert resumed["data"]["note"] == "x"
    done = cli.json(
        "complete", waiting_task(resumed, APPROVE), "--data", '{"approved": false}', user="root"
    )
    assert done["status"] == "completed"
    assert done["data"]["note"] == "x"


PAYMENT = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
<bpmn:message id="m1" name="paid"/>
<bpmn:process id="payment" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:intermediateCatchEvent id="await_payment">
    <bpmn:messageEventDefinition messageRef="m1"/>
  </bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="await_payment"/>
  <bpmn:sequenceFlow id="f2" sourceRef="await_payment" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>
"""


def test_a_message_after_set_keeps_the_values_set(bare: Any) -> None:
    (bare.cwd / "payment.bpmn").write_text(PAYMENT, encoding="utf-8")
    started = bare.json("run", "payment.bpmn", "--data", '{"amount": 30}', "--business-key", "K")
    bare.json("set", started["instance"], "--data", '{"amount": 1, "note": "x"}')
    bare.json("message", "paid", "--key", "K", "--data", '{"paid": true}')
    done = bare.json("show", started["instance"])
    assert done["status"] == "completed"
    assert (done["data"]["amount"], done["data"]["note"], done["data"]["paid"]) == (1, "x", True)

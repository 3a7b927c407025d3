"""Collaborations: the pools of one file deploy together and reach each other by message flows.

Upstream: BpmnParseTest.testParseCollaborationPlane (a collaboration deploys its executable
pools), and the message correlation of MessageCorrelationTest / MessageStartEventTest /
ReceiveTaskTest, here driven by the sending pool instead of the test.

Camunda 7 sends a message from a throw event, send task or end event through its
implementation (a Java delegate calling ``correlateMessage`` with the process variables);
seamline has no Java, so a message event without an implementation sends its message by name
with the sender's variables (and business key), which is what such a delegate does.
"""

from __future__ import annotations

from tests.conformance.harness import Engine, definitions, flows, script, user

START = '<bpmn:startEvent id="{}"/>'


def pool(pid: str, body: str, executable: bool = True) -> str:
    flag = "true" if executable else "false"
    return f'<bpmn:process id="{pid}" isExecutable="{flag}">{body}</bpmn:process>'


def collaboration(*participants: tuple[str, str], message_flows: str = "") -> str:
    parts = "".join(f'<bpmn:participant id="{p}" processRef="{ref}"/>' for p, ref in participants)
    return f'<bpmn:collaboration id="collab">{parts}{message_flows}</bpmn:collaboration>'


def message_flow(mid: str, source: str, target: str) -> str:
    return f'<bpmn:messageFlow id="{mid}" sourceRef="{source}" targetRef="{target}"/>'


def throw(tid: str, ref: str) -> str:
    return (
        f'<bpmn:intermediateThrowEvent id="{tid}">'
        f'<bpmn:messageEventDefinition messageRef="{ref}"/></bpmn:intermediateThrowEvent>'
    )


def catch(cid: str, ref: str) -> str:
    return (
        f'<bpmn:intermediateCatchEvent id="{cid}">'
        f'<bpmn:messageEventDefinition messageRef="{ref}"/></bpmn:intermediateCatchEvent>'
    )


def message_start(sid: str, ref: str) -> str:
    return (
        f'<bpmn:startEvent id="{sid}"><bpmn:messageEventDefinition messageRef="{ref}"/>'
        "</bpmn:startEvent>"
    )


ORDER = '<bpmn:message id="order" name="orderPlaced"/>'
REPLY = '<bpmn:message id="reply" name="orderConfirmed"/>'


def customer_and_shop(flavour: str = "camunda7") -> str:
    """Customer pool throws orderPlaced; the shop pool starts on it."""
    customer = pool(
        "customer",
        START.format("cs")
        + script("prepare", "item = 'book'")
        + throw("sendOrder", "order")
        + user("waitForBook")
        + flows("cs->prepare", "prepare->sendOrder", "sendOrder->waitForBook"),
    )
    shop = pool(
        "shop",
        message_start("orderReceived", "order")
        + user("pack")
        + '<bpmn:endEvent id="shopEnd"/>'
        + flows("orderReceived->pack", "pack->shopEnd").replace('id="f', 'id="shop_f'),
    )
    collab = collaboration(
        ("Customer", "customer"),
        ("Shop", "shop"),
        message_flows=message_flow("mf1", "sendOrder", "orderReceived"),
    )
    return definitions(ORDER + collab + customer + shop, flavour)


def test_collaboration_deploys_every_executable_pool(engine: Engine) -> None:
    """BpmnParseTest.testParseCollaborationPlane: the pools of a collaboration are deployed
    from the one file; here both are executable, so both process ids are deployed."""
    assert sorted(engine.deploy(customer_and_shop())) == ["customer", "shop"]


def test_collaboration_skips_a_non_executable_pool(engine: Engine) -> None:
    """BpmnParseTest.testParseCollaborationPlane: only the executable pool becomes a process
    definition; a descriptive (non-executable) partner pool is not deployed."""
    body = (
        collaboration(("A", "executable"), ("B", "descriptive"))
        + pool("executable", START.format("s") + user("t") + flows("s->t"))
        + pool("descriptive", '<bpmn:task id="x"/>', executable=False)
    )
    assert engine.deploy(definitions(body)) == ["executable"]


def test_message_throw_starts_the_partner_pool(engine: Engine) -> None:
    """MessageStartEventTest (message start by correlation) across a message flow: the
    customer's throw event starts one shop instance, which receives the customer's
    variables."""
    engine.deploy(customer_and_shop())
    customer = engine.start("customer")
    assert customer.open_tasks() == ["waitForBook"]
    [shop] = engine.instances("shop")
    assert shop.open_tasks() == ["pack"]
    assert shop.data["item"] == "book"


def test_message_throw_starts_the_partner_pool_plain(engine: Engine) -> None:
    """The same collaboration drawn without vendor extensions (BPMN 2.0: a message flow from
    a throw event to a message start event of another pool)."""
    engine.deploy(customer_and_shop("plain"))
    engine.start("customer")
    [shop] = engine.instances("shop")
    assert shop.open_tasks() == ["pack"]


def ping_pong() -> str:
    """Customer throws orderPlaced and waits for orderConfirmed; the shop replies from a
    message end event."""
    customer = pool(
        "customer",
        START.format("cs")
        + throw("sendOrder", "order")
        + catch("confirmed", "reply")
        + user("enjoy")
        + flows("cs->sendOrder", "sendOrder->confirmed", "confirmed->enjoy"),
    )
    shop = pool(
        "shop",
        message_start("orderReceived", "order")
        + user("pack")
        + script("bill", "invoice = 'INV-1'")
        + '<bpmn:endEvent id="confirm"><bpmn:messageEventDefinition messageRef="reply"/>'
        "</bpmn:endEvent>"
        + flows("orderReceived->pack", "pack->bill", "bill->confirm").replace(
            'id="f', 'id="shop_f'
        ),
    )
    collab = collaboration(
        ("Customer", "customer"),
        ("Shop", "shop"),
        message_flows=message_flow("mf1", "sendOrder", "orderReceived")
        + message_flow("mf2", "confirm", "confirmed"),
    )
    return definitions(ORDER + REPLY + collab + customer + shop)


def test_message_end_event_answers_the_waiting_pool(engine: Engine) -> None:
    """MessageCorrelationTest (correlate to a waiting intermediate message catch event): the
    shop's message end event delivers orderConfirmed to the customer waiting for it, with the
    shop's variables."""
    engine.deploy(ping_pong())
    customer = engine.start("customer", business_key="order-7")
    assert customer.waiting() == [("confirmed", "message")]
    [shop] = engine.instances("shop")
    shop.complete("pack")
    assert shop.ended
    assert customer.open_tasks() == ["enjoy"]
    assert customer.data["invoice"] == "INV-1"


def test_reply_goes_to_the_instance_with_the_same_business_key(engine: Engine) -> None:
    """MessageCorrelationTest.testCorrelateByBusinessKey across pools: two customers wait for
    their confirmation; the shop instance started by the second one answers only it."""
    engine.deploy(ping_pong())
    first = engine.start("customer", business_key="order-1")
    second = engine.start("customer", business_key="order-2")
    shops = {s.view().instance.business_key: s for s in engine.instances("shop")}
    assert sorted(str(k) for k in shops) == ["order-1", "order-2"]
    shops["order-2"].complete("pack")
    assert second.open_tasks() == ["enjoy"]
    assert first.waiting() == [("confirmed", "message")]
    shops["order-1"].complete("pack")
    assert first.open_tasks() == ["enjoy"]


def test_send_task_delivers_to_a_receive_task(engine: Engine) -> None:
    """ReceiveTaskTest.testSupportsCorrelateMessageOnSingleReceiveTask, the message sent by a
    send task of another pool: the waiting receive task completes."""
    sender = pool(
        "sender",
        START.format("ss")
        + '<bpmn:sendTask id="notify" messageRef="order"/>'
        + '<bpmn:endEvent id="se"/>'
        + flows("ss->notify", "notify->se"),
    )
    receiver = pool(
        "receiver",
        START.format("rs")
        + '<bpmn:receiveTask id="waitState" messageRef="order"/>'
        + user("after")
        + flows("rs->waitState", "waitState->after").replace('id="f', 'id="r_f'),
    )
    body = (
        ORDER
        + collaboration(
            ("Sender", "sender"),
            ("Receiver", "receiver"),
            message_flows=message_flow("mf1", "notify", "waitState"),
        )
        + sender
        + receiver
    )
    engine.deploy(definitions(body))
    waiting = engine.start("receiver", business_key="k")
    assert waiting.waiting() == [("waitState", "message")]
    sent = engine.start("sender", {"note": "hello"}, business_key="k")
    assert sent.ended, sent.error
    assert waiting.open_tasks() == ["after"]
    assert waiting.data["note"] == "hello"


def test_collaboration_with_one_pool_calling_into_the_other_lane(engine: Engine) -> None:
    """BpmnParseTest.testParseCollaborationPlane with lanes: a pool with a lane set still runs
    as one process."""
    body = collaboration(("A", "laned")) + pool(
        "laned",
        '<bpmn:laneSet id="ls"><bpmn:lane id="l1"><bpmn:flowNodeRef>s</bpmn:flowNodeRef>'
        "<bpmn:flowNodeRef>t</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>"
        + START.format("s")
        + user("t")
        + flows("s->t"),
    )
    run = engine.start(definitions(body))
    assert run.open_tasks() == ["t"]

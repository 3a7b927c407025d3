"""Small diagrams for the waiting tests: timers, messages, signals, errors, escalations."""

from __future__ import annotations

from tests.unit.engine.diagrams import HEAD, TAIL, flow, process, script

ZEEBE_HEAD = HEAD.replace(
    'id="defs"', 'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs"'
)

__all__ = ["HEAD", "TAIL", "flow", "process", "script"]


def timer(kind: str, text: str) -> str:
    """A timer event definition; ``kind`` is timeDuration, timeDate or timeCycle."""
    return (
        f"<bpmn:timerEventDefinition><bpmn:{kind}>{text}</bpmn:{kind}></bpmn:timerEventDefinition>"
    )


def message_ref(ref: str) -> str:
    return f'<bpmn:messageEventDefinition messageRef="{ref}"/>'


def signal_ref(ref: str) -> str:
    return f'<bpmn:signalEventDefinition signalRef="{ref}"/>'


def with_roots(xml: str, roots: str) -> str:
    """Add root elements (messages, signals, errors, escalations) before the first process."""
    return xml.replace("<bpmn:process ", roots + "\n<bpmn:process ", 1)


def timer_catch(text: str, kind: str = "timeDuration") -> str:
    """start -> timer catch 'wait' -> script 'after' -> end."""
    return process(
        "timer_catch",
        "\n".join(
            [
                '<bpmn:startEvent id="start"/>',
                f'<bpmn:intermediateCatchEvent id="wait">{timer(kind, text)}'
                "</bpmn:intermediateCatchEvent>",
                script("after", "woke = True"),
                '<bpmn:endEvent id="end"/>',
                flow("f1", "start", "wait"),
                flow("f2", "wait", "after"),
                flow("f3", "after", "end"),
            ]
        ),
    )


def boundary_timer(text: str, *, interrupting: bool, kind: str = "timeDuration") -> str:
    """A user task 'work' with a boundary timer 'late' leading to user task 'chase'."""
    cancel = "true" if interrupting else "false"
    return process(
        "boundary_timer",
        "\n".join(
            [
                '<bpmn:startEvent id="start"/>',
                '<bpmn:userTask id="work" name="Work"/>',
                f'<bpmn:boundaryEvent id="late" attachedToRef="work" cancelActivity="{cancel}">'
                f"{timer(kind, text)}</bpmn:boundaryEvent>",
                '<bpmn:userTask id="chase" name="Chase"/>',
                '<bpmn:endEvent id="end"/>',
                '<bpmn:endEvent id="chased"/>',
                flow("f1", "start", "work"),
                flow("f2", "work", "end"),
                flow("f3", "late", "chase"),
                flow("f4", "chase", "chased"),
            ]
        ),
    )


def start_timer(text: str) -> str:
    return process(
        "start_timer",
        "\n".join(
            [
                f'<bpmn:startEvent id="start">{timer("timeDuration", text)}</bpmn:startEvent>',
                '<bpmn:userTask id="work" name="Work"/>',
                '<bpmn:endEvent id="end"/>',
                flow("f1", "start", "work"),
                flow("f2", "work", "end"),
            ]
        ),
    )


def event_subprocess_timer(text: str, *, interrupting: bool) -> str:
    inter = "true" if interrupting else "false"
    return process(
        "esp_timer",
        "\n".join(
            [
                '<bpmn:startEvent id="start"/>',
                '<bpmn:userTask id="work" name="Work"/>',
                '<bpmn:endEvent id="end"/>',
                flow("f1", "start", "work"),
                flow("f2", "work", "end"),
                '<bpmn:subProcess id="reminder" triggeredByEvent="true">',
                f'<bpmn:startEvent id="esp_start" isInterrupting="{inter}">'
                f"{timer('timeDuration', text)}</bpmn:startEvent>",
                '<bpmn:userTask id="chase" name="Chase"/>',
                '<bpmn:endEvent id="esp_end"/>',
                flow("g1", "esp_start", "chase"),
                flow("g2", "chase", "esp_end"),
                "</bpmn:subProcess>",
            ]
        ),
    )


def message_catch(pid: str = "order", message: str = "paid") -> str:
    """start -> user task 'prepare' -> message catch 'await_payment' -> end; a plain diagram."""
    body = "\n".join(
        [
            '<bpmn:startEvent id="start"/>',
            '<bpmn:userTask id="prepare" name="Prepare"/>',
            f'<bpmn:intermediateCatchEvent id="await_payment">{message_ref("m1")}'
            "</bpmn:intermediateCatchEvent>",
            '<bpmn:endEvent id="end"/>',
            flow("f1", "start", "prepare"),
            flow("f2", "prepare", "await_payment"),
            flow("f3", "await_payment", "end"),
        ]
    )
    return with_roots(process(pid, body), f'<bpmn:message id="m1" name="{message}"/>')


def zeebe_message_catch() -> str:
    """Camunda 8: a message catch whose subscription correlates on ``= orderId``."""
    body = "\n".join(
        [
            '<bpmn:startEvent id="start"/>',
            '<bpmn:intermediateCatchEvent id="await_payment">'
            '<bpmn:messageEventDefinition messageRef="m1"/></bpmn:intermediateCatchEvent>',
            '<bpmn:endEvent id="end"/>',
            flow("f1", "start", "await_payment"),
            flow("f2", "await_payment", "end"),
        ]
    )
    roots = (
        '<bpmn:message id="m1" name="paid"><bpmn:extensionElements>'
        '<zeebe:subscription correlationKey="= orderId"/>'
        "</bpmn:extensionElements></bpmn:message>"
    )
    xml = process("zeebe_order", body).replace(HEAD, ZEEBE_HEAD)
    return with_roots(xml, roots)


def message_start(pid: str = "intake", message: str = "application") -> str:
    body = "\n".join(
        [
            f'<bpmn:startEvent id="start">{message_ref("m1")}</bpmn:startEvent>',
            '<bpmn:userTask id="review" name="Review"/>',
            '<bpmn:endEvent id="end"/>',
            flow("f1", "start", "review"),
            flow("f2", "review", "end"),
        ]
    )
    return with_roots(process(pid, body), f'<bpmn:message id="m1" name="{message}"/>')


def signal_catch(pid: str = "listener", signal: str = "stop") -> str:
    body = "\n".join(
        [
            '<bpmn:startEvent id="start"/>',
            f'<bpmn:intermediateCatchEvent id="await_stop">{signal_ref("s1")}'
            "</bpmn:intermediateCatchEvent>",
            script("after", "stopped = True"),
            '<bpmn:endEvent id="end"/>',
            flow("f1", "start", "await_stop"),
            flow("f2", "await_stop", "after"),
            flow("f3", "after", "end"),
        ]
    )
    return with_roots(process(pid, body), f'<bpmn:signal id="s1" name="{signal}"/>')


def signal_start(pid: str = "on_alarm", signal: str = "alarm") -> str:
    body = "\n".join(
        [
            f'<bpmn:startEvent id="start">{signal_ref("s1")}</bpmn:startEvent>',
            '<bpmn:userTask id="respond" name="Respond"/>',
            '<bpmn:endEvent id="end"/>',
            flow("f1", "start", "respond"),
            flow("f2", "respond", "end"),
        ]
    )
    return with_roots(process(pid, body), f'<bpmn:signal id="s1" name="{signal}"/>')


def event_gateway(timeout: str = "PT1H") -> str:
    """An event-based gateway racing message 'paid' against a timer."""
    body = "\n".join(
        [
            '<bpmn:startEvent id="start"/>',
            '<bpmn:eventBasedGateway id="gateway"/>',
            f'<bpmn:intermediateCatchEvent id="on_paid">{message_ref("m1")}'
            "</bpmn:intermediateCatchEvent>",
            f'<bpmn:intermediateCatchEvent id="on_timeout">{timer("timeDuration", timeout)}'
            "</bpmn:intermediateCatchEvent>",
            script("ship", "outcome = 'shipped'"),
            script("cancel_order", "outcome = 'cancelled'"),
            '<bpmn:endEvent id="end_paid"/>',
            '<bpmn:endEvent id="end_timeout"/>',
            flow("f1", "start", "gateway"),
            flow("f2", "gateway", "on_paid"),
            flow("f3", "gateway", "on_timeout"),
            flow("f4", "on_paid", "ship"),
            flow("f5", "on_timeout", "cancel_order"),
            flow("f6", "ship", "end_paid"),
            flow("f7", "cancel_order", "end_timeout"),
        ]
    )
    return with_roots(process("race", body), '<bpmn:message id="m1" name="paid"/>')


def receive_task() -> str:
    body = "\n".join(
        [
            '<bpmn:startEvent id="start"/>',
            '<bpmn:receiveTask id="await_docs" name="Await documents" messageRef="m1"/>',
            '<bpmn:endEvent id="end"/>',
            flow("f1", "start", "await_docs"),
            flow("f2", "await_docs", "end"),
        ]
    )
    return with_roots(process("docs", body), '<bpmn:message id="m1" name="documents"/>')

"""An instance's history for people, the same in the CLI and the web: steps numbered from 1 within
the instance in the order things happened, readable event names, whole details."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from seamline.store.records import Event

#: Event kinds as people say them; any other kind is shown with its underscores as spaces.
EVENT_NAMES = {
    "task_ran": "task ran",
    "task_completed": "task completed",
    "task_claimed": "task claimed",
    "task_unclaimed": "task released",
    "task_assigned": "task assigned",
    "task_refused": "task refused",
    "task_retried": "task retried",
    "connector_started": "connector called",
    "connector_completed": "connector answered",
    "connector_retry": "connector to retry",
    "connector_failed": "connector failed",
    "connector_error": "connector error",
    "bpmn_error": "BPMN error thrown",
    "uncaught_message": "message not caught",
    "uncaught_signal": "signal not caught",
    "uncaught_error": "error not caught",
    "uncaught_escalation": "escalation not caught",
    "instance_waiting": "now waiting",
    "instance_running": "now running",
    "instance_incident": "stopped at an incident",
}


def step_numbers(events: Sequence[Event]) -> list[int]:
    """Each event's step within its instance, from 1 in the order they happened.

    ``seq`` is store-wide (a second instance starts wherever the first left off).
    """
    return list(range(1, len(events) + 1))


@dataclass(frozen=True)
class Row:
    """One history line as people read it."""

    step: int
    at: str
    event: str
    actor: str
    element: str
    details: str


def rows(events: Sequence[Event], types: Mapping[str, str]) -> list[Row]:
    """The history lines of one instance; ``types`` maps element ids to their BPMN types."""
    return [
        Row(
            number,
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            event_name(e, types),
            e.actor or "",
            _element(e),
            _details(e),
        )
        for number, e in zip(step_numbers(events), events, strict=True)
    ]


def element_types(definition: Any) -> dict[str, str]:
    """Element id -> BPMN type of a ``ProcessDefinition``, for the readable event names."""
    return {e.id: e.type for e in definition.elements.values()}


def event_name(event: Event, types: Mapping[str, str]) -> str:
    """What happened, in words: "gateway passed", "script task ran", "task completed"."""
    if event.kind == "passed":
        kinds = {_words(types.get(e, "")) for e in _passed(event)}
        if len(kinds) == 1 and "" not in kinds:
            return f"{kinds.pop()} passed"
        return "passed"
    if event.kind == "task_ran" and event.element_id and event.element_id in types:
        return f"{_words(types[event.element_id])} ran"
    return EVENT_NAMES.get(event.kind, event.kind.replace("_", " "))


def _passed(event: Event) -> dict[str, int]:
    elements = event.data.get("elements", {})
    return {str(k): int(v) for k, v in elements.items()} if isinstance(elements, Mapping) else {}


def _element(event: Event) -> str:
    if event.kind == "passed":
        return ", ".join(f"{e} ({n} times)" if n > 1 else e for e, n in _passed(event).items())
    return event.element_id or ""


def _details(event: Event) -> str:
    data: Iterable[tuple[str, Any]] = event.data.items()
    if event.kind == "passed":
        data = ((k, v) for k, v in data if k != "elements")
    elif event.kind.startswith("instance_"):
        # "now waiting  status=waiting" would say it twice.
        data = ((k, v) for k, v in data if k != "status")
    return ", ".join(f"{k}={_text(v)}" for k, v in data)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)


def _words(camel: str) -> str:
    """``exclusiveGateway`` -> ``exclusive gateway``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", camel).lower()

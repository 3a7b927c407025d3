"""An instance drawn on its diagram: what ran, what waits, what failed."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from seamline.bpmn.render import Overlay, render_svg

if TYPE_CHECKING:
    from seamline.app import App

#: The events that count one run of an element: an automatic activity started, a person
#: completed a task; events and gateways come as ``passed`` counts.
_RUNS = {"task_ran", "task_completed"}
#: Events that show an element was reached without being a run of their own: a connector call
#: completing belongs to the task_ran of its task, a timer firing or a message arriving to the
#: catching event's ``passed`` (or its receive task's task_ran) that follows.
_REACHED = {"connector_completed", "timer_fired", "message_received", "signal_received"}
_FAILED = {"incident", "connector_failed", "connector_error"}


def instance_overlay(app: App, instance_id: str) -> tuple[Overlay, str, str, str]:
    """(overlay, file name, process id, status) for an instance, from its history."""
    view = app.show(instance_id)
    inst = view.instance
    counts: Counter[str] = Counter()
    reached: set[str] = set()
    failed: set[str] = set()
    for event in view.history or ():
        if event.element_id and event.kind in _RUNS:
            counts[event.element_id] += 1
        if event.element_id and event.kind in _REACHED:
            reached.add(event.element_id)
        if event.kind == "passed":
            for element, times in dict(event.data.get("elements", {})).items():
                counts[str(element)] += int(times)
        if event.element_id and event.kind in _FAILED:
            failed.add(event.element_id)
    active = {w.element for w in view.waiting}
    if inst.status.value != "incident":
        failed.clear()
    definition = app.definitions.get(inst.definition_hash, inst.process_id)
    done = set(counts) | reached
    taken = {
        e.id
        for e in definition.elements.values()
        if e.type == "sequenceFlow"
        and e.extensions.get("sourceRef") in done
        and e.extensions.get("targetRef") in done | active | failed
    }
    overlay = Overlay(
        completed=frozenset(done),
        active=frozenset(active),
        failed=frozenset(failed),
        counts=dict(counts),
        taken_flows=frozenset(taken),
    )
    element = next(iter(definition.elements.values()), None)
    file = definition.file or (element.file if element else "")
    return overlay, file, inst.process_id, inst.status.value


def instance_svg(app: App, instance_id: str) -> tuple[str, str]:
    """The instance's diagram as SVG with its progress drawn on it, and its status."""
    overlay, file, process_id, status = instance_overlay(app, instance_id)
    inst = app.store.get_instance(instance_id)
    definition = app.definitions.get(inst.definition_hash, process_id)
    name = next((n for n in definition.sources if n.endswith(file) or file.endswith(n)), file)
    data = definition.sources.get(name) or next(iter(definition.sources.values()))
    title = f"{process_id} · {inst.id[:8]} · {status}"
    return render_svg(data, name, process_id=process_id, overlay=overlay, title=title), status

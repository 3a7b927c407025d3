"""Workflow state <-> bytes, without the spec.

A snapshot holds only what changes while an instance runs: its tasks, their data, its
subprocesses and pending events. The spec is not part of it (SpiffWorkflow's serializer embeds
it, about half of a small workflow's JSON): it comes back from the stored definition on load.
The serializer version is written into every snapshot and SpiffWorkflow's migrations run on load
when it differs. Values JSON cannot hold natively (Decimal, date, datetime, time, set, tuple)
are tagged so that they come back with their type.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import DEFAULT_CONFIG, BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnSubWorkflowConverter,
    BpmnWorkflowConverter,
)
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from seamline.errors import CorruptState
from seamline.expr.values import YearsMonthsDuration

#: The workflow attribute holding the instance's policy ledger (plain JSON; see
#: :mod:`seamline.policies.ledger`), written beside the tasks in the snapshot.
LEDGER = "seamline_ledger"

#: Bumped when seamline's own envelope changes (SpiffWorkflow's version is stored beside it).
SNAPSHOT_FORMAT = 1


class _SpeclessWorkflowConverter(BpmnWorkflowConverter):  # type: ignore[misc]
    """Writes a workflow without its specs; restores it onto the specs of the definition."""

    def __init__(self, target_class: Any, registry: Any) -> None:
        super().__init__(target_class, registry)
        self.specs: tuple[Any, Mapping[str, Any]] | None = None

    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct: dict[str, Any] = super(BpmnWorkflowConverter, self).to_dict(workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        ledger = getattr(workflow, LEDGER, None)
        if ledger:
            dct["ledger"] = ledger
        return dct

    def from_dict(self, dct: dict[str, Any]) -> BpmnWorkflow:
        if self.specs is None:
            raise CorruptState("no specs given to restore the snapshot onto")
        spec, subprocess_specs = self.specs
        dct.pop("spec", None)
        dct.pop("subprocess_specs", None)
        workflow = self.target_class(spec, dict(subprocess_specs), deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        setattr(workflow, LEDGER, dct.pop("ledger", None) or {})
        return workflow


class _CalledSubWorkflowConverter(BpmnSubWorkflowConverter):  # type: ignore[misc]
    """Restores a called process onto the spec it was started with (recorded as ``spec``), not
    the one its call activity names: a call activity may choose its process at run time."""

    def from_dict(self, dct: dict[str, Any], task: Any, top_workflow: Any) -> Any:
        name = dct.get("spec")
        spec = top_workflow.subprocess_specs.get(name) if isinstance(name, str) else None
        if spec is None:
            return super().from_dict(dct, task, top_workflow)
        subprocess = self.target_class(spec, task.id, top_workflow, deserializing=True)
        subprocess.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=subprocess)
        subprocess.task_tree = subprocess.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(subprocess, dct)
        return subprocess


def _register_values(registry: Any) -> None:
    registry.register(Decimal, lambda v: {"value": str(v)}, lambda d: Decimal(d["value"]))
    registry.register(
        dt.date, lambda v: {"value": v.isoformat()}, lambda d: dt.date.fromisoformat(d["value"])
    )
    registry.register(
        dt.time, lambda v: {"value": v.isoformat()}, lambda d: dt.time.fromisoformat(d["value"])
    )
    registry.register(set, lambda v: {"items": sorted(v, key=repr)}, lambda d: set(d["items"]))
    registry.register(
        YearsMonthsDuration,
        lambda v: {"months": v.total_months},
        lambda d: YearsMonthsDuration(d["months"]),
    )
    registry.register(
        frozenset, lambda v: {"items": sorted(v, key=repr)}, lambda d: frozenset(d["items"])
    )


def _build_serializer() -> tuple[BpmnWorkflowSerializer, _SpeclessWorkflowConverter]:
    config: dict[Any, Any] = {}
    config.update(DEFAULT_CONFIG)
    config.update(CAMUNDA_CONFIG)
    config.update(SPIFF_CONFIG)
    config[BpmnSubWorkflow] = _CalledSubWorkflowConverter
    registry = BpmnWorkflowSerializer.configure(config)
    _register_values(registry)
    # Registering after configure() replaces the default workflow converter with ours.
    converter = _SpeclessWorkflowConverter(BpmnWorkflow, registry)
    return BpmnWorkflowSerializer(registry), converter


class Snapshotter:
    """Serializes workflows to compact JSON bytes and back, onto a definition's specs."""

    def __init__(self) -> None:
        self._serializer, self._converter = _build_serializer()
        self._lock = threading.Lock()

    @property
    def spiff_version(self) -> str:
        """The SpiffWorkflow serializer version written into new snapshots."""
        return str(self._serializer.VERSION)

    def dump(self, workflow: BpmnWorkflow) -> bytes:
        """The workflow's state as JSON bytes (no spec)."""
        registry = self._serializer.registry
        with self._lock:
            registry._encoder_mode = True
            try:
                dct = self._serializer.to_dict(workflow)
                dct[BpmnWorkflowSerializer.VERSION_KEY] = self.spiff_version
                dct["seamline_format"] = SNAPSHOT_FORMAT
                text = json.dumps(dct, cls=self._serializer._encoder_cls, separators=(",", ":"))
            finally:
                registry._encoder_mode = False
        return text.encode()

    def load(
        self, data: bytes, spec: Any, subprocess_specs: Mapping[str, Any], *, instance: str = ""
    ) -> BpmnWorkflow:
        """Restore a workflow from :meth:`dump` output onto ``spec``; CorruptState if unreadable."""
        try:
            dct = json.loads(data)
            if not isinstance(dct, dict) or "tasks" not in dct:
                raise ValueError("not a workflow snapshot")
            if dct.get(BpmnWorkflowSerializer.VERSION_KEY) != self.spiff_version:
                self._serializer.migrate(dct)
            with self._lock:
                self._converter.specs = (spec, subprocess_specs)
                try:
                    workflow = self._serializer.from_dict(dct)
                finally:
                    self._converter.specs = None
        except CorruptState:
            raise
        except Exception as exc:
            raise CorruptState(
                f"the stored snapshot cannot be read ({type(exc).__name__}: {exc})",
                instance=instance,
                hint="restore the database from a backup or cancel the instance",
            ) from exc
        return workflow

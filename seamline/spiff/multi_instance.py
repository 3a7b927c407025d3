"""Multi-instance activities with the semantics of the flavour's engine.

SpiffWorkflow 3.2.0 runs multi-instance activities its own way: its Camunda parser reads
``camunda:collection`` / ``camunda:elementVariable`` but writes every instance's element back
into the collection, drops every other variable an instance sets, ignores the standard
``loopDataInputRef`` / ``inputDataItem`` (a Camunda 7 user task using them was refused), and its
BPMN parser looks an ``ioSpecification`` data input up by an attribute data inputs no longer
have (so every such diagram was refused). Here, for Camunda 7, Camunda 8 and plain diagrams
(SpiffArena diagrams keep SpiffWorkflow's own classes):

- the number of instances comes from ``loopCardinality`` (a number or an expression; it wins
  when a collection is given too, as in Camunda 7) or from the collection: a variable name or,
  in Camunda 7, a ``${...}`` expression, in ``camunda:collection`` or ``loopDataInputRef``.
  A collection that is not set, or not a list, is an incident naming the activity;
- each instance has its own local variables: the element variable (``camunda:elementVariable``
  or the ``inputDataItem``) and ``loopCounter`` (0-based in Camunda 7 and plain diagrams,
  1-based in Camunda 8), plus the output element in Camunda 8; they never reach the process;
- every other variable an instance creates, changes or deletes is carried to the enclosing
  scope when the instance ends (Camunda's ``setVariable`` writes where the variable lives, else
  into the process instance);
- ``loopDataOutputRef`` / ``outputDataItem`` (Camunda 8: ``outputCollection`` /
  ``outputElement``) collect one result per instance, in the order of the input, ``None`` for an
  instance that set none;
- the counters of the body (``nrOfInstances``, ``nrOfActiveInstances``,
  ``nrOfCompletedInstances`` in Camunda 7; ``numberOfInstances``, ``numberOfActiveInstances``,
  ``numberOfCompletedInstances``, ``numberOfTerminatedInstances`` in Camunda 8 and BPMN) are
  computed when read (:func:`seamline.spiff.script_engine.multi_instance_variables`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from copy import deepcopy
from typing import Any

from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
from SpiffWorkflow.bpmn.specs.data_spec import TaskDataReference
from SpiffWorkflow.bpmn.specs.defaults import (
    ParallelMultiInstanceTask as _BpmnParallel,
)
from SpiffWorkflow.bpmn.specs.defaults import (
    SequentialMultiInstanceTask as _BpmnSequential,
)
from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState

from seamline.errors import EngineError

#: internal_data keys: the resolved collection (on the body), an instance's local variables and
#: the fingerprints of the data it started with (on the instance).
COLLECTION = "seamline_mi_collection"
LOCALS = "seamline_mi_locals"
START = "seamline_mi_start"

CAMUNDA7 = "camunda7"
ZEEBE = "zeebe"
BPMN = "bpmn"


def _fingerprint(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=repr)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def inherit_data(task: Any) -> None:
    """``Task._inherit_data`` that keeps an instance's local variables over the parent's data
    (a process variable named like the element variable must not overwrite the element), and
    notes what the instance started with, so that only its own changes are carried out."""
    task.data = DeepMerge.merge(task.data, task.parent.data)
    local = task.internal_data.get(LOCALS)
    if local is not None:
        task.data.update(deepcopy(local))
        if START not in task.internal_data:
            task.internal_data[START] = {k: _fingerprint(v) for k, v in task.data.items()}


class _Resolved(TaskDataReference):  # type: ignore[misc]
    """The collection the body resolved when it started (kept in its internal data)."""

    def __init__(self) -> None:
        super().__init__("multi-instance collection")

    def get(self, my_task: Any) -> Any:
        return my_task.internal_data.get(COLLECTION)

    def exists(self, my_task: Any) -> bool:
        return COLLECTION in my_task.internal_data

    def set(self, my_task: Any, value: Any) -> None:
        my_task.internal_data[COLLECTION] = value


class _Body:
    """What the sequential and parallel bodies share (mixed in before SpiffWorkflow's class)."""

    style: str
    collection: str | None
    loop_cardinality: str | None
    element_variable: str | None
    output_collection: str | None
    output_element: str | None
    task_spec: str
    condition: str | None
    bpmn_id: str

    def _setup(self, **kwargs: Any) -> dict[str, Any]:
        self.style = kwargs.pop("style")
        self.collection = kwargs.pop("collection")
        self.loop_cardinality = kwargs.pop("loop_cardinality")
        self.element_variable = kwargs.pop("element_variable")
        self.output_collection = kwargs.pop("output_collection")
        self.output_element = kwargs.pop("output_element")
        kwargs.update(cardinality=None, data_input=_Resolved(), data_output=None)
        kwargs.update(input_item=None, output_item=None)
        return kwargs

    # -- the number of instances -----------------------------------------------------------

    def _fail(self, message: str) -> EngineError:
        return EngineError(f"multi-instance: {message}", element=self.bpmn_id)

    def _evaluate(self, my_task: Any, expression: str) -> Any:
        return my_task.workflow.script_engine.evaluate(my_task, expression)

    def _cardinality(self, my_task: Any) -> int:
        text = str(self.loop_cardinality).strip()
        # Camunda 7 parses a literal cardinality as an integer; an expression is evaluated.
        literal = self.style == CAMUNDA7 and "{" not in text
        value: Any = text if literal else self._evaluate(my_task, text)
        if isinstance(value, bool):
            raise self._fail(f"loopCardinality {text!r} is not a number: {value!r}")
        if isinstance(value, (int, float)):
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            raise self._fail(f"loopCardinality {text!r} is not a number: {value!r}") from None

    def _collection(self, my_task: Any) -> list[Any]:
        source = str(self.collection).strip()
        if "{" in source or (self.style == ZEEBE and source.startswith("=")):
            value = self._evaluate(my_task, source)
            if not isinstance(value, (list, tuple)):
                raise self._fail(
                    f"the collection expression {source!r} did not give a list but {value!r}"
                )
            return list(value)
        if source not in my_task.data or my_task.data[source] is None:
            raise self._fail(
                f"the collection variable {source!r} is not set; set it to a list before the"
                " activity starts"
            )
        value = my_task.data[source]
        if not isinstance(value, (list, tuple)):
            raise self._fail(f"the collection variable {source!r} is not a list: {value!r}")
        return list(value)

    def _resolve(self, my_task: Any) -> list[Any]:
        """The items of the instances (indexes with a cardinality alone), kept on the body."""
        if self.loop_cardinality is not None:
            count = max(self._cardinality(my_task), 0)
            if self.collection is not None:
                items = self._collection(my_task)
                if len(items) < count:
                    raise self._fail(
                        f"loopCardinality {count} is larger than the collection"
                        f" {self.collection!r} ({len(items)} items)"
                    )
                items = items[:count]
            else:
                items = list(range(count))
        else:
            items = self._collection(my_task)
        my_task.internal_data[COLLECTION] = items
        my_task.internal_data["merged"] = []
        if self.output_collection:
            my_task.data[self.output_collection] = [None] * len(items)
        return items

    # -- one instance ----------------------------------------------------------------------

    def counter_base(self) -> int:
        return 1 if self.style == ZEEBE else 0

    def create_child(self, my_task: Any, item: Any, key_or_index: Any = None) -> None:
        task_spec = my_task.workflow.spec.task_specs[self.task_spec]
        if not task_spec.completed_event.is_connected(self.merge_child):  # type: ignore[attr-defined]
            task_spec.completed_event.connect(self.merge_child)  # type: ignore[attr-defined]
        child = my_task._add_child(task_spec, TaskState.WAITING)
        child.triggered = True
        local: dict[str, Any] = {"loopCounter": int(key_or_index or 0) + self.counter_base()}
        if self.element_variable:
            local[self.element_variable] = deepcopy(item)
        out = self.output_element
        if out and not out.startswith("=") and out not in local:
            local[out] = None  # Camunda 8 starts the output element as a local null
        child.internal_data[LOCALS] = local
        child.internal_data["key_or_index"] = key_or_index
        child.task_spec._update(child)

    def _merge_data(self, child: Any) -> None:
        """Carry what the instance changed to the body; collect its output."""
        my_task = child.parent
        local = set(child.internal_data.get(LOCALS) or ())
        start: Mapping[str, str] = child.internal_data.get(START) or {}
        for name, value in child.data.items():
            if name not in local and start.get(name) != _fingerprint(value):
                my_task.data[name] = value
        for name in start:
            if name not in child.data and name not in local:
                my_task.data.pop(name, None)
        if self.output_collection and self.output_element:
            results = my_task.data.get(self.output_collection)
            index = child.internal_data.get("key_or_index")
            value = self._output_value(child)
            if isinstance(results, list) and isinstance(index, int) and index < len(results):
                results[index] = value
        my_task.internal_data.setdefault("merged", []).append(str(child.id))

    def _output_value(self, child: Any) -> Any:
        """The instance's output element: its variable, or a Camunda 8 FEEL expression."""
        element = str(self.output_element)
        if not element.startswith("="):
            return child.data.get(element)
        return child.workflow.script_engine.evaluate(child, element)

    def check_completion_condition(self, my_task: Any) -> bool:
        merged = my_task.internal_data.get("merged", [])
        if not merged or self.condition is None:
            return False
        last = next(c for c in my_task.children if str(c.id) == merged[-1])
        context = {**my_task.data, **(last.internal_data.get(LOCALS) or {})}
        value = my_task.workflow.script_engine.evaluate(last, self.condition, context)
        return bool(value)


class SequentialBody(_Body, _BpmnSequential):  # type: ignore[misc]
    """A sequential multi-instance body: one instance after the other."""

    def __init__(self, wf_spec: Any, bpmn_id: str, **kwargs: Any) -> None:
        super().__init__(wf_spec, bpmn_id, **self._setup(**kwargs))

    def init_remaining_items(self, my_task: Any) -> list[int]:
        return list(range(len(self._resolve(my_task))))

    def merge_child(self, workflow: Any, child: Any) -> None:
        my_task = child.parent
        if my_task.has_state(TaskState.FINISHED_MASK):
            return  # the body was interrupted (an error or a boundary event): nothing follows
        self._merge_data(child)
        if self.children_complete(my_task) or self.check_completion_condition(my_task):
            my_task._set_state(TaskState.READY)
        else:
            self.add_next_child(my_task)


class ParallelBody(_Body, _BpmnParallel):  # type: ignore[misc]
    """A parallel multi-instance body: every instance at once."""

    def __init__(self, wf_spec: Any, bpmn_id: str, **kwargs: Any) -> None:
        super().__init__(wf_spec, bpmn_id, **self._setup(**kwargs))

    def create_children(self, my_task: Any) -> None:
        for index, item in enumerate(self._resolve(my_task)):
            self.create_child(my_task, item, index)

    def merge_child(self, workflow: Any, child: Any) -> None:
        my_task = child.parent
        if my_task.has_state(TaskState.FINISHED_MASK):
            return  # the body was interrupted (an error or a boundary event): nothing follows
        self._merge_data(child)
        if self.check_completion_condition(my_task):
            for instance in self._instances(my_task):
                instance.cancel()
            my_task._set_state(TaskState.READY)
        elif self.children_complete(my_task):
            my_task._set_state(TaskState.READY)


# -- parsing ---------------------------------------------------------------------------------

_BPMN_ORIGINAL = TaskParser.__dict__["_add_multiinstance_task"]
_PREFIX = "./bpmn:multiInstanceLoopCharacteristics"


def _text(parser: Any, path: str) -> str | None:
    found = parser.xpath(f"{_PREFIX}/{path}")
    if not found:
        return None
    return str(found[0].text or "").strip()


def _item(parser: Any, tag: str, style: str) -> str | None:
    found = parser.xpath(f"{_PREFIX}/bpmn:{tag}")
    if not found:
        return None
    node = found[0]
    # Camunda 7 reads the item's name; BPMN (and SpiffWorkflow) its id.
    first, second = ("name", "id") if style == CAMUNDA7 else ("id", "name")
    value = node.get(first) or node.get(second)
    return str(value) if value else None


def _io_name(parser: Any, ref: str | None) -> str | None:
    """A ``loopDataInputRef`` naming a data input of the ioSpecification reads that input."""
    if ref is None or parser.task.io_specification is None:
        return ref
    spec = parser.task.io_specification
    for var in [*spec.data_inputs, *spec.data_outputs]:
        if ref in (var.bpmn_id, var.bpmn_name):
            return str(var.bpmn_id)
    parser.raise_validation_exception(
        f"the loop data reference {ref!r} is not a data input or output of the ioSpecification"
    )
    return None


def _style(parser: Any) -> str | None:
    style = getattr(parser.process_parser.parser, "MULTI_INSTANCE_STYLE", None)
    return str(style) if style is not None else None


def add_multi_instance(parser: Any, loop_characteristics: Any) -> None:
    """``TaskParser._add_multiinstance_task`` (and the Camunda parser's): seamline's bodies for
    Camunda 7, Camunda 8 and plain diagrams; SpiffArena diagrams keep SpiffWorkflow's."""
    style = _style(parser)
    if style is None:
        _BPMN_ORIGINAL(parser, loop_characteristics)
        return
    sequential = loop_characteristics.get("isSequential") == "true"
    cardinality = _text(parser, "bpmn:loopCardinality")
    collection = _text(parser, "bpmn:loopDataInputRef")
    element = _item(parser, "inputDataItem", style)
    if style == CAMUNDA7:
        ns = "http://camunda.org/schema/1.0/bpmn"
        collection = loop_characteristics.get(f"{{{ns}}}collection") or collection
        element = loop_characteristics.get(f"{{{ns}}}elementVariable") or element
    else:
        collection = _io_name(parser, collection)
    if cardinality == "":
        parser.raise_validation_exception("the loopCardinality of the multi-instance is empty")
    if cardinality is None and not collection:
        parser.raise_validation_exception(
            "A multiinstance task must specify a cardinality or a collection"
        )
    if style != CAMUNDA7 and cardinality is not None and collection:
        # Camunda 7 lets the cardinality win; BPMN leaves the pair undefined: refused.
        parser.raise_validation_exception(
            "A multiinstance task must specify exactly one of cardinality or loop input data"
            " reference"
        )
    if element and not collection:
        parser.raise_validation_exception(
            "an element variable (inputDataItem / camunda:elementVariable) needs an input"
            " collection (loopDataInputRef / camunda:collection)"
        )
    output = _text(parser, "bpmn:loopDataOutputRef") if style != CAMUNDA7 else None
    output_element = _item(parser, "outputDataItem", style) if style != CAMUNDA7 else None
    if style == BPMN:
        output = _io_name(parser, output)
    condition = _text(parser, "bpmn:completionCondition") or None
    original = parser.spec.task_specs.pop(parser.task.name)
    cls = SequentialBody if sequential else ParallelBody
    parser.task = cls(
        parser.spec,
        original.name,
        task_spec="",
        condition=condition,
        style=style,
        collection=collection or None,
        loop_cardinality=cardinality,
        element_variable=element,
        output_collection=output if output and output_element else None,
        output_element=output_element if output else None,
        description=("Sequential" if sequential else "Parallel") + " MultiInstance",
    )
    parser._copy_task_attrs(original, loop_characteristics)


def is_body(spec: Any) -> bool:
    """Whether ``spec`` is one of seamline's multi-instance bodies."""
    return isinstance(spec, _Body)


def body_items(task: Any) -> Sequence[Any] | None:
    """The items a seamline body resolved when it started (None before, or for other specs)."""
    value = task.internal_data.get(COLLECTION)
    return value if isinstance(value, list) else None


def rebase(task: Any) -> None:
    """Before an instance runs, take the body's current value of every variable the instance has
    not changed itself: Camunda's instances share the process's variables, so a parallel
    instance sees what the instances before it wrote (``sum = sum + loopCounter`` adds up)."""
    start = task.internal_data.get(START)
    body = task.parent
    if start is None or body is None or not is_body(body.task_spec):
        return
    local = task.internal_data.get(LOCALS) or {}
    for name, value in body.data.items():
        if name in local:
            continue
        mine = task.data.get(name)
        if name not in task.data or start.get(name) == _fingerprint(mine):
            task.data[name] = deepcopy(value)
            start[name] = _fingerprint(task.data[name])

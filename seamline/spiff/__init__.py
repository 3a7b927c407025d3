"""The only room that imports SpiffWorkflow (3.2.0): seamline's adapters over the library.

What lives here:

- :mod:`.specs`: the task specs seamline substitutes (connector, decision and call activity tasks)
- :mod:`.parsers`: one parser per diagram flavour, with those specs and the fixed event parsers
- :mod:`.snapshot`: workflow state <-> bytes without the spec (the serializer adapter)
- :mod:`.script_engine`: the script engine attached to every workflow
- :mod:`.tree`: the stepping primitives over the task tree (compaction, running one task)
- :mod:`.timers`: timer event definitions that fire the way Camunda fires them
- :mod:`.events`: catching events kept the Camunda way (boundary re-arming, gated conditions)
- :mod:`.multi_instance`: multi-instance bodies with the semantics of the flavour's engine
- :mod:`.compensation`: compensation, which 3.2.0 lacks: the record of completed compensable
  work, the compensate throw (a multi-instance spec) and its routing gateway
- :mod:`.patches`: the replacements below and :func:`install`

Everything else in seamline reaches the library through this package; types it needs are
re-exported here (``from seamline.spiff import BpmnWorkflow, Task, TaskState``).

Patches, installed by :func:`install` (idempotent; App wiring, the Engine and the loader call
it, importing any seamline module never does):

- ``timer.datetime`` (module ``SpiffWorkflow.bpmn.specs.event_definitions.timer``). 3.2.0
  computes and checks due dates with the real ``datetime.now``, so a test or a replay could not
  move time. Replaced by :class:`~.patches.ClockedDatetime`, whose ``now()`` asks the clock set
  by ``seamline.engine.clock.using`` (the real clock outside it).
- ``EventManager.catch``. 3.2.0 starts an event subprocess only for events that reach the top
  of the instance uncaught, so an error thrown inside an embedded subprocess never reached the
  event subprocess drawn in that subprocess. The replacement walks scope by scope from the
  thrower outwards, starts the first matching event subprocess, then hands on to 3.2.0's.
- ``Task.collect_log_extras``. 3.2.0 builds a dict of log details on every state change,
  logged or not. The replacement returns an empty dict unless ``spiff.task`` logs at INFO.
- ``Workflow.collect_log_extras``. 3.2.0 lists every task id in a workflow's log details on
  each start and end of a (sub)workflow whenever ``spiff.workflow`` has no level set, logged or
  not. The replacement skips the details unless ``spiff.workflow`` logs at INFO.
- ``Task._set_state``. 3.2.0 composes a log message on every state change. The replacement
  sets the state and its timestamp directly unless ``spiff.task`` logs at INFO.
- ``EventDefinitionParser.parse_timer_event``. 3.2.0's timers fire strictly after their due
  instant, know no cron, and repeat a cycle inside one instance wherever it is drawn. The
  replacement builds the timers of :mod:`.timers`: due-instant firing in the worker, cron
  cycles (Quartz for Camunda 7, Spring for Camunda 8), one instance per firing of a process's
  start cycle, one firing of an interrupting or intermediate cycle.
- ``BoundaryEventJoin._check_threshold_structured``. 3.2.0 cancels a non-interrupting cycle
  timer still waiting when its activity ends, which dropped the branches its firings started.
  The replacement retires such a timer (:func:`.timers.retire`) and keeps its branches.
- ``CodeEventDefinition.throw``. 3.2.0 hands a thrown error or escalation to every waiting
  catcher of the thrower's workflow at once; :func:`~.throwing.throw` routes it to the one
  handler Camunda picks (nearest scope, event subprocess before boundary event, code before
  catch-all), setting the handler's code and message variables.
- ``EventDefinitionParser.parse_error_event`` / ``parse_escalation_event``. 3.2.0 crashed with
  a TypeError on a reference to no error or escalation and ignored Camunda's variables;
  :mod:`.coded_events` reads them as each flavour's engine does.
- ``NodeParser.raise_validation_exception``. 3.2.0's SpiffArena event parsers pass it a
  ``node`` it does not accept, so a reference to no error became a TypeError; the replacement
  raises the located ValidationException they meant.
- ``BoundaryEvent._on_ready_hook``. 3.2.0 completes a non-interrupting boundary event when it
  fires, so a second message or signal while the activity runs found nobody waiting (Camunda
  fires once per event). :func:`~.events.rearm_boundary` puts a fresh waiting sibling in place.
- ``ConditionalEventDefinition.has_fired``. 3.2.0 evaluates a waiting condition after every
  completed task; Camunda evaluates it on entry and on variable changes only.
  :func:`~.events.condition_fired` evaluates once on entry, then reads the engine's verdict.
- ``TaskParser._add_multiinstance_task`` and ``CamundaTaskParser._add_multiinstance_task``.
  3.2.0's Camunda parser writes every instance's element back into the collection, drops the
  variables instances set and ignores ``loopDataInputRef``; its BPMN parser refuses every
  ``ioSpecification`` data input as a loop input. The replacement builds
  :mod:`.multi_instance`'s bodies (Camunda 7, Camunda 8 and BPMN semantics) for those flavours;
  SpiffArena diagrams keep 3.2.0's own.
- ``Task._inherit_data``. 3.2.0 copies the parent's data over a multi-instance instance's
  element variable (so a process variable of that name won). The replacement re-applies the
  instance's local variables (:func:`.multi_instance.inherit_data`).

Behaviour replaced without touching the library (subclasses or per-object, no install needed):

- ``Workflow.update_waiting_tasks`` walks the whole task tree after every completed task
  (quadratic in history); :func:`~.tree.fast_paths` gives each workflow object a version over
  the flat ``workflow.tasks`` index.
- Start event parsers ignore error and escalation definitions (an error-started event
  subprocess ran at once); end event parsers ignore signal definitions. :mod:`.parsers`
  registers subclasses that read them, for every flavour.
- The Camunda subprocess parser forgets ``triggeredByEvent`` (event subprocesses became plain
  subprocesses); :class:`~.parsers.CamundaSubprocessParser` keeps it.
- ``CallActivity`` copies every variable into the called process and back, and calls the process
  its ``calledElement`` names literally. Camunda 7 and 8 diagrams get
  :class:`~.specs.CallActivityTask`, which asks the engine's ``flow`` which process to call
  (an expression is evaluated) and which variables pass each way; the snapshot restores a called
  process onto the spec it was started with (``_CalledSubWorkflowConverter``).
"""

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.specs.event_definitions.conditional import ConditionalEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import (
    ErrorEventDefinition,
    EscalationEventDefinition,
    SignalEventDefinition,
)
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import EventSubprocess, SubWorkflowTask
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from seamline.spiff.patches import PATCHES, install

__all__ = [
    "PATCHES",
    "BpmnEvent",
    "BpmnParser",
    "BpmnProcessSpec",
    "BpmnWorkflow",
    "CatchingEvent",
    "ConditionalEventDefinition",
    "ErrorEventDefinition",
    "EscalationEventDefinition",
    "EventSubprocess",
    "MessageEventDefinition",
    "MultipleEventDefinition",
    "SignalEventDefinition",
    "SpiffWorkflowException",
    "StartEvent",
    "SubWorkflowTask",
    "Task",
    "TaskState",
    "TimerEventDefinition",
    "ValidationException",
    "install",
]

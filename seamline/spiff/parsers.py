"""One SpiffWorkflow parser per flavour, with seamline's task specs swapped in.

Service tasks (and send / business rule tasks bound to a connector) become
:class:`~seamline.spiff.specs.ConnectorTask`; business rule tasks naming a decision become
:class:`~seamline.spiff.specs.DecisionTask`. DMN files are never given to SpiffWorkflow: seamline
evaluates decisions with its own engine, so the parsers only record the decision id.
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser import event_parsers as ev
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser, full_tag
from SpiffWorkflow.bpmn.parser.event_parsers import SendTaskParser
from SpiffWorkflow.bpmn.parser.task_parsers import CallActivityParser as PlainCallActivityParser
from SpiffWorkflow.bpmn.parser.task_parsers import (
    ConditionalGatewayParser,
    ScriptTaskParser,
    SubprocessParser,
    SubWorkflowParser,
)
from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.defaults import (
    BoundaryEvent,
    CallActivity,
    EndEvent,
    ExclusiveGateway,
    IntermediateCatchEvent,
    IntermediateThrowEvent,
    ScriptTask,
    SendTask,
    StartEvent,
    SubWorkflowTask,
)
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.camunda.parser.event_parsers import (
    CamundaBoundaryEventParser,
    CamundaEndEventParser,
    CamundaEventDefinitionParser,
    CamundaIntermediateCatchEventParser,
    CamundaIntermediateThrowEventParser,
    CamundaStartEventParser,
)
from SpiffWorkflow.camunda.parser.task_spec import CallActivityParser as CamundaCallActivityParser
from SpiffWorkflow.camunda.parser.task_spec import CamundaTaskParser
from SpiffWorkflow.camunda.parser.task_spec import SubWorkflowParser as CamundaSubWorkflowParser
from SpiffWorkflow.spiff.parser.event_parsers import (
    SpiffEndEventParser,
    SpiffSendTaskParser,
    SpiffStartEventParser,
)
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.parser.task_spec import ServiceTaskParser, SpiffTaskParser
from SpiffWorkflow.spiff.parser.task_spec import SubWorkflowParser as SpiffSubWorkflowParser
from SpiffWorkflow.spiff.specs.defaults import SendTask as SpiffSendTask
from SpiffWorkflow.spiff.specs.defaults import SubWorkflowTask as SpiffSubWorkflowTask

from seamline.bpmn.flavours import CAMUNDA_NS, SPIFF_NS, ZEEBE_NS, Flavour, strategy_for
from seamline.bpmn.normalize.compensation import CANCEL, MARK, SCOPE
from seamline.errors import MissingDecisionRef
from seamline.spiff.compensation import CompensationRoute, CompensationThrow
from seamline.spiff.specs import (
    PASS_THROUGH_SPECS,
    CallActivityTask,
    ConnectorTask,
    DecisionTask,
    SpiffConnectorTask,
    SpiffDecisionTask,
)


def _ext(node: etree._Element, ns: str, tag: str) -> etree._Element | None:
    found = node.find(
        f"{{http://www.omg.org/spec/BPMN/20100524/MODEL}}extensionElements/{{{ns}}}{tag}"
    )
    return found


def bound_to_connector(node: etree._Element) -> bool:
    """Whether a task's work is delegated (Camunda delegate, zeebe job, Spiff operator)."""
    for attr in ("class", "expression", "delegateExpression", "type", "topic"):
        if node.get(f"{{{CAMUNDA_NS}}}{attr}"):
            return True
    return any(
        _ext(node, ns, tag) is not None
        for ns, tag in (
            (CAMUNDA_NS, "connector"),
            (ZEEBE_NS, "taskDefinition"),
            (SPIFF_NS, "serviceTaskOperator"),
        )
    )


def decision_ref(node: etree._Element) -> str | None:
    """The decision a business rule task evaluates, in whichever dialect it was drawn."""
    ref = node.get(f"{{{CAMUNDA_NS}}}decisionRef")
    if ref:
        return str(ref)
    called = _ext(node, ZEEBE_NS, "calledDecision")
    if called is not None and called.get("decisionId"):
        return str(called.get("decisionId"))
    spiff = _ext(node, SPIFF_NS, "calledDecisionId")
    if spiff is not None and (spiff.text or "").strip():
        return str(spiff.text).strip()
    return None


def _business_rule(parser: Any, connector_cls: type, decision_cls: type, **extra: Any) -> Any:
    node = parser.node
    attrs = parser.bpmn_attributes
    if bound_to_connector(node):
        return connector_cls(parser.spec, parser.bpmn_id, **extra, **attrs)
    ref = decision_ref(node)
    if ref is None:
        raise ValidationException(
            "business rule task names no decision (decisionRef / calledDecision)",
            node=node,
            file_name=parser.filename,
        ) from MissingDecisionRef()
    return decision_cls(parser.spec, parser.bpmn_id, decision_ref=ref, **extra, **attrs)


class ConnectorTaskParser(TaskParser):  # type: ignore[misc]
    """Service tasks of plain and Camunda 8 diagrams."""

    def create_task(self) -> Any:
        return ConnectorTask(self.spec, self.bpmn_id, **self.bpmn_attributes)


class DecisionTaskParser(TaskParser):  # type: ignore[misc]
    """Business rule tasks of plain and Camunda 8 diagrams."""

    def create_task(self) -> Any:
        return _business_rule(self, ConnectorTask, DecisionTask)


class LenientScriptTaskParser(ScriptTaskParser):  # type: ignore[misc]
    """Camunda 8 script tasks hold a FEEL expression (zeebe:script) instead of a bpmn:script."""

    def get_script(self) -> Any:
        if _ext(self.node, ZEEBE_NS, "script") is not None and not self.xpath(".//bpmn:script"):
            return None  # the engine evaluates extensions["zeebe:script"]
        return super().get_script()


class ConnectorSendTaskParser(SendTaskParser):  # type: ignore[misc]
    """Send tasks bound to a job worker or Java delegate are connector work, not messages."""

    def create_task(self) -> Any:
        if bound_to_connector(self.node):
            return ConnectorTask(self.spec, self.bpmn_id, **self.bpmn_attributes)
        return super().create_task()


class CamundaConnectorTaskParser(CamundaTaskParser):  # type: ignore[misc]
    """Camunda 7 service tasks (keeps Camunda's multi-instance handling)."""

    def create_task(self) -> Any:
        return ConnectorTask(self.spec, self.bpmn_id, **self.bpmn_attributes)


class CamundaDecisionTaskParser(CamundaTaskParser):  # type: ignore[misc]
    """Camunda 7 business rule tasks: camunda:decisionRef, or a delegate (then a connector)."""

    get_decision_ref = staticmethod(decision_ref)

    def create_task(self) -> Any:
        return _business_rule(self, ConnectorTask, DecisionTask)


class SpiffConnectorTaskParser(ServiceTaskParser):  # type: ignore[misc]
    """Spiff service tasks; an operator is recorded in metadata, not required here."""

    def create_task(self) -> Any:
        ext = self.parse_extensions()
        return SpiffConnectorTask(
            self.spec,
            self.bpmn_id,
            prescript=ext.get("preScript"),
            postscript=ext.get("postScript"),
            **self.bpmn_attributes,
        )


class SpiffDecisionTaskParser(SpiffTaskParser):  # type: ignore[misc]
    """Spiff business rule tasks (spiffworkflow:calledDecisionId)."""

    get_decision_ref = staticmethod(decision_ref)

    def create_task(self) -> Any:
        ext = self.parse_extensions()
        scripts = {"prescript": ext.get("preScript"), "postscript": ext.get("postScript")}
        return _business_rule(self, SpiffConnectorTask, SpiffDecisionTask, **scripts)


class SpiffConnectorSendTaskParser(SpiffSendTaskParser):  # type: ignore[misc]
    """Spiff send tasks; connector-bound ones become connector tasks."""

    def create_task(self) -> Any:
        if bound_to_connector(self.node):
            ext = self.parse_extensions()
            return SpiffConnectorTask(
                self.spec,
                self.bpmn_id,
                prescript=ext.get("preScript"),
                postscript=ext.get("postScript"),
                **self.bpmn_attributes,
            )
        return super().create_task()


def _start_event(parser: Any) -> Any:
    """SpiffWorkflow's start event parsers ignore error and escalation definitions, so an
    error-started event subprocess became a none-started one that ran at once."""
    definition = parser.get_event_definition(
        [
            ev.MESSAGE_EVENT_XPATH,
            ev.SIGNAL_EVENT_XPATH,
            ev.TIMER_EVENT_XPATH,
            ev.CONDITIONAL_EVENT_XPATH,
            ev.ERROR_EVENT_XPATH,
            ev.ESCALATION_EVENT_XPATH,
        ]
    )
    task = parser._create_task(definition)
    parser.spec.start.connect(task)
    return task


def _end_event(parser: Any) -> Any:
    """SpiffWorkflow's end event parsers ignore signal definitions, so a signal end event
    silently threw nothing."""
    definition = parser.get_event_definition(
        [
            ev.MESSAGE_EVENT_XPATH,
            ev.SIGNAL_EVENT_XPATH,
            ev.CANCEL_EVENT_XPATH,
            ev.ERROR_EVENT_XPATH,
            ev.ESCALATION_EVENT_XPATH,
            ev.TERMINATION_EVENT_XPATH,
        ]
    )
    task = parser._create_task(definition)
    task.connect(parser.spec.end)
    return task


def _camunda7_message(parser: Any, message_event: etree._Element) -> Any:
    """Camunda 7 correlates a message with variables: they become process variables of the
    receiving instance, and a message event without an implementation throws the sender's
    variables. SpiffWorkflow's Camunda parser instead stores a received payload in a variable
    ``<task>_Response`` and evaluates ``camunda:expression`` as the payload to send; that
    reading is kept only where a diagram sets ``camunda:expression`` or ``camunda:resultVariable``.
    """
    if any(
        parser.attribute(attr, "camunda", message_event)
        for attr in ("expression", "resultVariable")
    ):
        return CamundaEventDefinitionParser.parse_message_event(parser, message_event)
    return ev.EventDefinitionParser.parse_message_event(parser, message_event)


class Camunda7CatchEventParser(CamundaIntermediateCatchEventParser):  # type: ignore[misc]
    """Intermediate catch events of Camunda 7 diagrams: a message's variables are merged."""

    parse_message_event = _camunda7_message


class Camunda7ThrowEventParser(CamundaIntermediateThrowEventParser):  # type: ignore[misc]
    """Intermediate throw events of Camunda 7 diagrams: a message carries the variables."""

    parse_message_event = _camunda7_message


class Camunda7BoundaryEventParser(CamundaBoundaryEventParser):  # type: ignore[misc]
    """Boundary events of Camunda 7 diagrams: a message's variables are merged."""

    parse_message_event = _camunda7_message


class PlainEndEventParser(ev.EndEventParser):  # type: ignore[misc]
    """End events of plain and Camunda 8 diagrams, signal ends included."""

    create_task = _end_event


class Camunda7EndEventParser(CamundaEndEventParser):  # type: ignore[misc]
    """End events of Camunda 7 diagrams, signal ends included."""

    create_task = _end_event
    parse_message_event = _camunda7_message


class SpiffEndEventsParser(SpiffEndEventParser):  # type: ignore[misc]
    """End events of SpiffArena diagrams, signal ends included."""

    create_task = _end_event


class PlainStartEventParser(ev.StartEventParser):  # type: ignore[misc]
    """Start events of plain and Camunda 8 diagrams, error and escalation starts included."""

    create_task = _start_event


class Camunda7StartEventParser(CamundaStartEventParser):  # type: ignore[misc]
    """Start events of Camunda 7 diagrams, error and escalation starts included."""

    create_task = _start_event
    parse_message_event = _camunda7_message


class SpiffStartEventsParser(SpiffStartEventParser):  # type: ignore[misc]
    """Start events of SpiffArena diagrams, error and escalation starts included."""

    create_task = _start_event


def _pass_through(flavour: Flavour, task_parser: type) -> dict[str, tuple[type, type]]:
    """The task kinds the flavour's strategy passes straight through, with their specs."""
    kinds = strategy_for(flavour).pass_through
    return {full_tag(kind): (task_parser, PASS_THROUGH_SPECS[kind]) for kind in sorted(kinds)}


class _CompensationThrowParser:
    """Parses the compensate throws normalize.compensation wrote (marked subprocesses)."""

    def _add_multiinstance_task(self: Any, loop_characteristics: Any) -> None:
        ref = self.node.get(MARK)
        if ref is None:
            super()._add_multiinstance_task(loop_characteristics)  # type: ignore[misc]
            return
        original = self.spec.task_specs.pop(self.task.name)
        self.task = CompensationThrow(
            self.spec,
            original.name,
            activity_ref=ref or None,
            cancel=self.node.get(CANCEL) == "true",
            scope=self.node.get(SCOPE) or "",
            description="Compensation",
        )
        self._copy_task_attrs(original, loop_characteristics)


class RouteGatewayParser(ConditionalGatewayParser):  # type: ignore[misc]
    """Exclusive gateways; the route of a compensate throw becomes a CompensationRoute."""

    def create_task(self) -> Any:
        if self.node.get(MARK) is not None:
            return CompensationRoute(self.spec, self.bpmn_id, **self.bpmn_attributes)
        return super().create_task()


class PlainSubprocessParser(_CompensationThrowParser, SubWorkflowParser):  # type: ignore[misc]
    """Subprocesses of plain and Camunda 8 diagrams (compensate throws included)."""


class SpiffSubprocessParser(_CompensationThrowParser, SpiffSubWorkflowParser):  # type: ignore[misc]
    """Subprocesses of SpiffArena diagrams (compensate throws included)."""


class PlainParser(BpmnParser):  # type: ignore[misc]
    """Plain BPMN 2.0 and Camunda 8 diagrams."""

    #: How multi-instance bodies run (:mod:`seamline.spiff.multi_instance`).
    MULTI_INSTANCE_STYLE = "bpmn"

    OVERRIDE_PARSER_CLASSES = {
        **_pass_through(Flavour.PLAIN, TaskParser),
        full_tag("startEvent"): (PlainStartEventParser, StartEvent),
        full_tag("endEvent"): (PlainEndEventParser, EndEvent),
        full_tag("serviceTask"): (ConnectorTaskParser, ConnectorTask),
        full_tag("businessRuleTask"): (DecisionTaskParser, DecisionTask),
        full_tag("scriptTask"): (LenientScriptTaskParser, ScriptTask),
        full_tag("sendTask"): (ConnectorSendTaskParser, SendTask),
        full_tag("subProcess"): (PlainSubprocessParser, SubWorkflowTask),
        full_tag("exclusiveGateway"): (RouteGatewayParser, ExclusiveGateway),
    }


class Camunda8Parser(PlainParser):
    """Camunda 8 (zeebe) diagrams: extensions are read into metadata, not by SpiffWorkflow.

    Call activities pass variables the way Zeebe does (the engine's ``flow``)."""

    OVERRIDE_PARSER_CLASSES = {
        **PlainParser.OVERRIDE_PARSER_CLASSES,
        **_pass_through(Flavour.CAMUNDA8, TaskParser),
        full_tag("callActivity"): (PlainCallActivityParser, CallActivityTask),
    }

    STRICT_CODED_THROWS = True  # see seamline.spiff.coded_events

    MULTI_INSTANCE_STYLE = "zeebe"


class CamundaSubprocessParser(_CompensationThrowParser, CamundaSubWorkflowParser):  # type: ignore[misc]
    """Camunda 7 subprocesses; SpiffWorkflow's Camunda parser forgets ``triggeredByEvent``, which
    turned event subprocesses into plain subprocesses that started at once."""

    def create_task(self) -> Any:
        if self.attribute("triggeredByEvent") in ("true", "1"):
            spec = SubprocessParser.get_subprocess_spec(self)
            return self.EVENT_SUBPROCESS_CLASS(
                self.spec, self.bpmn_id, subworkflow_spec=spec, **self.bpmn_attributes
            )
        return super().create_task()


class Camunda7Parser(CamundaParser):  # type: ignore[misc]
    """Camunda 7 diagrams."""

    CAMUNDA7_CODED_EVENTS = True  # errors and escalations as BpmnParse reads them
    MULTI_INSTANCE_STYLE = "camunda7"

    OVERRIDE_PARSER_CLASSES = {
        **CamundaParser.OVERRIDE_PARSER_CLASSES,
        **_pass_through(Flavour.CAMUNDA7, CamundaTaskParser),
        full_tag("subProcess"): (CamundaSubprocessParser, CallActivity),
        # Camunda 7 passes only what camunda:in / camunda:out name (the engine's ``flow``).
        full_tag("callActivity"): (CamundaCallActivityParser, CallActivityTask),
        full_tag("startEvent"): (Camunda7StartEventParser, StartEvent),
        full_tag("endEvent"): (Camunda7EndEventParser, EndEvent),
        full_tag("intermediateCatchEvent"): (Camunda7CatchEventParser, IntermediateCatchEvent),
        full_tag("intermediateThrowEvent"): (Camunda7ThrowEventParser, IntermediateThrowEvent),
        full_tag("boundaryEvent"): (Camunda7BoundaryEventParser, BoundaryEvent),
        full_tag("serviceTask"): (CamundaConnectorTaskParser, ConnectorTask),
        full_tag("businessRuleTask"): (CamundaDecisionTaskParser, DecisionTask),
        full_tag("sendTask"): (ConnectorSendTaskParser, SendTask),
        full_tag("exclusiveGateway"): (RouteGatewayParser, ExclusiveGateway),
    }


class SpiffParser(SpiffBpmnParser):  # type: ignore[misc]
    """SpiffArena diagrams."""

    OVERRIDE_PARSER_CLASSES = {
        **SpiffBpmnParser.OVERRIDE_PARSER_CLASSES,
        full_tag("startEvent"): (SpiffStartEventsParser, StartEvent),
        full_tag("endEvent"): (SpiffEndEventsParser, EndEvent),
        full_tag("serviceTask"): (SpiffConnectorTaskParser, SpiffConnectorTask),
        full_tag("businessRuleTask"): (SpiffDecisionTaskParser, SpiffDecisionTask),
        full_tag("sendTask"): (SpiffConnectorSendTaskParser, SpiffSendTask),
        full_tag("subProcess"): (SpiffSubprocessParser, SpiffSubWorkflowTask),
        full_tag("exclusiveGateway"): (RouteGatewayParser, ExclusiveGateway),
    }


_PARSER_CLASSES: dict[str, type[BpmnParser]] = {
    cls.__name__: cls for cls in (PlainParser, Camunda8Parser, Camunda7Parser, SpiffParser)
}
#: The parser class of each flavour, as its strategy names it (``FlavourStrategy.parser``).
PARSERS: dict[Flavour, type[BpmnParser]] = {
    flavour: _PARSER_CLASSES[strategy_for(flavour).parser] for flavour in Flavour
}


def parser_for(flavour: Flavour) -> BpmnParser:
    """A fresh parser for one file of the given flavour (no validator: lxml already parsed it)."""
    return PARSERS[flavour]()

"""How error and escalation event definitions are read, per flavour (replacing 3.2.0's).

SpiffWorkflow 3.2.0 crashed with an internal TypeError on an ``errorRef`` / ``escalationRef``
naming no root element, ignored Camunda's ``camunda:errorCodeVariable``,
``camunda:errorMessageVariable``, ``camunda:escalationCodeVariable`` and ``camunda:errorMessage``,
and accepted throwing events that throw nothing nameable. The replacements follow Camunda 7's
BpmnParse for Camunda 7 diagrams (a parser class with ``CAMUNDA7_CODED_EVENTS``):

- a catching or throwing ``errorRef`` naming no ``bpmn:error`` is the error code itself;
- an ``errorRef`` to an error without ``errorCode`` makes a catch-all (a null code);
- an error end event must have an ``errorRef``, and the error it names an ``errorCode``;
- an ``escalationRef`` must name a ``bpmn:escalation``; a throwing escalation event must
  have one, with an ``escalationCode``;
- an error that nothing catches ends the thrower's path (``uncaught = "end"``), as a none end
  event would (Camunda 7 with its default ``enableExceptionsAfterUnhandledBpmnError=false``).

Camunda 8 diagrams (``STRICT_CODED_THROWS``) get the same checks on throwing events; every
other flavour gets a located error for a reference to nothing.
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import (
    ErrorEventDefinition,
    EscalationEventDefinition,
)

from seamline.spiff.throwing import END_PATH

_CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
_BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_THROWING = ("endEvent", "intermediateThrowEvent")


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _camunda7(parser: Any) -> bool:
    return bool(getattr(parser.process_parser.parser, "CAMUNDA7_CODED_EVENTS", False))


def _strict(parser: Any) -> bool:
    return _camunda7(parser) or bool(
        getattr(parser.process_parser.parser, "STRICT_CODED_THROWS", False)
    )


def _refuse(parser: Any, message: str) -> None:
    raise ValidationException(message, node=parser.node, file_name=parser.filename)


def _error_message(node: etree._Element, ref: str) -> str | None:
    """The ``camunda:errorMessage`` of the ``bpmn:error`` ``ref`` (an expression or text)."""
    for found in node.getroottree().getroot().iter(f"{{{_BPMN}}}error"):
        if found.get("id") == ref:
            message = found.get(f"{{{_CAMUNDA}}}errorMessage")
            return str(message) if message is not None else None
    return None


def parse_error_event(self: Any, node: etree._Element) -> ErrorEventDefinition:
    """Replacement for ``EventDefinitionParser.parse_error_event``."""
    ref = node.get("errorRef")
    throwing = _local(self.node.tag) in _THROWING
    message = None
    if ref:
        error = self.process_parser.parser.errors.get(ref)
        if error is None:
            if not _camunda7(self):
                _refuse(self, f"errorRef '{ref}' names no bpmn:error of this file")
            name, code = ref, ref
        else:
            name, code = error.get("name"), error.get("error_code")
            message = _error_message(node, ref)
            if throwing and _strict(self) and not code:
                _refuse(
                    self,
                    "'errorCode' is mandatory on errors referenced by throwing error event"
                    f" definitions, but the error '{ref}' does not define one",
                )
    else:
        if throwing and _strict(self):
            _refuse(self, "'errorRef' attribute is mandatory on error end event")
        name, code = "None Error Event", None
    definition = ErrorEventDefinition(name, code, description=self.get_event_description(node))
    definition.code_variable = node.get(f"{{{_CAMUNDA}}}errorCodeVariable")
    definition.message_variable = node.get(f"{{{_CAMUNDA}}}errorMessageVariable")
    definition.message = message
    if _camunda7(self):
        definition.uncaught = END_PATH
    return definition


_ESCALATION_HOSTS = ("subProcess", "transaction", "adHocSubProcess", "callActivity", "userTask")


def _check_escalation_attachment(parser: Any) -> None:
    """BpmnParse.parseBoundaryEvents: only a subprocess, a call activity or a user task can
    receive an escalation (nothing else throws one to its boundary)."""
    attached = parser.node.get("attachedToRef")
    for el in parser.node.getroottree().getroot().iter():
        if isinstance(el.tag, str) and el.get("id") == attached:
            if _local(el.tag) not in _ESCALATION_HOSTS:
                _refuse(
                    parser,
                    "An escalation boundary event should only be attached to a subprocess,"
                    f" a call activity or an user task, not to {_local(el.tag)} '{attached}'",
                )
            return


def parse_escalation_event(self: Any, node: etree._Element) -> EscalationEventDefinition:
    """Replacement for ``EventDefinitionParser.parse_escalation_event``."""
    ref = node.get("escalationRef")
    throwing = _local(self.node.tag) in _THROWING
    if ref:
        escalation = self.process_parser.parser.escalations.get(ref)
        if escalation is None:
            _refuse(self, f"could not find escalation with id '{ref}'")
        name, code = escalation.get("name"), escalation.get("escalation_code")
        if throwing and _strict(self) and not code:
            _refuse(
                self, f"throwing escalation event: the escalation '{ref}' has no escalationCode"
            )
    else:
        if throwing and _strict(self):
            _refuse(
                self, "escalationEventDefinition does not have required attribute 'escalationRef'"
            )
        name, code = "None Escalation Event", None
    if _camunda7(self) and _local(self.node.tag) == "boundaryEvent":
        _check_escalation_attachment(self)
    definition = EscalationEventDefinition(name, code, description=self.get_event_description(node))
    definition.code_variable = node.get(f"{{{_CAMUNDA}}}escalationCodeVariable")
    if _camunda7(self):
        definition.uncaught = END_PATH
    return definition


def raise_validation_exception(self: Any, message: str, node: Any = None) -> None:
    """Replacement for ``NodeParser.raise_validation_exception``, which 3.2.0's SpiffArena
    event parsers call with a ``node`` it does not accept (a TypeError instead of the located
    error they meant: "Expected an Error node" for an errorRef naming no error)."""
    ref = ""
    if node is not None:
        ref = node.get("errorRef") or node.get("escalationRef") or ""
    detail = f" (the reference '{ref}' names nothing in this file)" if ref else ""
    raise ValidationException(f"{message}{detail}", node=self.node, file_name=self.filename)

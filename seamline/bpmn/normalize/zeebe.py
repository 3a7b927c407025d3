"""Camunda 8 extensions that stand for standard BPMN attributes, written as the standard ones.

Multi-instance collections: Camunda 8 writes a multi-instance activity's collection as an
extension::

    <bpmn:multiInstanceLoopCharacteristics>
      <bpmn:extensionElements>
        <zeebe:loopCharacteristics inputCollection="=items" inputElement="item"
                                   outputCollection="results" outputElement="=result"/>
      </bpmn:extensionElements>
    </bpmn:multiInstanceLoopCharacteristics>

Camunda 8 reference, multi-instance: "inputCollection: an expression that defines the
collection to iterate over"; "inputElement: the name of the variable to store the current
element"; "outputCollection: the name of the variable to store the collection of results";
"outputElement: an expression that defines the output element". BPMN's own elements say the
same with loopDataInputRef / inputDataItem / loopDataOutputRef / outputDataItem, which
SpiffWorkflow runs; without them it rejects the activity. A collection (or output element) that
is a plain variable name maps one to one; any other expression is a located error, never a
silently different loop.

Called processes: Camunda 8 names the process a call activity starts in
``<zeebe:calledElement processId="..."/>`` ("processId: the BPMN process id of the called
process"), and several tools write only that, not the standard ``calledElement`` attribute
SpiffWorkflow reads. A static id (or a FEEL string literal) is copied to the attribute; a process
chosen at run time by an expression is a located error.
"""

from __future__ import annotations

import re

from lxml import etree

from seamline.bpmn.flavours import bpmn
from seamline.bpmn.flavours.camunda8 import zeebe_child
from seamline.bpmn.normalize.base import Ctx, elements
from seamline.bpmn.problems import Severity

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LITERAL = re.compile(r'^"([^"\\]+)"$')


def _variable(text: str | None) -> str | None:
    """The variable a FEEL expression consists of ("=items" -> "items"), else None."""
    value = (text or "").strip().removeprefix("=").strip()
    return value if _NAME.match(value) else None


def _child(loop: etree._Element, tag: str, text: str | None = None, **attrs: str) -> None:
    el = etree.SubElement(loop, bpmn(tag), attrs)
    el.text = text


def _reject(ctx: Ctx, owner: etree._Element | None, message: str, hint: str) -> None:
    ctx.note(owner, "multi-instance-collection", message, Severity.ERROR, hint=hint)


def _translate(ctx: Ctx, loop: etree._Element, zeebe: etree._Element) -> None:
    owner = loop.getparent()
    oid = str(owner.get("id")) if owner is not None else "loop"
    source = zeebe.get("inputCollection")
    if source is None:
        return  # SpiffWorkflow reports the missing collection or cardinality at the activity
    # A FEEL expression other than a bare variable stays an expression ("=nested.items"):
    # the multi-instance body evaluates it when the activity starts.
    collection = _variable(source) or "=" + source.strip().removeprefix("=").strip()
    out_collection = zeebe.get("outputCollection")
    out_element = zeebe.get("outputElement")
    out_name = _variable(out_element) if out_element is not None else None
    if out_element is not None and out_name is None:
        out_name = "=" + out_element.strip().removeprefix("=").strip()
    if (out_collection is None) != (out_element is None):
        _reject(
            ctx, owner,
            f"multi-instance output element {out_element!r} into {out_collection!r} is not "
            "supported: give both",
            "set outputCollection and outputElement together",
        )  # fmt: skip
        return
    _child(loop, "loopDataInputRef", collection)
    if out_collection:
        _child(loop, "loopDataOutputRef", out_collection)
    item = zeebe.get("inputElement")
    if item:
        _child(loop, "inputDataItem", None, id=item, name=item)
    if out_name and out_name.startswith("="):
        _child(loop, "outputDataItem", None, name=out_name)
    elif out_name:
        _child(loop, "outputDataItem", None, id=out_name, name=out_name)
    ctx.keep(oid, "zeebeLoop", dict(zeebe.attrib))
    ctx.note(
        owner,
        "multi-instance-zeebe",
        f"multi-instance over {collection}" + (f" as {item}" if item else "")
        + (f", results in {out_collection}" if out_collection else ""),
    )  # fmt: skip


def _static_id(text: str) -> str | None:
    """The process id a zeebe processId names: plain, or a FEEL string literal; else None."""
    value = text.strip()
    if not value.startswith("="):
        return value or None
    literal = _LITERAL.match(value[1:].strip())
    return literal.group(1) if literal else None


def called_process(call: etree._Element) -> str | None:
    """The id of the process a call activity calls, read as normalization will read it."""
    attribute = (call.get("calledElement") or "").strip()
    if attribute:
        return attribute
    called = zeebe_child(call, "calledElement")
    process_id = called.get("processId") if called is not None else None
    return _static_id(process_id) if process_id else None


def zeebe_called_elements(ctx: Ctx) -> None:
    """Copy zeebe:calledElement processId to a call activity that lacks calledElement."""
    for call in ctx.root.iter(bpmn("callActivity")):
        if (call.get("calledElement") or "").strip():
            continue
        called = zeebe_child(call, "calledElement")
        process_id = called.get("processId") if called is not None else None
        if not process_id:
            continue  # SpiffWorkflow reports the call activity that names no process
        static = _static_id(process_id)
        if static is None:
            # Chosen at run time: every process loaded with it may be called (the engine
            # evaluates the expression when the call activity starts).
            call.set("calledElement", process_id.strip())
            ctx.note(call, "called-element-expression", f"calls the process {process_id!r} names")
            continue
        call.set("calledElement", static)
        ctx.note(call, "called-element-zeebe", f"calls process {static!r} (zeebe:calledElement)")


def zeebe_loops(ctx: Ctx) -> None:
    """Turn zeebe:loopCharacteristics into loopDataInputRef / inputDataItem and friends."""
    for loop in ctx.root.iter(bpmn("multiInstanceLoopCharacteristics")):
        if elements(loop, "loopCardinality", "loopDataInputRef"):
            continue
        zeebe = zeebe_child(loop, "loopCharacteristics")
        if zeebe is not None:
            _translate(ctx, loop, zeebe)

"""The room for rewriting a parsed BPMN tree before SpiffWorkflow parses it.

Modelers draw things BPMN allows but SpiffWorkflow 3.2.0 drops or rejects; each fix here turns
one of them into a shape it runs, and records a Problem saying what changed.

- :mod:`.fixes`: :func:`normalize`, the one entry point, and the fixes it applies in order
- :mod:`.base`: the shared context (:class:`Ctx`), the result (:class:`Normalized`) and the
  element tables (flow nodes, containers, gateways, reserved names)
- :mod:`.flows`: gateway conditions and implicit splits
- :mod:`.zeebe`: Camunda 8 loops and called elements
- :mod:`.compensation`: compensation boundary events, handlers and throws, rewritten into
  embedded subprocesses SpiffWorkflow runs (with :mod:`seamline.spiff.compensation`)

Exports :func:`normalize`, :class:`Normalized`, :func:`elements`, :func:`containers`,
:func:`called_process` and the element tables callers read.
"""

from seamline.bpmn.normalize.fixes import (
    CONTAINERS,
    FLOW_NODES,
    GATEWAYS,
    RESERVED_NAMES,
    Normalized,
    called_process,
    containers,
    elements,
    normalize,
)

__all__ = [
    "CONTAINERS",
    "FLOW_NODES",
    "GATEWAYS",
    "RESERVED_NAMES",
    "Normalized",
    "called_process",
    "containers",
    "elements",
    "normalize",
]

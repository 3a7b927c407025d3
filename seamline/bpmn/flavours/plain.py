"""Plain BPMN: no extension namespace; whatever no other flavour claims."""

from __future__ import annotations

from collections.abc import Set

from lxml import etree

from seamline.bpmn.flavours.base import PASS_THROUGH_TASKS, Flavour, FlavourStrategy


def _detects(used: Set[str], root: etree._Element) -> bool:
    return True


STRATEGY = FlavourStrategy(
    flavour=Flavour.PLAIN,
    namespace=None,
    prefix=None,
    detects=_detects,
    read_element=None,
    parser="PlainParser",
    expression_language="python",
    pass_through=PASS_THROUGH_TASKS,
)

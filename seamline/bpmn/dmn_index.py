"""The decisions a DMN file defines, read from the safe-parsed tree.

Evaluating them is seamline.dmn's job; loading only needs their ids and names.
"""

from __future__ import annotations

from lxml import etree

from seamline.bpmn.flavours import local, namespace

#: What validate reports as the "flavour" of a DMN file.
DMN_KIND = "dmn"


def is_dmn(root: etree._Element) -> bool:
    """Whether ``root`` is a DMN ``<definitions>`` element (any DMN version)."""
    return local(root.tag) == "definitions" and "dmn" in namespace(root.tag).lower()


def decisions_of(root: etree._Element) -> dict[str, tuple[str | None, int | None]]:
    """Decision id -> (name, line) for every ``<decision>`` in the file, in document order."""
    ns = namespace(root.tag)
    found: dict[str, tuple[str | None, int | None]] = {}
    for el in root.iter(f"{{{ns}}}decision"):
        if el.get("id"):
            found.setdefault(str(el.get("id")), (el.get("name"), el.sourceline))
    return found

"""Safe XML parsing: no entities, no DTDs, no network, a size limit, line numbers kept.

Every BPMN and DMN byte that enters seamline goes through :func:`parse_xml`. Diagrams come from
people and tools we do not control, so the parser refuses, rather than expands, anything that
could read files (XXE), reach the network (external DTDs) or explode in memory (billion laughs).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from seamline.errors import LoadError, UnsafeXmlError

#: Largest file accepted, in bytes. Real diagrams are a few hundred KiB at most.
MAX_XML_BYTES = 10 * 1024 * 1024

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def read_bytes(path: str | Path) -> bytes:
    """Read a diagram file, refusing files over :data:`MAX_XML_BYTES` before reading them whole."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError as exc:
        raise LoadError("file not found", code="file-not-found", file=str(path)) from exc
    except OSError as exc:
        raise LoadError(
            f"cannot read the file: {exc.strerror}", code="io-error", file=str(path)
        ) from exc
    if size > MAX_XML_BYTES:
        raise UnsafeXmlError(
            f"file is {size // (1024 * 1024)} MiB; "
            f"the limit is {MAX_XML_BYTES // (1024 * 1024)} MiB",
            code="xml-too-large",
            file=str(path),
        )
    try:
        # Bounded: a device or pipe (/dev/zero) reports size 0 and never ends.
        with p.open("rb") as fh:
            data = fh.read(MAX_XML_BYTES + 1)
    except OSError as exc:
        raise LoadError(
            f"cannot read the file: {exc.strerror}", code="io-error", file=str(path)
        ) from exc
    if len(data) > MAX_XML_BYTES:
        raise UnsafeXmlError(
            f"file is over the limit of {MAX_XML_BYTES // (1024 * 1024)} MiB",
            code="xml-too-large",
            file=str(path),
        )
    return data


def parse_xml(data: bytes, file: str) -> etree._Element:
    """Parse ``data`` (named ``file`` in messages) into an element tree, or raise a LoadError."""
    if len(data) > MAX_XML_BYTES:
        raise UnsafeXmlError(
            f"file is {len(data) // (1024 * 1024)} MiB; the limit is "
            f"{MAX_XML_BYTES // (1024 * 1024)} MiB",
            code="xml-too-large",
            file=file,
        )
    if not data.strip():
        raise LoadError("file is empty", code="xml-empty", file=file, hint="expected BPMN 2.0 XML")
    # DTDs have no place in BPMN or DMN; refusing them outright closes XXE, external DTD and
    # entity-expansion attacks before lxml sees a byte.
    match = _DOCTYPE.search(data[:65536]) or _DOCTYPE.search(data)
    if match:
        line: int | None = data[: match.start()].count(b"\n") + 1
        raise UnsafeXmlError(
            "document type declarations and entities are refused (XXE / entity expansion)",
            code="xml-unsafe",
            file=file,
            line=line,
            hint="remove the <!DOCTYPE>/<!ENTITY> declaration",
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else None)
        message = str(exc.msg or exc).split(", line ")[0]
        raise LoadError(
            f"not well-formed XML: {message}",
            code="xml-syntax",
            file=file,
            line=line,
            hint="is this a BPMN/DMN file?",
        ) from exc
    except ValueError as exc:  # e.g. unicode strings with an encoding declaration
        raise LoadError(f"cannot parse XML: {exc}", code="xml-syntax", file=file) from exc
    if root is None:
        raise LoadError("no XML document found", code="xml-empty", file=file)
    return root

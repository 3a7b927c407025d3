"""Which files beside a diagram belong with it: its DMN tables and the processes it calls."""

from __future__ import annotations

from pathlib import Path

from seamline.bpmn.xml import parse_xml, read_bytes
from seamline.errors import LoadError

_BPMN_SUFFIXES = (".bpmn", ".bpmn20.xml", ".bpmn2")


def _scan(path: Path) -> tuple[set[str], set[str]]:
    """(process ids defined, process ids called) by one BPMN file; empty if unreadable."""
    try:
        root = parse_xml(read_bytes(path), str(path))
    except LoadError:
        return set(), set()
    defined: set[str] = set()
    called: set[str] = set()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        local = el.tag.rsplit("}", 1)[-1]
        if local == "process" and el.get("id"):
            defined.add(str(el.get("id")))
        elif local == "callActivity" and el.get("calledElement"):
            called.add(str(el.get("calledElement")).split(":")[-1])
    return defined, called


def _stem(path: Path) -> str:
    name = path.name
    for suffix in _BPMN_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def companions(path: str | Path) -> list[Path]:
    """DMN files in the diagram's folder, and the BPMN files there defining processes it calls
    (transitively). A called process defined in several files is taken from none of them: the
    caller must name the files explicitly."""
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        return []
    found = sorted(p for p in folder.glob("*.dmn") if p.is_file())
    others = [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and p != target and p.name.lower().endswith(_BPMN_SUFFIXES)
    ]
    scanned = {p: _scan(p) for p in others}
    _, wanted = _scan(target)
    chosen: list[Path] = []
    seen: set[str] = set()
    while wanted - seen:
        name = sorted(wanted - seen)[0]
        seen.add(name)
        owners = [p for p, (defined, _) in scanned.items() if name in defined]
        if len(owners) > 1:  # several files define it: only one named after it is a clear choice
            owners = [p for p in owners if _stem(p) == name]
        if len(owners) == 1 and owners[0] not in chosen:
            chosen.append(owners[0])
            wanted |= scanned[owners[0]][1]
    return found + chosen

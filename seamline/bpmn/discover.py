"""Which files beside a diagram belong with it: its DMN tables, the processes it calls and the
form files its user tasks link."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from seamline.bpmn.flavours import read_extensions
from seamline.bpmn.form_links import FormLink, form_id_of, is_form_name, link_of
from seamline.bpmn.xml import parse_xml, read_bytes
from seamline.errors import LoadError

_BPMN_SUFFIXES = (".bpmn", ".bpmn20.xml", ".bpmn2")


def _scan(path: Path) -> tuple[set[str], set[str], list[FormLink]]:
    """(process ids defined, process ids called, form links of user tasks) by one BPMN file;
    empty if unreadable."""
    try:
        root = parse_xml(read_bytes(path), str(path))
    except LoadError:
        return set(), set(), []
    defined: set[str] = set()
    called: set[str] = set()
    links: list[FormLink] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        local = el.tag.rsplit("}", 1)[-1]
        if local == "process" and el.get("id"):
            defined.add(str(el.get("id")))
        elif local == "callActivity" and el.get("calledElement"):
            called.add(str(el.get("calledElement")).split(":")[-1])
        elif local == "userTask":
            link = link_of(read_extensions(el))
            if link is not None:
                links.append(link)
    return defined, called, links


def _form_files(folder: Path, links: list[FormLink]) -> list[Path]:
    """The files in ``folder`` the links name: by relative path, or ``*.form`` files by id."""
    found: list[Path] = []
    ids: dict[str, list[Path]] | None = None
    for link in links:
        if link.by == "id":
            if ids is None:  # read the .form files once, and only if some task needs an id
                ids = {}
                for p in sorted(folder.glob("*.form")):
                    form_id = form_id_of(_bytes(p))
                    if form_id is not None:
                        ids.setdefault(form_id, []).append(p)
            # Several files with one id all come along, so loading says which clash.
            candidates = ids.get(link.value, [])
        else:
            candidates = [folder / name for name in (link.value, link.ui) if name]
        found.extend(p for p in candidates if p.is_file() and p not in found)
    return found


def _bytes(path: Path) -> bytes:
    try:
        return read_bytes(path)
    except LoadError:
        return b""


def linked_forms(path: str | Path) -> list[Path]:
    """The form files beside a diagram that its user tasks link (missing ones are left out:
    loading reports them on the task)."""
    target = Path(path)
    return _form_files(target.parent, _scan(target)[2]) if target.parent.is_dir() else []


def _stem(path: Path) -> str:
    name = path.name
    for suffix in _BPMN_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def companions(path: str | Path) -> list[Path]:
    """DMN files in the diagram's folder, the BPMN files there defining processes it calls
    (transitively), and the form files these diagrams link. A called process defined in several
    files is taken from none of them: the caller must name the files explicitly."""
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
    _, wanted, links = _scan(target)
    chosen: list[Path] = []
    seen: set[str] = set()
    while wanted - seen:
        name = sorted(wanted - seen)[0]
        seen.add(name)
        owners = [p for p, (defined, _, _) in scanned.items() if name in defined]
        if len(owners) > 1:  # several files define it: only one named after it is a clear choice
            owners = [p for p in owners if _stem(p) == name]
        if len(owners) == 1 and owners[0] not in chosen:
            chosen.append(owners[0])
            wanted |= scanned[owners[0]][1]
            links.extend(scanned[owners[0]][2])
    return found + chosen + _form_files(folder, links)


def with_linked_forms(paths: Sequence[str | Path]) -> list[str | Path]:
    """``paths`` followed by the form files their diagrams link beside them (each once)."""
    given = {str(p) for p in paths}
    out: list[str | Path] = list(paths)
    for path in paths:
        if is_form_name(str(path)):
            continue
        for form in linked_forms(path):
            if str(form) not in given:
                given.add(str(form))
                out.append(form)
    return out

"""ProcessDefinition: what the engine runs, identified by the hash of the files it came from."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from seamline.bpmn.flavours import Flavour
from seamline.bpmn.problems import Problem, Severity
from seamline.spiff import BpmnProcessSpec


@dataclass(frozen=True)
class ElementInfo:
    """What the diagram says about one element, keyed by the id as drawn in the file."""

    id: str
    spec_name: str
    type: str
    name: str | None
    process_id: str
    file: str
    line: int | None
    lane: str | None
    extensions: Mapping[str, Any]
    incoming: tuple[str, ...]
    outgoing: tuple[str, ...]
    #: The flavour of the file the element was drawn in (a called process may be another's).
    flavour: Flavour = Flavour.PLAIN


@dataclass(frozen=True)
class ProcessDefinition:
    """One executable process with everything it needs to run, as loaded from its files."""

    process_id: str
    name: str | None
    flavour: Flavour
    content_hash: str
    sources: Mapping[str, bytes]
    spec: BpmnProcessSpec
    subprocess_specs: Mapping[str, BpmnProcessSpec]
    elements: Mapping[str, ElementInfo]
    decisions: Mapping[str, str]
    problems: tuple[Problem, ...]
    file: str = ""
    #: The elements of each process (this one and those it calls) by id: two processes may use
    #: the same element id, which :attr:`elements` (one flat mapping) cannot tell apart.
    scoped: Mapping[str, Mapping[str, ElementInfo]] = field(default_factory=dict, compare=False)
    _by_spec: dict[str, ElementInfo] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_spec.update({e.spec_name: e for e in self.elements.values()})

    def element_for_spec(self, spec_name: str) -> ElementInfo | None:
        """The element a SpiffWorkflow task spec name stands for (None for internal tasks)."""
        return self._by_spec.get(spec_name)

    def element_in(self, process_id: str, spec_name: str) -> ElementInfo | None:
        """The element a task spec of the top-level process ``process_id`` stands for."""
        for info in self.scoped.get(process_id, {}).values():
            if info.spec_name == spec_name:
                return info
        return self.element_for_spec(spec_name)

    def dmn_sources(self) -> dict[str, bytes]:
        """The DMN files loaded with this process (decision id -> file in :attr:`decisions`)."""
        files = set(self.decisions.values())
        return {name: data for name, data in self.sources.items() if name in files}


@dataclass(frozen=True)
class FileReport:
    """How one file fared: which processes it gave, and what was found in it."""

    file: str
    ok: bool
    flavour: str | None
    processes: tuple[str, ...]
    problems: tuple[Problem, ...]
    kind: str = "bpmn"  # or "dmn"
    decisions: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The object `seamline validate --json` prints for this file."""
        data: dict[str, Any] = {
            "file": self.file,
            "ok": self.ok,
            "flavour": self.flavour,
            "processes": list(self.processes),
            "problems": [p.to_json() for p in self.problems],
        }
        if self.kind == "dmn":
            data["kind"] = "dmn"
            data["decisions"] = list(self.decisions)
        return data


@dataclass(frozen=True)
class Bundle:
    """The result of loading several files together."""

    definitions: Mapping[str, ProcessDefinition]
    problems: tuple[Problem, ...]
    files: tuple[FileReport, ...]

    @property
    def ok(self) -> bool:
        """True when no file had an error-level problem."""
        return all(p.severity is not Severity.ERROR for p in self.problems)


def content_hash(sources: Mapping[str, bytes]) -> str:
    """sha256 over every file's name and bytes, in name order (length-prefixed, unambiguous)."""
    digest = hashlib.sha256()
    for name in sorted(sources):
        encoded = name.encode("utf-8", "surrogateescape")
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
        digest.update(len(sources[name]).to_bytes(8, "big") + sources[name])
    return digest.hexdigest()

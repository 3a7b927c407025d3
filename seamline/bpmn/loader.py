"""Files -> ProcessDefinitions: parse once, normalize, hand to SpiffWorkflow, check completeness.

Loading never raises for a bad file (:func:`load_files`, :func:`load_sources`): what went wrong
becomes located problems in the returned :class:`Bundle`. :func:`load_definition` raises a
:class:`~seamline.errors.LoadError` when the requested process cannot load.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lxml import etree

from seamline.bpmn import elements as element_info
from seamline.bpmn.definition import Bundle, ElementInfo, FileReport, ProcessDefinition
from seamline.bpmn.definition import content_hash as hash_sources
from seamline.bpmn.deploy_checks import deploy_checks
from seamline.bpmn.dmn_index import DMN_KIND, decisions_of, is_dmn
from seamline.bpmn.flavours import BPMN_NS, Flavour, bpmn, detect_flavour, local, namespace
from seamline.bpmn.flavours.listeners import listener_problems
from seamline.bpmn.form_links import form_file_report, form_problems, is_form_name
from seamline.bpmn.normalize import FLOW_NODES, Normalized, elements, normalize
from seamline.bpmn.normalize.compensation import wiring as compensation_wiring
from seamline.bpmn.problems import Problem, Severity
from seamline.bpmn.validate import missing, parse_hint, unsupported
from seamline.bpmn.xml import parse_xml, read_bytes
from seamline.errors import LoadError, MissingDecisionRef
from seamline.spiff import BpmnParser, BpmnProcessSpec, SubWorkflowTask, ValidationException
from seamline.spiff import install as install_spiff
from seamline.spiff.compensation import wire as wire_compensation
from seamline.spiff.parsers import parser_for
from seamline.spiff.specs import DecisionTask

log = logging.getLogger(__name__)


def _chosen_at_run_time(called: str) -> bool:
    """A called element that is an expression (``${...}``, ``#{...}``, FEEL ``=...``)."""
    text = called.strip()
    return "${" in text or "#{" in text or text.startswith("=")


@dataclass
class _File:
    name: str
    root: etree._Element
    flavour: Flavour
    norm: Normalized
    parser: BpmnParser | None = None
    problems: list[Problem] = field(default_factory=list)
    infos: dict[str, dict[str, ElementInfo]] = field(default_factory=dict)
    processes: dict[str, etree._Element] = field(default_factory=dict)
    loaded: list[str] = field(default_factory=list)

    def line_of(self, element: str | None) -> int | None:
        element = (element or "").removesuffix(" [child]")
        for infos in self.infos.values():
            for info in infos.values():
                if element in (info.id, info.spec_name):
                    return info.line
        return None

    def original(self, spec_name: str | None) -> str | None:
        back = {v: k for k, v in self.norm.renamed.items()}
        spec_name = (spec_name or "").removesuffix(" [child]")  # multi-instance inner task
        return back.get(spec_name or "", spec_name) or None


def problem_from(file: str, exc: BaseException, code: str = "internal-error") -> Problem:
    if isinstance(exc, LoadError):
        ctx = exc.context
        return Problem(
            file,
            ctx.get("line"),
            ctx.get("element"),
            Severity.ERROR,
            exc.code,
            exc.message,
            exc.hint,
        )
    text = " ".join(str(exc).split()) or type(exc).__name__
    return Problem(
        file, None, None, Severity.ERROR, code, f"unexpected {type(exc).__name__}: {text}",
        "please report this with the file",
    )  # fmt: skip


def _inside(f: _File, pid: str, problem: Problem) -> bool:
    return problem.severity is Severity.ERROR and problem.element in f.infos.get(pid, {})


def _downgrade(problem: Problem, pid: str) -> Problem:
    # Descriptive (non-executable) processes are not run, so what would stop them is only noted.
    return replace(
        problem,
        severity=Severity.WARNING,
        message=f"{problem.message} (in non-executable process {pid})",
    )


class _Loader:
    def __init__(self, sources: Mapping[str, bytes]) -> None:
        install_spiff()  # the flavour parsers build on the patched library (load without App)
        self.sources = dict(sources)
        self.files: dict[str, _File] = {}
        self.reports: list[FileReport] = []
        self.decisions: dict[str, str] = {}
        self.decision_names: dict[str, str | None] = {}
        self.registry: dict[str, _File] = {}
        self.specs: dict[str, BpmnProcessSpec | Problem] = {}
        self.definitions: dict[str, ProcessDefinition] = {}
        self.hash = hash_sources(self.sources)

    # -- reading ------------------------------------------------------------------------------

    def read(self) -> None:
        dmn_reports: list[FileReport] = []
        for name in sorted(self.sources):
            if is_form_name(name):  # form files travel with the diagrams that link them
                self.reports.append(form_file_report(name, self.sources[name]))
                continue
            try:
                root = parse_xml(self.sources[name], name)
            except Exception as exc:
                self.reports.append(FileReport(name, False, None, (), (problem_from(name, exc),)))
                continue
            if is_dmn(root):
                dmn_reports.append(self._read_dmn(name, root))
            elif namespace(root.tag) == BPMN_NS and local(root.tag) == "definitions":
                try:
                    self._read_bpmn(name, root)
                except Exception as exc:
                    self.reports.append(
                        FileReport(name, False, None, (), (problem_from(name, exc),))
                    )
            else:
                problem = Problem(
                    name, root.sourceline, None, Severity.ERROR, "not-bpmn",
                    f"root element {local(root.tag)!r} is neither BPMN 2.0 nor DMN definitions",
                    f"expected <definitions xmlns=\"{BPMN_NS}\">",
                )  # fmt: skip
                self.reports.append(FileReport(name, False, None, (), (problem,)))
        self.reports.extend(dmn_reports)

    def _read_dmn(self, name: str, root: etree._Element) -> FileReport:
        problems: list[Problem] = []
        found = decisions_of(root)
        for did, (dname, line) in found.items():
            if did in self.decisions:
                problems.append(
                    Problem(name, line, did, Severity.ERROR, "duplicate-decision",
                            f"decision {did!r} is also defined in {self.decisions[did]}",
                            "give each decision a unique id")
                )  # fmt: skip
                continue
            self.decisions[did] = name
            self.decision_names[did] = dname
        if not found:
            problems.append(
                Problem(name, root.sourceline, None, Severity.WARNING, "dmn-empty",
                        "DMN file defines no decision")
            )  # fmt: skip
        ok = not any(p.severity is Severity.ERROR for p in problems)
        return FileReport(name, ok, DMN_KIND, (), tuple(problems), "dmn", tuple(found))

    def _read_bpmn(self, name: str, root: etree._Element) -> None:
        flavour = detect_flavour(root)
        bad = unsupported(root, name) + deploy_checks(root, name, flavour)
        bad += listener_problems(root, name)
        norm = normalize(root, name)
        f = _File(name, root, flavour, norm, problems=bad + norm.problems)
        f.infos = element_info.collect(root, name, norm, flavour)
        for infos in f.infos.values():
            f.problems.extend(form_problems(name, infos.values(), self.sources))
        self.files[name] = f
        for process in root.iter(bpmn("process")):
            pid = str(process.get("id"))
            if process.get("isExecutable") == "false":
                f.problems = [_downgrade(p, pid) if _inside(f, pid, p) else p for p in f.problems]
                f.problems.append(
                    Problem(name, process.sourceline, pid, Severity.INFO, "not-executable",
                            "process is not executable (isExecutable=\"false\"); skipped")
                )  # fmt: skip
                continue
            if not elements(process, *FLOW_NODES):
                f.problems.append(
                    Problem(name, process.sourceline, pid, Severity.INFO, "empty-process",
                            "process has no flow elements; skipped")
                )  # fmt: skip
                continue
            if pid in self.registry:
                f.problems.append(
                    Problem(name, process.sourceline, pid, Severity.ERROR, "duplicate-process",
                            f"process {pid!r} is also defined in {self.registry[pid].name}",
                            "give each process a unique id")
                )  # fmt: skip
                continue
            self.registry[pid] = f
            f.processes[pid] = process
        parser = parser_for(flavour)
        try:
            parser.add_bpmn_xml(root, filename=name)
        except ValidationException as exc:
            f.problems.append(self._validation(f, exc))
            f.processes.clear()
            return
        f.parser = parser

    # -- parsing ------------------------------------------------------------------------------

    def _validation(self, f: _File, exc: ValidationException) -> Problem:
        spec_name = getattr(exc, "id", "") or None
        element = f.original(spec_name)
        code = (
            "decision-ref-missing"
            if isinstance(exc.__cause__, MissingDecisionRef)
            else "parse-error"
        )
        message = " ".join(str(exc.args[0] if exc.args else exc).split())
        tag = getattr(exc, "tag", "")
        if tag and code == "parse-error":
            message = f"{tag}: {message}"
        hint = (
            "add a decisionRef / called decision id"
            if code == "decision-ref-missing"
            else parse_hint(message)
        )
        return Problem(f.name, f.line_of(spec_name), element, Severity.ERROR, code, message, hint)

    def spec(self, pid: str, want: set[str] | None = None) -> BpmnProcessSpec | Problem:
        """The spec of a top-level process, parsed once; a Problem if it cannot be parsed."""
        if pid in self.specs:
            return self.specs[pid]
        f = self.registry[pid]
        if f.parser is None:
            return Problem(f.name, None, pid, Severity.ERROR, "parse-error",
                           f"the file defining process {pid!r} could not be parsed")  # fmt: skip
        try:
            result: BpmnProcessSpec | Problem = f.parser.get_spec(pid)
        except ValidationException as exc:
            result = self._validation(f, exc)
        except Exception as exc:
            result = problem_from(f.name, exc)
            result = Problem(f.name, f.processes[pid].sourceline, pid, Severity.ERROR,
                             result.code, result.message, result.hint)  # fmt: skip
        self.specs[pid] = result
        return result

    def _subprocesses(
        self,
        f: _File,
        spec: BpmnProcessSpec,
        out: dict[str, BpmnProcessSpec],
        errors: list[Problem],
    ) -> None:
        for task in list(spec.task_specs.values()):
            if not isinstance(task, SubWorkflowTask) or task.spec in out:
                continue
            target = task.spec
            if _chosen_at_run_time(target):
                # Any process loaded may be the one it calls: all of them come along.
                for pid in sorted(set(self.registry) - set(out)):
                    sub_spec = self.spec(pid)
                    if not isinstance(sub_spec, Problem):
                        out[pid] = sub_spec
                        self._subprocesses(self.registry[pid], sub_spec, out, errors)
                continue
            sub: BpmnProcessSpec | Problem | None = None
            parsers = f.parser.process_parsers if f.parser is not None else {}
            inline = parsers.get(target)
            if inline is not None and target not in f.processes:
                try:
                    sub = inline.get_spec()
                except ValidationException as exc:
                    sub = self._validation(f, exc)
                owner = f
            elif target in self.registry:
                owner = self.registry[target]
                sub = self.spec(target) if owner.parser is not None else None
                blocking = [
                    p for p in owner.problems
                    if p.severity is Severity.ERROR and self._in(owner, target, p)
                ]  # fmt: skip
                if blocking:
                    errors.extend(blocking)
                    continue
            if sub is None:
                line = f.line_of(task.name)
                errors.append(
                    Problem(f.name, line, f.original(task.name), Severity.ERROR,
                            "called-process-not-found",
                            f"call activity calls process {target!r}, which is not among the "
                            "files loaded", "load the file that defines it together with this one")
                )  # fmt: skip
                continue
            if isinstance(sub, Problem):
                errors.append(sub)
                continue
            out[target] = sub
            self._subprocesses(owner, sub, out, errors)

    def build(self, pid: str) -> ProcessDefinition | list[Problem]:
        f = self.registry[pid]
        process = f.processes[pid]
        errors = [p for p in f.problems if p.severity is Severity.ERROR and self._in(f, pid, p)]
        if errors:
            return errors
        spec = self.spec(pid)
        if isinstance(spec, Problem):
            return [spec]
        subs: dict[str, BpmnProcessSpec] = {}
        self._subprocesses(f, spec, subs, errors)
        names = set(spec.task_specs)
        for sub in subs.values():
            names.update(sub.task_specs)
        for el in [] if errors else missing(process, names):  # a subprocess did not parse
            errors.append(
                Problem(f.name, el.sourceline, f.original(el.get("id")), Severity.ERROR,
                        "element-dropped", f"{local(el.tag)} would be dropped by the parser",
                        "please report this diagram")
            )  # fmt: skip
        all_specs = [spec, *subs.values()]
        self._wire_compensation(f, subs, all_specs)
        for s in all_specs:
            for task in s.task_specs.values():
                ref = getattr(task, "decision_ref", None)
                if isinstance(task, DecisionTask) and ref not in self.decisions:
                    owner = self.registry.get(s.name, f)
                    errors.append(
                        Problem(owner.name, owner.line_of(task.name), owner.original(task.name),
                                Severity.ERROR, "decision-not-found",
                                f"decision {ref!r} is not defined in any DMN file loaded",
                                "load the DMN file that defines it together with this one")
                    )  # fmt: skip
        if errors:
            return errors
        infos: dict[str, ElementInfo] = dict(f.infos.get(pid, {}))
        called = [t for t in subs if t in self.registry]
        scoped = {pid: dict(f.infos.get(pid, {}))}
        for target in called:
            infos.update(self.registry[target].infos.get(target, {}))
            scoped.setdefault(target, dict(self.registry[target].infos.get(target, {})))
        problems = [p for p in f.problems if self._in(f, pid, p)]
        return ProcessDefinition(
            process_id=pid,
            name=process.get("name"),
            flavour=f.flavour,
            content_hash=self.hash,
            sources=self.sources,
            spec=spec,
            subprocess_specs=subs,
            elements=infos,
            decisions=dict(self.decisions),
            problems=tuple(problems),
            file=f.name,
            scoped=scoped,
        )

    def _wire_compensation(
        self, f: _File, subs: Mapping[str, BpmnProcessSpec], specs: list[BpmnProcessSpec]
    ) -> None:
        """Compensation's record and throws, for this file's and every called file's specs."""
        files = {f.name: f}
        files.update({self.registry[t].name: self.registry[t] for t in subs if t in self.registry})
        handlers: dict[str, str] = {}
        boxes: list[etree._Element] = []
        for owner in files.values():
            handlers.update(compensation_wiring(owner.norm.kept))
            boxes.extend(owner.root.iter(bpmn("subProcess"), bpmn("transaction")))
        if not handlers:
            return
        events = [str(e.get("id")) for e in boxes if e.get("triggeredByEvent") == "true"]
        scopes = [str(e.get("id")) for e in boxes if str(e.get("id")) not in events]
        wire_compensation(specs, handlers, scopes, events)

    @staticmethod
    def _in(f: _File, pid: str, problem: Problem) -> bool:
        if problem.element is None or problem.element == pid:
            return True
        if problem.element in f.infos.get(pid, {}):
            return True
        return not any(problem.element in infos for infos in f.infos.values())

    def run(self) -> Bundle:
        self.read()
        for name, f in self.files.items():
            problems = list(f.problems)
            for pid in list(f.processes):
                try:
                    result: ProcessDefinition | list[Problem] = self.build(pid)
                except Exception as exc:
                    result = [problem_from(name, exc)]
                if isinstance(result, ProcessDefinition):
                    self.definitions[pid] = result
                    f.loaded.append(pid)
                else:
                    problems.extend(p for p in result if p not in problems)
            ok = not any(p.severity is Severity.ERROR for p in problems)
            report = FileReport(name, ok, f.flavour.value, tuple(f.loaded), tuple(problems))
            self.reports.append(report)
        order = {name: i for i, name in enumerate(sorted(self.sources))}
        # Form files last: a broken one is reported first on the user task that links it.
        reports = sorted(
            self.reports, key=lambda r: (r.kind == "form", order.get(r.file, len(order)))
        )
        all_problems = tuple(p for r in reports for p in r.problems)
        return Bundle(self.definitions, all_problems, tuple(reports))


def load_sources(sources: Mapping[str, bytes]) -> Bundle:
    """Load files given as name -> bytes together; bad files become problems, never exceptions."""
    bundle = _Loader(sources).run()
    log.debug("loaded", extra={"files": sorted(sources), "problems": len(bundle.problems)})
    return bundle


def load_files(paths: Sequence[str | Path]) -> Bundle:
    """Load files from disk together (names as given); unreadable files become problems."""
    sources: dict[str, bytes] = {}
    unreadable: list[FileReport] = []
    for path in paths:
        name = str(path)
        try:
            sources[name] = read_bytes(path)
        except LoadError as exc:
            unreadable.append(FileReport(name, False, None, (), (problem_from(name, exc),)))
    bundle = load_sources(sources)
    if not unreadable:
        return bundle
    files = (*unreadable, *bundle.files)
    problems = tuple(p for r in files for p in r.problems)
    return Bundle(bundle.definitions, problems, files)


def load_definition(sources: Mapping[str, bytes], process_id: str) -> ProcessDefinition:
    """Load one process from stored sources, or raise LoadError carrying every problem found."""
    bundle = load_sources(sources)
    definition = bundle.definitions.get(process_id)
    if definition is not None:
        return definition
    errors = [p for p in bundle.problems if p.severity is Severity.ERROR]
    first: Any = errors[0] if errors else None
    if first is None:
        known = ", ".join(sorted(bundle.definitions)) or "none"
        raise LoadError(
            f"process {process_id!r} is not defined in the files given (executable: {known})",
            code="process-not-found",
            problems=list(bundle.problems),
            element=process_id,
        )
    raise LoadError(
        f"process {process_id!r} cannot be loaded: {first.message}",
        code=first.code,
        problems=list(bundle.problems),
        file=first.file,
        line=first.line,
        element=first.element,
        hint=first.hint,
    )

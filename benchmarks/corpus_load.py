"""Corpus figures: seamline's loader side by side with plain SpiffWorkflow 3.2.0.

Run: .venv/bin/python benchmarks/corpus_load.py [CORPUS_DIR]

Stock SpiffWorkflow is used the naive way: each file is given to CamundaParser, SpiffBpmnParser
and BpmnParser in turn; the first that yields specs for all executable processes wins. A spec is
*complete* when every element reachable from a start event in the XML is in it.
"""

from __future__ import annotations

import collections
import contextlib
import sys
import time
import warnings
from pathlib import Path

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from seamline.bpmn.check import check_files
from seamline.bpmn.flavours import bpmn
from seamline.bpmn.normalize import FLOW_NODES, elements
from seamline.bpmn.validate import reachable
from seamline.bpmn.xml import parse_xml, read_bytes

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def is_bpmn(path: Path) -> bool:
    """Whether a corpus file is a BPMN diagram."""
    return path.suffix == ".bpmn" or path.name.endswith(".bpmn20.xml")


def executable(path: Path, marked: bool = False) -> set[str]:
    """Ids of the executable, non-empty processes in a file (empty if it cannot be read).

    With ``marked``, only when every one of them says isExecutable="true": Camunda 7 does not
    deploy a process without the attribute (BpmnParse: ``isExecutable = !deployment.isNew()``).
    """
    try:
        root = parse_xml(read_bytes(path), str(path))
    except Exception:
        return set()
    found = [
        p
        for p in root.iter(bpmn("process"))
        if p.get("isExecutable") != "false" and elements(p, *FLOW_NODES)
    ]
    if marked and any(p.get("isExecutable") != "true" for p in found):
        return set()
    return {str(p.get("id")) for p in found}


def stock(path: Path, folder_files: list[Path]) -> str:
    """'complete', 'incomplete', 'rejected' or 'crashed' for plain SpiffWorkflow."""
    outcome = "rejected"
    for cls in (CamundaParser, SpiffBpmnParser, BpmnParser):
        try:
            parser = cls()
            parser.add_bpmn_file(str(path))
            for other in folder_files:
                if other != path:
                    with contextlib.suppress(Exception):
                        parser.add_bpmn_file(str(other))
            root = parse_xml(read_bytes(path), str(path))
            complete = True
            for process in root.iter(bpmn("process")):
                pid = str(process.get("id"))
                if process.get("isExecutable") == "false" or not elements(process, *FLOW_NODES):
                    continue
                spec = parser.get_spec(pid)
                subs = parser.get_subprocess_specs(pid)
                names = set(spec.task_specs)
                for sub in subs.values():
                    names.update(sub.task_specs if sub is not None else ())
                if reachable(process) - names:
                    complete = False
            return "complete" if complete else "incomplete"
        except ValidationException:
            continue
        except Exception:
            outcome = "crashed"
    return outcome


def main() -> None:
    """Print the figures."""
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    warnings.simplefilter("ignore")
    folders = sorted({p.parent for p in corpus.rglob("*") if is_bpmn(p)})
    seam: collections.Counter[str] = collections.Counter()
    plain: collections.Counter[str] = collections.Counter()
    reasons: collections.Counter[str] = collections.Counter()
    marked: collections.Counter[str] = collections.Counter()
    started = time.perf_counter()
    for folder in folders:
        files = sorted(p for p in folder.iterdir() if is_bpmn(p))
        group = corpus / folder.relative_to(corpus).parts[0]
        reports = {r.file: r for r in check_files([*files, *sorted(group.rglob("*.dmn"))])}
        for path in files:
            if not executable(path):
                continue
            report = reports[str(path)]
            codes = {p.code for p in report.problems}
            if executable(path, marked=True):
                marked["files"] += 1
                marked["complete"] += int(report.ok and "internal-error" not in codes)
            if "internal-error" in codes or "element-dropped" in codes:
                seam["crashed"] += 1
            elif report.ok:
                seam["complete"] += 1
            else:
                seam["rejected"] += 1
                reasons.update({p.code for p in report.problems if p.severity == "error"})
            plain[stock(path, files)] += 1
    total = sum(seam.values())
    print(f"corpus: {corpus}  files with an executable process: {total}")
    print(f"{'outcome':<28}{'seamline':>10}{'SpiffWorkflow':>16}")
    for key, label in (
        ("complete", "loaded complete"),
        ("incomplete", "loaded silently incomplete"),
        ("rejected", "rejected (located error)"),
        ("crashed", "crashed / unlocated"),
    ):
        print(f"{label:<28}{seam[key]:>10}{plain[key]:>16}")
    share = 100 * seam["complete"] / total if total else 0.0
    print(f"seamline loads {share:.1f}% complete; {time.perf_counter() - started:.1f} s")
    if marked["files"]:
        print(
            f'of the {marked["files"]} files whose processes all say isExecutable="true", '
            f"{marked['complete']} load complete "
            f"({100 * marked['complete'] / marked['files']:.1f}%)"
        )
    print("seamline's rejections by error code (a file counts once under each of its codes):")
    for code, count in reasons.most_common():
        print(f"  {code:<30}{count:>4}")


if __name__ == "__main__":
    main()

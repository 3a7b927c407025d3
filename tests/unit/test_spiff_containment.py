"""SpiffWorkflow is reached only through seamline.spiff, and patched only by install()."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import seamline

PACKAGE = Path(seamline.__file__).resolve().parent

# Every attribute of SpiffWorkflow that install() replaces, named independently of PATCHES.
PATCHED = [
    ("SpiffWorkflow.bpmn.specs.event_definitions.timer", None, "datetime"),
    ("SpiffWorkflow.bpmn.util.event", "EventManager", "catch"),
    ("SpiffWorkflow.task", "Task", "collect_log_extras"),
    ("SpiffWorkflow.workflow", "Workflow", "collect_log_extras"),
    ("SpiffWorkflow.task", "Task", "_set_state"),
    ("SpiffWorkflow.bpmn.parser.event_parsers", "EventDefinitionParser", "parse_timer_event"),
    ("SpiffWorkflow.bpmn.specs.control", "BoundaryEventJoin", "_check_threshold_structured"),
    ("SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event", "CodeEventDefinition", "throw"),
    ("SpiffWorkflow.bpmn.parser.event_parsers", "EventDefinitionParser", "parse_error_event"),
    ("SpiffWorkflow.bpmn.parser.event_parsers", "EventDefinitionParser", "parse_escalation_event"),
    ("SpiffWorkflow.bpmn.parser.node_parser", "NodeParser", "raise_validation_exception"),
    (
        "SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event",
        "BoundaryEvent",
        "_on_ready_hook",
    ),
    (
        "SpiffWorkflow.bpmn.specs.event_definitions.conditional",
        "ConditionalEventDefinition",
        "has_fired",
    ),
    ("SpiffWorkflow.bpmn.parser.TaskParser", "TaskParser", "_add_multiinstance_task"),
    ("SpiffWorkflow.camunda.parser.task_spec", "CamundaTaskParser", "_add_multiinstance_task"),
    ("SpiffWorkflow.task", "Task", "_inherit_data"),
]


def _spiff_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [
            f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {n}"
            for n in names
            if n == "SpiffWorkflow" or n.startswith("SpiffWorkflow.")
        ]
    return found


def test_only_seamline_spiff_imports_spiffworkflow() -> None:
    offenders: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).parts[0] == "spiff":
            continue
        offenders += _spiff_imports(path)
    assert offenders == []


def test_the_check_sees_an_import() -> None:
    # The walk above would pass vacuously if it never recognised an import.
    assert _spiff_imports(PACKAGE / "spiff" / "patches.py")


_PROBE = """
import importlib, json, pkgutil, sys
import SpiffWorkflow.bpmn.specs.event_definitions.timer, SpiffWorkflow.bpmn.util.event
import SpiffWorkflow.task

PATCHED = json.loads(sys.argv[1])

def snapshot():
    out = {}
    for module, owner, attribute in PATCHED:
        target = importlib.import_module(module)
        if owner:
            target = getattr(target, owner)
        out[f"{module}.{owner}.{attribute}"] = id(vars(target).get(attribute))
    return out

before = snapshot()
import seamline
skipped = []
for info in pkgutil.walk_packages(seamline.__path__, "seamline."):
    try:
        importlib.import_module(info.name)
    except ModuleNotFoundError as exc:
        if (exc.name or "").startswith("seamline"):
            raise
        skipped.append(info.name)  # an optional extra that is not installed
imported = snapshot()
from seamline.spiff import install
install()
installed = snapshot()
install()
again = snapshot()
print(json.dumps({"before": before, "imported": imported, "installed": installed,
                  "again": again, "skipped": skipped}))
"""


def test_importing_seamline_leaves_spiffworkflow_alone_and_install_patches_it() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(PATCHED)],
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["imported"] == seen["before"]
    changed = [k for k in seen["before"] if seen["installed"][k] != seen["before"][k]]
    assert changed == list(seen["before"])
    assert seen["again"] == seen["installed"]


def test_patches_lists_exactly_what_install_replaces() -> None:
    from seamline.spiff import PATCHES

    named = {(p.owner.__name__, p.attribute) for p in PATCHES}
    expected = {(owner or module, attribute) for module, owner, attribute in PATCHED}
    assert named == expected
    assert all(p.installed() for p in PATCHES)  # the session fixture installed them


_LOAD_PROBE = """
import sys
from seamline.spiff import PATCHES
from seamline.bpmn.loader import load_sources
assert not any(p.installed() for p in PATCHES), "patched before loading"
load_sources({"p.bpmn": sys.stdin.buffer.read()})
print(all(p.installed() for p in PATCHES))
"""

_DIAGRAM = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"
    targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>
"""


def test_loading_without_app_installs_the_patches() -> None:
    # `seamline validate` and other callers of the loader build no App.
    result = subprocess.run(
        [sys.executable, "-c", _LOAD_PROBE],
        input=_DIAGRAM,
        capture_output=True,
        check=True,
    )
    assert result.stdout.decode().split() == ["True"]

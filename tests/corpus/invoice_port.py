"""Camunda's invoice example (../shared/corpus/camunda-invoice) with its listeners in Python.

invoice.v2's two task listeners are JavaScript, which seamline refuses (it runs Python scripts);
the tests that run the invoice load a copy whose listeners are ported line for line.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

_JS_LISTENERS = (
    (
        "if(!!task.getVariable('approver')) {\n  task.setAssignee(approver);\n}",
        "if task.getVariable('approver'):\n  task.setAssignee(task.getVariable('approver'))",
    ),
    (
        "task.setVariable('approver', task.getAssignee());",
        "task.setVariable('approver', task.getAssignee())",
    ),
)


def invoice_in_python(invoice: Path) -> Path:
    """A copy of the invoice directory whose listeners are the Python port of the JavaScript."""
    folder = Path(tempfile.mkdtemp(prefix="invoice-"))
    for source in invoice.iterdir():
        if source.is_file():
            shutil.copy(source, folder / source.name)
    target = folder / "invoice.v2.bpmn"
    text = target.read_text(encoding="utf-8")
    for js, python in _JS_LISTENERS:
        assert js in text, js
        text = text.replace(js, python)
    target.write_text(text.replace('scriptFormat="javascript"', 'scriptFormat="python"'))
    return target

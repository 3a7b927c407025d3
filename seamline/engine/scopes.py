"""Variables local to one activity, in seamline's flat data model.

SpiffWorkflow gives every task one dict of data; Camunda gives an activity its own scope.
An activity's local variables (input parameters, Camunda 7 ``out local="true"``) are listed in
its task's internal data and removed when it ends; a parent value of the same name they hid is
kept aside meanwhile and comes back.
"""

from __future__ import annotations

import copy
from typing import Any

#: Names local to the activity (its inputs, and Camunda 7 ``out local="true"`` variables).
LOCALS = "seamline.inputs"
#: The parent scope's values of variables an activity's locals hide, restored when it ends.
SHADOWED = "seamline.shadowed"


def make_local(task: Any, name: str) -> None:
    """Make ``name`` local to the activity of ``task``: a value of the same name in the parent
    scope is hidden while it runs and comes back when it ends (Camunda's local variables)."""
    if name in task.internal_data.get(LOCALS, ()):
        return
    shadowed = task.internal_data.setdefault(SHADOWED, {})
    if name in task.data and name not in shadowed:
        shadowed[name] = copy.deepcopy(task.data[name])

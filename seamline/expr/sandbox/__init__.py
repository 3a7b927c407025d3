"""The Python sandbox: how the Python in a diagram runs, restricted unless trusted.

Script tasks, pre/post scripts, Python conditions and expressions are untrusted code. This room
holds everything that keeps them in bounds, and nothing else:

- :mod:`~seamline.expr.sandbox.scripting`: :class:`Sandbox`, compiling and running code with the
  time and memory limits (the clock and memory checks the compiler inserts);
- :mod:`~seamline.expr.sandbox.policy`: the compile-time policy, RestrictedPython's transformer
  plus seamline's additions (no ``_`` names, no ``class``, the inserted checks);
- :mod:`~seamline.expr.sandbox.guards`: the run-time guards restricted code calls for every
  attribute, item, write and large operation, and the per-thread limit state;
- :mod:`~seamline.expr.sandbox.builtins`: the allow-listed builtins and read-only module
  stand-ins (``datetime``, ``math``, ``decimal``, ``json``, ``re`` with RE2 regexes).

It sits beside FEEL and JUEL because it is one more expression language: it depends on nothing
in the engine, and the engine's :class:`~seamline.engine.expressions.Evaluator` uses it.
"""

from __future__ import annotations

from seamline.expr.sandbox.scripting import (
    DATA_TYPES,
    DEFAULT_MEMORY_LIMIT,
    Sandbox,
    ScriptMemoryExceeded,
)

__all__ = ["DATA_TYPES", "DEFAULT_MEMORY_LIMIT", "Sandbox", "ScriptMemoryExceeded"]

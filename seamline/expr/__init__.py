"""The modelers' expression languages: FEEL (Camunda 8, DMN) and JUEL (Camunda 7).

Both are parsed by seamline's own grammars and evaluated by walking compiled closures; nothing
from a diagram reaches ``eval``. Compilation is cached by source text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal, Protocol

from seamline.expr.feel import UnaryTests, compile_feel, compile_unary_tests


class Expression(Protocol):
    """A compiled expression: its source text and an ``evaluate(variables)`` method."""

    source: str

    def evaluate(self, context: Mapping[str, Any]) -> Any:
        """The expression's value with ``context`` as its variables."""
        ...


_JUEL_START = re.compile(r"[$#]\{")


def detect_dialect(text: str) -> Literal["juel", "feel", "python"]:
    """Which language an expression attribute is written in.

    ``${...}``/``#{...}`` anywhere is JUEL, a leading ``=`` is FEEL (Camunda 8), anything else
    is left to the Python script engine.
    """
    if _JUEL_START.search(text):
        return "juel"
    if text.lstrip().startswith("="):
        return "feel"
    return "python"


from seamline.expr.juel import compile_juel  # noqa: E402

__all__ = [
    "Expression",
    "UnaryTests",
    "compile_feel",
    "compile_juel",
    "compile_unary_tests",
    "detect_dialect",
]

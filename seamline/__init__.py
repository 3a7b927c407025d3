"""seamline: a governed, observable BPMN runtime for agents, systems and people."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]

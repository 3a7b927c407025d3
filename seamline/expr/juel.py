"""JUEL placeholder."""

from typing import Any


def compile_juel(text: str) -> Any:
    """Not yet."""
    raise NotImplementedError

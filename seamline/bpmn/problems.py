"""Problems found while loading: what `seamline validate` reports, one per line."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from typing import Any


class Severity(enum.StrEnum):
    """How bad a problem is: errors stop a file from loading; the rest are reported."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Problem:
    """One located finding about a diagram file.

    ``code`` is stable (tests and scripts match on it); ``message`` says what is wrong and
    ``hint`` what to do about it.
    """

    file: str
    line: int | None
    element: str | None
    severity: Severity
    code: str
    message: str
    hint: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The shape `seamline validate --json` prints (the file is given once per file)."""
        data = asdict(self)
        data.pop("file")
        data["severity"] = self.severity.value
        return data

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        element = f" [{self.element}]" if self.element else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{element}: {self.severity.value}: {self.message}{hint}"

"""Where the ``seamline`` command sends log records: stderr, as text or JSON lines.

Every layer logs to its own stdlib logger (``seamline.engine...``, ``seamline.store...``,
``seamline.connectors...``, ``seamline.web...``, ``seamline.bpmn...``); only the command line
attaches a handler, to the ``seamline`` logger, so an application embedding seamline keeps its
own logging set-up. Extra fields a call passes (``extra={"instance": ...}``) appear as
``key=value`` in text and as keys in JSON. Nothing logged carries a secret.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

#: ``--log-level`` choices, quietest last.
LEVELS = ("debug", "info", "warning", "error")
FORMATS = ("text", "json")
DEFAULT_LEVEL = "warning"

_ROOT = "seamline"
#: Third-party loggers whose records belong on the same stream (the web server's warnings).
_ALSO = ("waitress",)
_HANDLER_NAME = "seamline-cli"
_RESERVED = frozenset(RESERVED_ATTRS) | {"message", "asctime", "taskName"}


class TextFormatter(logging.Formatter):
    """``2026-01-02T03:04:05Z INFO seamline.engine: message key=value ...``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%SZ")
        self.converter = time.gmtime

    def format(self, record: logging.LogRecord) -> str:
        """The line, with the record's extra fields appended as ``key=value``."""
        line = super().format(record)
        extras = _extras(record)
        return line + "".join(f" {k}={v}" for k, v in extras.items()) if extras else line


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _RESERVED and not k.startswith("_")}


def json_formatter() -> logging.Formatter:
    """One JSON object a line: ``ts`` (ISO 8601 UTC), ``level``, ``logger``, ``message``, extras."""
    return JsonFormatter(
        "{levelname}{name}{message}",
        style="{",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="ts",
        json_ensure_ascii=False,
    )


def configure(level: str | None, fmt: str | None) -> None:
    """Send seamline's log records at ``level`` and above to stderr in ``fmt``.

    Called again (an option given after the subcommand), it replaces the earlier set-up.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(json_formatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger(_ROOT)
    root.setLevel((level or DEFAULT_LEVEL).upper())
    for name in (_ROOT, *_ALSO):
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if h.get_name() == _HANDLER_NAME]:
            logger.removeHandler(old)
        logger.addHandler(handler)
        logger.propagate = False

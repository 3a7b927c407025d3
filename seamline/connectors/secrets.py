"""Named secrets for connectors, and redaction of their values everywhere else.

Diagrams never hold secret values, only names: ``{{ secrets.NAME }}`` in a templated parameter or
``secret:NAME`` as a whole value. Values come from the environment (``SEAMLINE_SECRET_<NAME>``, and
plain ``<NAME>`` only for names explicitly allowed) or from a TOML file with a ``[secrets]`` table.
"""

from __future__ import annotations

import os
import re
import threading
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from seamline.errors import ConfigError

ENV_PREFIX = "SEAMLINE_SECRET_"
REDACTED = "***"

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

T = TypeVar("T")


class Secrets:
    """Resolves secret names to values and redacts every value it knows of.

    Lookup order for ``get(name)``: explicit ``values``, ``SEAMLINE_SECRET_<NAME>`` (also tried
    upper-cased), the secrets file, then the plain environment variable ``<NAME>`` if the name
    is in ``allow_env``. The ``repr`` never shows a value.
    """

    def __init__(
        self,
        values: Mapping[str, str] | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        file: str | Path | None = None,
        allow_env: Iterable[str] = (),
    ) -> None:
        self._values = {str(k): str(v) for k, v in (values or {}).items()}
        self._environ = os.environ if environ is None else environ
        self._file = Path(file) if file is not None else None
        self._file_values = _read_file(self._file) if self._file is not None else {}
        self._allow_env = frozenset(allow_env)
        self._lock = threading.Lock()
        # Plain environment variables are only redacted once resolved: the rest of the
        # environment is not secret and redacting it would mangle ordinary output.
        self._resolved: set[str] = set()

    @classmethod
    def from_config(
        cls, config: Mapping[str, Any] | None = None, *, environ: Mapping[str, str] | None = None
    ) -> Secrets:
        """Build from config keys ``secrets_file`` (path) and ``secrets_allow_env`` (names)."""
        config = config or {}
        allow = config.get("secrets_allow_env", ())
        if isinstance(allow, str) or not isinstance(allow, Iterable):
            raise ConfigError(
                "secrets_allow_env must be a list of names", hint='e.g. ["OPENAI_API_KEY"]'
            )
        return cls(environ=environ, file=config.get("secrets_file"), allow_env=allow)

    def __repr__(self) -> str:
        return f"Secrets(file={str(self._file) if self._file else None!r}, values=<redacted>)"

    def _lookup(self, name: str) -> str | None:
        if name in self._values:
            return self._values[name]
        for key in (ENV_PREFIX + name, ENV_PREFIX + name.upper()):
            if key in self._environ:
                return self._environ[key]
        if name in self._file_values:
            return self._file_values[name]
        if name in self._allow_env and name in self._environ:
            return self._environ[name]
        return None

    def get(self, name: str) -> str:
        """The value of secret ``name``; ConfigError naming it and where it was looked for."""
        if not _NAME.match(name):
            raise ConfigError(f"'{name}' is not a valid secret name", hint="use letters, _, digits")
        value = self._lookup(name)
        if value is None:
            where = f"{ENV_PREFIX}{name} in the environment"
            if self._file is not None:
                where += f" or [secrets] {name} in {self._file}"
            raise ConfigError(f"secret '{name}' is not set", hint=f"set {where}")
        with self._lock:
            self._resolved.add(value)
        return value

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._lookup(name) is not None

    def known_values(self) -> list[str]:
        """Every value that redaction replaces, longest first so overlaps redact fully."""
        values = set(self._values.values()) | set(self._file_values.values())
        values |= {v for k, v in self._environ.items() if k.startswith(ENV_PREFIX)}
        with self._lock:
            values |= self._resolved
        return sorted((v for v in values if v), key=len, reverse=True)

    def redact(self, obj: T) -> T:
        """A copy of ``obj`` (text, or dicts/lists/tuples of them) with secret values as ``***``.

        Keys of mappings are redacted too; other values pass unchanged.
        """
        values = self.known_values()
        if not values:
            return obj
        pattern = re.compile("|".join(re.escape(v) for v in values))
        return _redact(obj, pattern)  # type: ignore[no-any-return]


def _redact(obj: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(obj, str):
        return pattern.sub(REDACTED, obj)
    if isinstance(obj, Mapping):
        return {_redact(k, pattern): _redact(v, pattern) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_redact(v, pattern) for v in obj]
    if isinstance(obj, tuple):
        return tuple(_redact(v, pattern) for v in obj)
    return obj


def _read_file(path: Path) -> dict[str, str]:
    try:
        with path.open("rb") as fh:
            document = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(
            f"secrets file {path} does not exist", hint="create it or fix secrets_file"
        ) from exc
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"secrets file {path} cannot be read: {exc}", file=str(path)) from exc
    table = document.get("secrets", {})
    if not isinstance(table, dict):
        raise ConfigError('[secrets] must be a table of NAME = "value"', file=str(path))
    bad = [k for k, v in table.items() if not isinstance(v, str)]
    if bad:
        raise ConfigError(f"secrets {', '.join(bad)} must be strings", file=str(path))
    return dict(table)

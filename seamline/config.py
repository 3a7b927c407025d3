"""``seamline.toml`` + ``SEAMLINE_*`` environment -> :class:`Settings`.

Precedence, highest first: explicit arguments (CLI options), environment variables, the config
file (``--config`` / ``SEAMLINE_CONFIG``, else ``seamline.toml`` in the working directory),
defaults. From a file found in the working directory, settings that run code as the user
(``trusted_scripts = true``, broad allow-lists) are not applied: see
:mod:`seamline.config_review`. The file is plain TOML::

    [seamline]
    db = "sqlite:///var/lib/seamline.db"   # or SEAMLINE_DB / --db
    trusted_scripts = false                # true runs diagram scripts as plain Python
    script_time_limit = 5                  # seconds per script or expression
    script_memory_limit = 256              # MB a script or expression may add to the process

    [users.alice]
    groups = ["accounting"]

    [lanes]
    "Team Assistant" = "assistants"       # lane name -> candidate group

    [connectors]
    python_allow = ["myorg.*"]
    shell_allow = ["echo"]
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seamline.config_review import review
from seamline.errors import ConfigError

CONFIG_FILE = "seamline.toml"
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Everything configurable, resolved."""

    db: str | None = None
    trusted_scripts: bool = False
    script_time_limit: float = 5.0
    script_memory_limit: float = 256.0
    path: Path | None = None
    cwd: Path = field(default_factory=Path.cwd)
    raw: Mapping[str, Any] = field(default_factory=dict)
    #: One line per thing in the file that is not applied as written (unknown keys, settings
    #: refused from a file found in the working directory); the CLI prints them on stderr.
    warnings: tuple[str, ...] = ()

    @property
    def users(self) -> Mapping[str, Any]:
        """The ``[users]`` table."""
        return _table(self.raw, "users")

    @property
    def lanes(self) -> Mapping[str, str]:
        """Lane name -> candidate group."""
        return {str(k): str(v) for k, v in _table(self.raw, "lanes").items()}

    @property
    def base_dir(self) -> Path:
        """The folder relative paths in the config are taken from: the config file's, else cwd."""
        return self.path.parent if self.path else self.cwd

    @property
    def connectors(self) -> Mapping[str, Any]:
        """The config the connector registry reads (``[connectors]`` and top-level keys), with
        ``python_path`` folders made absolute against :attr:`base_dir`."""
        section = dict(_table(self.raw, "connectors"))
        paths = section.get("python_path", self.raw.get("python_path"))
        if paths is None:
            return self.raw
        if isinstance(paths, str) or not isinstance(paths, list):
            raise ConfigError('python_path must be a list of folders, e.g. ["."]')
        section["python_path"] = [str((self.base_dir / str(p)).resolve()) for p in paths]
        return {**self.raw, "connectors": section}


def _table(raw: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, Mapping):
        raise ConfigError(f"[{name}] must be a table")
    return value


def _read(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed file and its text (for the line numbers of warnings)."""
    try:
        text = path.read_bytes().decode("utf-8")
        return tomllib.loads(text), text
    except FileNotFoundError as exc:
        raise ConfigError(f"config file {path} not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: the file is not UTF-8 text") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc


def load_settings(
    config: str | Path | None = None,
    *,
    db: str | None = None,
    trusted_scripts: bool | None = None,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve settings from arguments, environment and config file."""
    env = os.environ if environ is None else environ
    base = cwd or Path.cwd()
    path: Path | None = None
    explicit = config or env.get("SEAMLINE_CONFIG")
    if explicit:
        path = Path(explicit)
        if not path.is_absolute():
            path = base / path
    elif (base / CONFIG_FILE).is_file():
        path = base / CONFIG_FILE
    raw, text = _read(path) if path else ({}, "")
    section = _table(raw, "seamline")
    checked = review(raw, text, _shown(path, base), implicit=not explicit) if path else None
    if checked is not None:
        raw = checked.raw
    trusted = trusted_scripts
    if trusted is None and "SEAMLINE_TRUSTED_SCRIPTS" in env:
        trusted = env["SEAMLINE_TRUSTED_SCRIPTS"].strip().lower() in _TRUE
    if trusted is None:
        trusted = section.get("trusted_scripts", False)
        # bool("false") is True: a quoted value must not switch the sandbox off.
        if not isinstance(trusted, bool):
            raise ConfigError(
                f"seamline.trusted_scripts must be true or false (unquoted), got {trusted!r}"
            )
        if checked is not None and not checked.trusted_allowed:
            trusted = False
    warnings = tuple(checked.warnings) if checked is not None else ()
    if trusted_scripts is not None or "SEAMLINE_TRUSTED_SCRIPTS" in env:
        # Said explicitly: the file's trusted_scripts was not used, so nothing to warn about.
        warnings = tuple(w for w in warnings if ": trusted_scripts = true is not applied" not in w)
    limit = env.get("SEAMLINE_SCRIPT_TIME_LIMIT") or section.get("script_time_limit", 5.0)
    try:
        time_limit = float(limit)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"script_time_limit must be a number of seconds, got {limit!r}") from exc
    if not math.isfinite(time_limit) or time_limit <= 0:
        raise ConfigError(f"script_time_limit must be a positive number of seconds, got {limit!r}")
    memory = env.get("SEAMLINE_SCRIPT_MEMORY_LIMIT") or section.get("script_memory_limit", 256.0)
    try:
        memory_limit = float(memory)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"script_memory_limit must be a number of MB, got {memory!r}") from exc
    if not math.isfinite(memory_limit) or memory_limit <= 0:
        raise ConfigError(f"script_memory_limit must be a positive number of MB, got {memory!r}")
    configured_db = section.get("db")
    if configured_db is not None and not isinstance(configured_db, str):
        raise ConfigError(
            f'seamline.db must be a quoted path or URL, e.g. "sqlite:///seamline.db", '
            f"got {configured_db!r}"
        )
    return Settings(
        db=db or env.get("SEAMLINE_DB") or configured_db,
        trusted_scripts=trusted,
        script_time_limit=time_limit,
        script_memory_limit=memory_limit,
        path=path,
        cwd=base,
        raw=raw,
        warnings=warnings,
    )


def _shown(path: Path, cwd: Path) -> str:
    """The config file as a person in ``cwd`` would type it."""
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return str(path)

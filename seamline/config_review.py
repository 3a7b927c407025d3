"""What ``seamline.toml`` says that seamline will not do as written: unknown sections and keys
(a typo is otherwise silently ignored), and settings that run code as the current user taken
from a file nobody named.

A ``seamline.toml`` found in the working directory may come with a folder someone else
prepared. From such a file, ``trusted_scripts = true`` and allow-list entries that open whole
modules of the system (``os:*``, ``subprocess.*``, ``*``, a shell) are not applied: naming the
file with ``--config`` / ``SEAMLINE_CONFIG`` accepts them. Untrusted diagrams are untrusted code.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: The tables seamline reads at the top of the file.
SECTIONS = ("seamline", "users", "lanes", "connectors", "llm", "web", "policies", "budgets")
#: Keys seamline also reads at the top level (outside any table).
TOP_KEYS = ("python_allow", "shell_allow", "python_path", "secrets_file", "secrets_allow_env")
#: Keys of ``[seamline]``.
SEAMLINE_KEYS = ("db", "trusted_scripts", "script_time_limit", "script_memory_limit")
#: Plain keys of ``[connectors]``; its tables are connector aliases of any name.
CONNECTOR_KEYS = ("python_allow", "shell_allow", "python_path")
#: Keys of ``[llm]``.
LLM_KEYS = ("default_profile", "profiles", "prompt_dir")
#: Keys of ``[web]``.
WEB_KEYS = ("allowed_hosts", "secret")

#: Callables that run code, programs or file operations as the user; an allow-list pattern that
#: matches any of them opens far more than one function of one's own.
_DANGEROUS_CALLABLES = (
    "os:system",
    "os:popen",
    "os:execv",
    "os:remove",
    "posix:system",
    "subprocess:run",
    "subprocess:Popen",
    "subprocess:check_output",
    "builtins:eval",
    "builtins:exec",
    "builtins:open",
    "builtins:__import__",
    "importlib:import_module",
    "runpy:run_path",
    "shutil:rmtree",
    "pty:spawn",
    "ctypes:CDLL",
    "pickle:loads",
    "marshal:loads",
    "socket:create_connection",
    "multiprocessing:Process",
    "code:interact",
    "webbrowser:open",
)
#: Programs that run whatever their arguments say.
_DANGEROUS_PROGRAMS = frozenset(
    [
        "*",
        "sh",
        "bash",
        "zsh",
        "dash",
        "ksh",
        "mksh",
        "csh",
        "tcsh",
        "fish",
        "busybox",
        "env",
        "sudo",
        "su",
        "doas",
        "xargs",
        "nohup",
        "timeout",
        "nice",
        "awk",
        "gawk",
        "find",
        "ssh",
        "eval",
        "exec",
        "pwsh",
        "powershell",
        "cmd",
        "osascript",
    ]
)
_INTERPRETER = re.compile(r"^(python|pypy|perl|ruby|node|nodejs|php|lua|tclsh|Rscript)[\d.]*$")


@dataclass
class Review:
    """The outcome: the settings to apply, and one warning line per finding."""

    raw: dict[str, Any]
    trusted_allowed: bool = True
    warnings: list[str] = field(default_factory=list)


def dangerous_callable(pattern: str) -> bool:
    """Whether a ``python_allow`` glob admits a callable that runs code or programs."""
    spellings = (s for c in _DANGEROUS_CALLABLES for s in (c, c.replace(":", ".")))
    return any(fnmatch.fnmatchcase(s, pattern) for s in spellings)


def dangerous_program(command: str) -> bool:
    """Whether a ``shell_allow`` entry is a shell, an interpreter or a program runner."""
    base = os.path.basename(command.strip())
    return base in _DANGEROUS_PROGRAMS or bool(_INTERPRETER.match(base))


def review(raw: Mapping[str, Any], text: str, name: str, *, implicit: bool) -> Review:
    """Check the parsed file ``raw`` (``text`` its source, ``name`` how to call it).

    ``implicit``: the file was found in the working directory rather than named; its
    dangerous settings are then dropped from the returned ``raw``, each with a warning.
    """
    lines = _line_index(text)
    result = Review(raw=dict(raw))
    result.warnings.extend(_unknown(raw, lines, name))
    if implicit:
        _fail_closed(result, lines, name)
    return result


# -- unknown sections and keys -------------------------------------------------------------------


def _unknown(raw: Mapping[str, Any], lines: dict[tuple[str, ...], int], name: str) -> list[str]:
    found: list[str] = []
    for key, value in raw.items():
        where = f"{name}:{lines.get((key,), 1)}"
        if key in SECTIONS or key in TOP_KEYS:
            continue
        if isinstance(value, Mapping):
            known = f"known: {', '.join(SECTIONS)}"
            hint = _close(key, (*SECTIONS, *TOP_KEYS), "[{}]")
            found.append(f"{where}: unknown section [{key}] ({known}); it is ignored{hint}")
        else:
            known = f"known at the top: {', '.join(TOP_KEYS)}"
            hint = _close(key, (*TOP_KEYS, *SECTIONS), "{}")
            found.append(f"{where}: unknown key {key} ({known}); it is ignored{hint}")
    for section, keys, tables_too in (
        ("seamline", SEAMLINE_KEYS, True),
        ("connectors", CONNECTOR_KEYS, False),
        ("llm", LLM_KEYS, True),
        ("web", WEB_KEYS, True),
    ):
        table = raw.get(section)
        if not isinstance(table, Mapping):
            continue
        for key, value in table.items():
            if key in keys or (not tables_too and isinstance(value, Mapping)):
                continue
            where = f"{name}:{lines.get((section, key), lines.get((section,), 1))}"
            hint = _close(key, keys, "{}")
            found.append(
                f"{where}: unknown key {key} in [{section}] (known: {', '.join(keys)}); "
                f"it is ignored{hint}"
            )
    return found


def _close(word: str, known: tuple[str, ...], form: str) -> str:
    match = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f"; did you mean {form.format(match[0])}?" if match else ""


# -- settings that run code as the user, from a file nobody named -------------------------------


def _fail_closed(result: Review, lines: dict[tuple[str, ...], int], name: str) -> None:
    accept = f"pass --config {_dot_slash(name)} to accept it"
    section = result.raw.get("seamline")
    if isinstance(section, Mapping) and section.get("trusted_scripts") is True:
        result.trusted_allowed = False
        line = lines.get(("seamline", "trusted_scripts"), 1)
        result.warnings.append(
            f"{name}:{line}: trusted_scripts = true is not applied (it would run diagram scripts "
            f"unrestricted as you, and this file was found in the working directory); {accept}"
        )
    for key, check, what in (
        ("python_allow", dangerous_callable, "lets diagrams call code that runs anything"),
        ("shell_allow", dangerous_program, "lets diagrams run any program"),
    ):
        for path in ((key,), ("connectors", key)):
            owner = result.raw if len(path) == 1 else result.raw.get("connectors")
            if not isinstance(owner, Mapping):
                continue
            entries = owner.get(key)
            if not isinstance(entries, list):
                continue
            kept = [e for e in entries if not (isinstance(e, str) and check(e))]
            if len(kept) == len(entries):
                continue
            line = lines.get(path, 1)
            for entry in entries:
                if entry not in kept:
                    result.warnings.append(
                        f"{name}:{line}: {key} entry {entry!r} is not applied (it {what} as "
                        f"you, and this file was found in the working directory); {accept}"
                    )
            _replace(result.raw, path, kept)


def _replace(raw: dict[str, Any], path: tuple[str, ...], value: list[Any]) -> None:
    if len(path) == 1:
        raw[path[0]] = value
    else:
        raw[path[0]] = {**raw[path[0]], path[1]: value}


def _dot_slash(name: str) -> str:
    return name if os.sep in name or "/" in name else f"./{name}"


# -- where things are in the text ----------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\[?(?P<name>[^\[\]]+)\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*(?P<key>(?:"[^"]*"|'[^']*'|[A-Za-z0-9_.\s-])+?)\s*=""")
_PART = re.compile(r""""([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+)""")


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(a or b or c for a, b, c in _PART.findall(dotted))


def _line_index(text: str) -> dict[tuple[str, ...], int]:
    """Key path -> the first line (1-based) that opens or sets it; tomllib keeps no positions.

    Good enough for pointing at a line: headers and ``key =`` lines, dotted keys included.
    """
    index: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = _parts(header.group("name"))
            path: tuple[str, ...] = table
        else:
            key = _KEY.match(line)
            if not key:
                continue
            path = table + _parts(key.group("key"))
        for depth in range(1, len(path) + 1):
            index.setdefault(path[:depth], number)
    return index

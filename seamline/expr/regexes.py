"""Regular expressions from diagrams, run on RE2: matching time is linear in the input.

A backtracking engine (Python's ``re``) can take exponential time on a short pattern such as
``(a+)+$`` and cannot be interrupted while it does, so every regular expression a diagram
supplies -- FEEL ``matches``/``replace``/``split`` and the ``re`` module of restricted scripts --
is compiled here with google-re2 instead. RE2 has no backreferences (``\\1``), lookaround
(``(?=``, ``(?!``, ``(?<=``, ``(?<!``), atomic groups, possessive quantifiers or conditionals:
patterns using them are refused with :class:`UnsupportedRegex` naming the construct, never run
on a backtracking engine. Python's flags ``I``, ``M``, ``S`` map to RE2's inline flags; the
verbose flag is refused (RE2 has none). Compiled patterns are cached by RE2's module.
"""

from __future__ import annotations

import re
from typing import Any

import re2

from seamline.errors import UnsupportedRegex

__all__ = ["MAX_PATTERN", "UnsupportedRegex", "compile_regex", "strip_whitespace"]

#: Longest pattern accepted: a long pattern is the one way to make RE2 itself costly.
MAX_PATTERN = 1_000

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would otherwise write every bad pattern to stderr
_OPTIONS.max_mem = 32 << 20  # the compiled program and DFA cache stay below this

_INLINE = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"))
_IGNORED = re.ASCII | re.UNICODE  # RE2's \d \w \s are ASCII; str patterns match Unicode text

#: Constructs a backtracking engine offers and RE2 does not, spotted in the pattern's text.
_CONSTRUCTS = (
    (re.compile(r"(?<!\\)(?:\\\\)*\\[1-9]|\(\?P=|\\g<"), "backreferences (\\1, (?P=name))"),
    (re.compile(r"\(\?<?[=!]"), "lookahead or lookbehind ((?=...), (?!...), (?<=...), (?<!...))"),
    (re.compile(r"\(\?>"), "atomic groups ((?>...))"),
    (re.compile(r"[*+?}]\+"), "possessive quantifiers (a*+, a++)"),
    (re.compile(r"\(\?\("), "conditional groups ((?(1)...))"),
)


def compile_regex(pattern: Any, flags: int = 0) -> Any:
    """``pattern`` (str or bytes) compiled by RE2 with Python ``re`` ``flags``.

    Raises UnsupportedRegex for constructs RE2 lacks and for the verbose flag, ``re.error`` for
    a pattern that is not valid, and passes an already compiled RE2 pattern through.
    """
    if isinstance(pattern, re2._Regexp):
        return pattern
    if not isinstance(pattern, str | bytes):
        raise TypeError(f"a regular expression must be text, not {type(pattern).__name__}")
    shown = _shown(pattern)
    if len(pattern) > MAX_PATTERN:
        raise UnsupportedRegex(
            f"regular expression {shown} is longer than {MAX_PATTERN} characters"
        )
    flags = int(flags)
    if flags & re.VERBOSE:
        raise UnsupportedRegex(
            f"regular expression {shown}: the verbose flag is not supported;"
            " write the pattern without whitespace and comments"
        )
    inline = "".join(letter for flag, letter in _INLINE if flags & flag)
    unknown = flags & ~(re.IGNORECASE | re.MULTILINE | re.DOTALL | _IGNORED)
    if unknown:
        raise UnsupportedRegex(f"regular expression {shown}: unsupported flags {unknown}")
    prefix = f"(?{inline})" if inline else ""
    source = (prefix.encode() + pattern) if isinstance(pattern, bytes) else prefix + pattern
    try:
        return re2.compile(source, options=_OPTIONS)
    except re2.error as exc:
        raise _explain(pattern, shown, exc) from None


def strip_whitespace(pattern: str) -> str:
    """XPath's ``x`` flag: whitespace is removed except inside character classes."""
    out: list[str] = []
    depth = 0
    escaped = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            depth += 1
        elif char == "]" and depth:
            depth -= 1
        elif depth == 0 and char in " \t\n\r":
            continue
        out.append(char)
    return "".join(out)


def _explain(pattern: str | bytes, shown: str, exc: Exception) -> re.error:
    text = pattern.decode("latin-1") if isinstance(pattern, bytes) else pattern
    for finder, construct in _CONSTRUCTS:
        if finder.search(text):
            return UnsupportedRegex(
                f"regular expression {shown} uses {construct}, which seamline does not run:"
                " its regex engine (RE2) takes linear time and has no backtracking;"
                " rewrite the pattern without them"
            )
    detail = exc.args[0] if exc.args else exc
    if isinstance(detail, bytes):
        detail = detail.decode("utf-8", "replace")
    return re.error(f"regular expression {shown} is not valid: {detail}")


def _shown(pattern: str | bytes) -> str:
    text = pattern.decode("latin-1") if isinstance(pattern, bytes) else pattern
    return '"' + (text if len(text) <= 60 else text[:57] + "...") + '"'

"""The sandbox's ``re`` runs on RE2: hostile patterns end at once with the right answer."""

from __future__ import annotations

import pytest

from seamline.errors import ExpressionError, SandboxViolation
from seamline.expr.sandbox import Sandbox

pytestmark = pytest.mark.timeout(60)  # a backtracking engine would hang here for hours

SANDBOX = Sandbox(time_limit=2)


@pytest.mark.parametrize(
    "script",
    [
        "x = re.match('(a+)+$', 'a' * 34 + '!')",
        "x = re.match('(a|a)*$', 'a' * 40 + '!')",
        "x = re.compile('(a*)*b').match('a' * 5000)",
        "x = re.fullmatch('(x+x+)+y', 'x' * 5000)",
        "x = re.findall('(a|aa)+$', 'a' * 5000 + '!')",
    ],
)
def test_catastrophic_patterns_finish_with_the_right_answer(script: str) -> None:
    out = SANDBOX.execute(script + "\nfound = x is not None and x != []", {})
    assert out["found"] is False


def test_ordinary_regex_use_keeps_working() -> None:
    script = (
        "m = re.match(r'(?P<a>\\d+)-(\\d+)', '12-34')\n"
        "parts = [m.group('a'), m.group(2), m.span()]\n"
        "low = re.sub('B', lambda m: m.group().lower(), 'aBc', flags=re.I)\n"
        "n = re.subn(r'\\s+', ' ', 'a  b   c')\n"
        "words = re.split(',', 'a,b,c', 1)\n"
        "multi = re.findall('^x', 'x\\nx', re.MULTILINE)\n"
        "esc = re.search(re.escape('a.b'), 'xa.b') is not None\n"
        "compiled = re.compile('o+').sub('0', 'foo')\n"
    )
    out = SANDBOX.execute(script, {})
    assert out["parts"] == ["12", "34", (0, 5)]
    assert out["low"] == "abc"
    assert out["n"] == ("a b c", 2)
    assert out["words"] == ["a", "b,c"]
    assert out["multi"] == ["x", "x"]
    assert out["esc"] is True
    assert out["compiled"] == "f0"


@pytest.mark.parametrize(
    ("pattern", "named"),
    [("(a)\\\\1", "backreferences"), ("a(?=b)", "lookahead"), ("(?<!a)b", "lookbehind")],
)
def test_backtracking_constructs_are_refused_by_name(pattern: str, named: str) -> None:
    with pytest.raises(ExpressionError, match=named) as info:
        SANDBOX.execute(f"x = re.search('{pattern}', 'aab')", {}, where="Task_re script")
    assert "Task_re script" in str(info.value)
    assert "RE2" in str(info.value)


def test_a_bad_pattern_is_an_error_the_script_can_catch() -> None:
    out = SANDBOX.execute(
        "try:\n    re.compile('(')\n    ok = True\nexcept re.error:\n    ok = False", {}
    )
    assert out["ok"] is False


def test_long_patterns_are_refused() -> None:
    with pytest.raises(ExpressionError, match="longer than 1000"):
        SANDBOX.execute("x = re.compile('a' * 5000)", {})


def test_compiled_pattern_sub_is_still_size_guarded() -> None:
    with pytest.raises(SandboxViolation, match="substitution"):
        SANDBOX.execute("x = re.compile('x?').sub('b' * 10**4, 'a' * 10**4)", {})

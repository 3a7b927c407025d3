"""Resource bombs: memory bombs are refused before they allocate; runaway code hits the clock."""

from __future__ import annotations

import threading

import pytest

from seamline.errors import ExpressionError, SandboxViolation, ScriptTimeout
from seamline.expr.sandbox import Sandbox

MEMORY_BOMBS: list[tuple[str, str, str]] = [
    ("str-repeat", "x = 'a' * 10**10", "repeating a str"),
    ("str-repeat-reversed", "x = 10**10 * 'a'", "repeating a str"),
    ("list-repeat", "x = [0] * 10**10", "repeating a list"),
    ("tuple-repeat-inplace", "x = (0,)\nx *= 10**10", "repeating a tuple"),
    ("range-materialized", "x = list(range(10**12))", "range() of more than"),
    ("int-power", "x = 2 ** 10**10", "bits"),
    ("builtin-pow", "x = pow(10, 10**10)", "bits"),
    ("int-square-chain", "x = 2 ** 900000\nx = x * x", "product would exceed"),
    ("left-shift", "x = 1 << 10**10", "shifting"),
    ("ljust", "x = 'a'.ljust(10**10)", "ljust"),
    ("center", "x = 'a'.center(10**10)", "center"),
    ("zfill", "x = '1'.zfill(10**10)", "zfill"),
    ("expandtabs", "x = ('\\t' * 1000).expandtabs(10**8)", "expandtabs"),
    ("replace", "x = ('a' * 10**4).replace('', 'b' * 10**4)", "replace()"),
    ("join", "x = '-'.join(['a' * 10**6] * 100)", "join()"),
    (
        "concatenation-doubling",
        "s = 'a' * 10**6\nfor i in range(30):\n    s = s + s",
        "concatenation",
    ),
    ("inplace-doubling", "s = 'a' * 10**6\nfor i in range(30):\n    s += s", "concatenation"),
    (
        "list-extend-doubling",
        "x = list(range(10**5))\nfor i in range(30):\n    x.extend(x)",
        "extend()",
    ),
    ("fstring-width", 'x = f"{1:>999999999}"', "width"),
    ("fstring-nested-width", 'w = 10**9\nx = f"{1:>{w}}"', "width"),
    ("printf-width", "x = '%999999999d' % 1", "%-format"),
    ("printf-star", "x = '%*d' % (10**9, 1)", "%-format"),
    ("sum-of-lists", "x = sum([[0] * 1000] * 1000, [])", "sum() of sequences"),
    ("json-indent", "x = json.dumps([1], indent=10**9)", "indentation"),
    ("factorial", "x = math.factorial(10**9)", "math.factorial"),
    ("comb", "x = math.comb(10**9, 5 * 10**8)", "math.comb"),
    ("prod", "x = math.prod([2 ** 500000, 2 ** 500000, 2 ** 500000])", "product"),
    ("re-sub-blowup", "x = re.sub('', 'b' * 10**4, 'a' * 10**4)", "substitution"),
    ("pattern-sub-blowup", "x = re.compile('x?').sub('b' * 10**4, 'a' * 10**4)", "substitution"),
]


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    return Sandbox(time_limit=2.0)


@pytest.mark.parametrize(
    ("script", "fragment"), [b[1:] for b in MEMORY_BOMBS], ids=[b[0] for b in MEMORY_BOMBS]
)
def test_memory_bomb_is_refused(sandbox: Sandbox, script: str, fragment: str) -> None:
    with pytest.raises(SandboxViolation) as info:
        sandbox.execute(script, {}, where="Task_bomb")
    assert fragment in str(info.value)
    assert "Task_bomb" in str(info.value)


RUNAWAYS: list[tuple[str, str]] = [
    ("while-true", "while True:\n    pass"),
    ("while-true-one-line", "while True: pass"),
    ("for-nested", "for i in range(10**6):\n    for j in range(10**6):\n        pass"),
    ("comprehension", "x = [i for i in range(10**6) for j in range(10**6)]"),
    ("generator-in-builtin", "x = sum(1 for i in range(10**6) for j in range(10**6))"),
    ("branching-lambda", "f = lambda n: n and (f(n - 1), f(n - 1))\nf(80)"),
    ("branching-function", "def f(n):\n    if n:\n        f(n - 1)\n        f(n - 1)\nf(80)"),
    (
        "timeout-caught-and-retried",
        "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n"
        "        pass",
    ),
    (
        "timeout-swallowed-once",
        "try:\n    while True:\n        pass\nexcept:\n    pass\nx = 1",
    ),
]


@pytest.mark.parametrize("script", [r[1] for r in RUNAWAYS], ids=[r[0] for r in RUNAWAYS])
def test_runaway_script_times_out(script: str) -> None:
    quick = Sandbox(time_limit=0.2)
    with pytest.raises(ScriptTimeout) as info:
        quick.execute(script, {}, where="Task_loop script")
    assert "Task_loop script" in str(info.value)
    assert "time limit of 0.2 s" in str(info.value)


def test_runaway_expression_times_out() -> None:
    quick = Sandbox(time_limit=0.2)
    with pytest.raises(ScriptTimeout, match="Gateway_1 condition"):
        quick.evaluate(
            "any(i < 0 for i in range(10**6) for j in range(10**6))",
            {},
            where="Gateway_1 condition",
        )


def test_timeout_works_off_the_main_thread() -> None:
    quick = Sandbox(time_limit=0.2)
    caught: list[BaseException] = []

    def run() -> None:
        try:
            quick.execute("while True:\n    pass", {}, where="worker script")
        except BaseException as exc:
            caught.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert len(caught) == 1
    assert isinstance(caught[0], ScriptTimeout)


def test_the_clock_starts_per_run() -> None:
    # A later run gets its own full time budget, not what is left of an earlier one.
    quick = Sandbox(time_limit=0.5)
    with pytest.raises(ScriptTimeout):
        quick.execute("while True:\n    pass", {})
    assert quick.execute("x = 0\nfor i in range(1000):\n    x += i", {})["x"] == 499500


def test_deep_recursion_is_an_expression_error(sandbox: Sandbox) -> None:
    with pytest.raises(ExpressionError, match="RecursionError") as info:
        sandbox.execute("def f(n):\n    return f(n + 1)\nf(0)", {}, where="Task_rec")
    assert "Task_rec, line 2" in str(info.value)
    assert not isinstance(info.value, (SandboxViolation, ScriptTimeout))


def test_bounded_sizes_below_the_limits_work(sandbox: Sandbox) -> None:
    out = sandbox.execute(
        "a = 'ab' * 1000\nb = [0] * 1000\nc = 2 ** 100\nd = f'{7:>12}'\ne = '%5d' % 3\n"
        "f = 'x'.ljust(5, '.')\ng = list(range(1000))\nh = re.sub('a', 'bb', 'aaa')\n"
        "i = math.factorial(20)\nj = 1 << 70",
        {},
    )
    assert len(out["a"]) == 2000
    assert len(out["b"]) == 1000
    assert out["c"] == 2**100
    assert out["d"] == "           7"
    assert out["e"] == "    3"
    assert out["f"] == "x...."
    assert out["g"][-1] == 999
    assert out["h"] == "bbbbbb"
    assert out["i"] == 2432902008176640000
    assert out["j"] == 1 << 70

"""Escape attempts: every one must be refused, with the refusal that names what was refused."""

from __future__ import annotations

from typing import Any

import pytest

from seamline.errors import ExpressionSyntaxError, SandboxViolation
from seamline.expr.sandbox import Sandbox


def _func() -> int:
    return 1


# (id, script, fragment the SandboxViolation message must contain). Scripts run in exec mode
# with the variables below.
ESCAPES: list[tuple[str, str, str]] = [
    # -- walking the type graph ---------------------------------------------------------------
    ("subclasses-walk", "x = ().__class__.__bases__[0].__subclasses__()", '"__class__"'),
    ("object-subclasses", "x = object.__subclasses__()", '"__subclasses__"'),
    ("object-name", "x = object", '"object" is not available'),
    ("type-mro", "x = type(n).mro()", '"type" is not available'),
    ("str-mro", "x = str.mro()", 'attribute "mro"'),
    ("decimal-mro", "x = decimal.Decimal.mro()", 'attribute "mro"'),
    ("dunder-mro", "x = str.__mro__", '"__mro__"'),
    ("dict-dunder-dict", "x = dict.__dict__", '"__dict__"'),
    ("reduce", "x = (1).__reduce__()", '"__reduce__"'),
    ("getattr-reduce-ex", "x = getattr(1, '__reduce_ex__')", 'attribute "__reduce_ex__"'),
    ("getattr-class", "x = getattr(n, '__class__')", 'attribute "__class__"'),
    ("match-class", "x = re.compile('a').__class__", '"__class__"'),
    # -- builtins and the import machinery ------------------------------------------------------
    ("builtins-name", "x = __builtins__", '"__builtins__"'),
    ("dunder-import", "x = __import__('os')", '"__import__"'),
    ("import-os", "import os", 'importing "os"'),
    ("from-os-import", "from os import system", 'importing "os"'),
    ("import-os-path", "import os.path", 'importing "os.path"'),
    ("import-importlib", "import importlib", 'importing "importlib"'),
    ("importlib-name", "x = importlib.import_module('os')", '"importlib" is not available'),
    ("relative-import", "from . import secrets", "importing"),
    ("import-private", "from re import _compiler", '"_compiler"'),
    ("globals", "x = globals()", '"globals" is not available'),
    ("locals", "x = locals()", '"locals" is not available'),
    ("vars", "x = vars()", '"vars" is not available'),
    ("dir", "x = dir()", '"dir" is not available'),
    ("exec", "exec('import os')", "Exec calls are not allowed"),
    ("eval", "eval('1')", "Eval calls are not allowed"),
    ("eval-alias", "e = eval", '"eval" is not available'),
    ("compile", "x = compile('1', 'f', 'eval')", '"compile" is not available'),
    ("open", "x = open('/etc/passwd').read()", '"open" is not available'),
    ("breakpoint", "breakpoint()", '"breakpoint" is a reserved name'),
    ("help", "help()", '"help" is not available'),
    ("input", "x = input()", '"input" is not available'),
    ("setattr", "setattr(math, 'pi', 3)", '"setattr" is not available'),
    ("delattr", "delattr(math, 'pi')", '"delattr" is not available'),
    ("system-exit", "raise SystemExit(0)", '"SystemExit" is not available'),
    ("guard-rebinding", "_getattr_ = getattr", '"_getattr_"'),
    # -- format strings -------------------------------------------------------------------------
    ("str-format", 'x = "{0.__class__}".format(n)', 'attribute "format"'),
    ("str-format-map", 'x = "{x.__globals__}".format_map({"x": f})', 'attribute "format_map"'),
    ("str-type-format", 'x = str.format("{0.__class__}", n)', 'attribute "format"'),
    ("fstring-dunder-repr", 'x = f"{n.__class__!r}"', '"__class__"'),
    # -- frames: generators, coroutines, async generators, tracebacks ------------------------------
    ("generator-frame", "x = (y for y in []).gi_frame.f_back.f_globals", '"gi_frame"'),
    ("generator-frame-getattr", "x = getattr((y for y in []), 'gi_frame')", 'attribute "gi_frame"'),
    ("generator-code", "x = getattr((y for y in []), 'gi_code')", 'attribute "gi_code"'),
    ("coroutine", "async def c():\n    pass\nx = c().cr_frame", "AsyncFunctionDef"),
    ("coroutine-frame-getattr", "x = getattr(n, 'cr_frame')", 'attribute "cr_frame"'),
    ("async-generator", "async def g():\n    yield 1\nx = g().ag_frame", "AsyncFunctionDef"),
    ("async-generator-frame-getattr", "x = getattr(n, 'ag_frame')", 'attribute "ag_frame"'),
    (
        "traceback-frame",
        "try:\n    1 / 0\nexcept Exception as e:\n    x = e.__traceback__.tb_frame",
        '"__traceback__"',
    ),
    (
        "traceback-frame-getattr",
        "try:\n    1 / 0\nexcept Exception as e:\n    x = getattr(e, 'tb_frame', None)",
        'attribute "tb_frame"',
    ),
    ("frame-back", "x = getattr(n, 'f_back')", 'attribute "f_back"'),
    ("frame-globals", "x = getattr(n, 'f_globals')", 'attribute "f_globals"'),
    # -- functions ----------------------------------------------------------------------------
    ("lambda-closure", "x = (lambda: n).__closure__", '"__closure__"'),
    ("function-code", "def g():\n    pass\nx = g.__code__", '"__code__"'),
    ("function-globals", "x = f.__globals__", '"__globals__"'),
    ("function-globals-py2", "x = getattr(f, 'func_globals')", 'attribute "func_globals"'),
    ("function-attribute-write", "def g():\n    pass\ng.x = 1", "changing a function"),
    # -- classes ---------------------------------------------------------------------------------
    (
        "init-subclass",
        "class A:\n    def __init_subclass__(cls):\n        pass",
        "class definitions are not allowed",
    ),
    (
        "getattribute",
        "class B:\n    def __getattribute__(self, name):\n        return 1",
        "class definitions are not allowed",
    ),
    ("metaclass", "class C(metaclass=M):\n    pass", "class definitions are not allowed"),
    # -- allowed modules' internals -------------------------------------------------------------
    ("datetime-sys", "x = datetime.sys.modules", "datetime.sys is not available"),
    ("json-codecs", "x = json.codecs", "json.codecs is not available"),
    ("json-decoder-module", "x = json.decoder", "json.decoder is not available"),
    ("re-sre-compile", "x = re.sre_compile", "re.sre_compile is not available"),
    ("re-private-compiler", "x = re._compiler", '"_compiler"'),
    ("re-enum", "x = re.enum", "re.enum is not available"),
    ("math-loader", "x = math.__loader__", '"__loader__"'),
    ("math-pi-write", "math.pi = 3", "changing <module 'math'>"),
    ("from-import-missing", "from datetime import sys", "datetime.sys is not available"),
    ("decimal-getcontext", "decimal.getcontext().prec = 10**6", "decimal.getcontext"),
    ("decimal-setcontext", "decimal.setcontext(None)", "decimal.setcontext"),
    ("decimal-default-context", "x = decimal.DefaultContext", "decimal.DefaultContext"),
    ("decimal-localcontext", "x = decimal.localcontext()", "decimal.localcontext"),
    ("json-dump-to-file", "json.dump(1, n)", "json.dump is not available"),
    # -- unicode spellings ------------------------------------------------------------------------
    ("fullwidth-os", "x = \uff4f\uff53.system('id')", '"os" is not available'),
    ("fullwidth-letters", "x = ().__\uff43\uff4cass__", '"__class__"'),
    # -- statements RestrictedPython refuses ------------------------------------------------------
    ("nonlocal", "def g():\n    nonlocal n", "Nonlocal statements are not allowed"),
    ("try-star", "try:\n    pass\nexcept* ValueError:\n    pass", "TryStar"),
    ("iter-sentinel", "x = list(iter(int, 1))", "iter(callable, sentinel)"),
]


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    return Sandbox(time_limit=2.0)


def _variables() -> dict[str, Any]:
    return {"n": 1, "f": _func}


@pytest.mark.parametrize(
    ("script", "fragment"), [e[1:] for e in ESCAPES], ids=[e[0] for e in ESCAPES]
)
def test_escape_is_refused(sandbox: Sandbox, script: str, fragment: str) -> None:
    with pytest.raises(SandboxViolation) as info:
        sandbox.execute(script, _variables(), where="Task_1 script")
    message = str(info.value)
    assert fragment in message
    assert message.startswith("Task_1 script")
    assert "\n" not in message


def test_corpus_is_large_enough() -> None:
    assert len(ESCAPES) >= 40
    assert len({e[0] for e in ESCAPES}) == len(ESCAPES)


@pytest.mark.parametrize(
    "expression",
    [
        "().__class__.__bases__[0].__subclasses__()",
        "__import__('os').system('id')",
        "[c for c in ().__class__.__base__.__subclasses__()]",
        "(lambda: 0).__globals__",
    ],
)
def test_escape_in_expression_is_refused_at_check_time(sandbox: Sandbox, expression: str) -> None:
    with pytest.raises(SandboxViolation, match="Gateway_1 condition"):
        sandbox.check(expression, mode="eval", where="Gateway_1 condition")


def test_zero_width_space_in_identifier_is_a_syntax_error(sandbox: Sandbox) -> None:
    with pytest.raises(ExpressionSyntaxError, match="invalid"):
        sandbox.execute("x = ()._\u200b_class__", {})


def test_caught_refusal_is_still_reported(sandbox: Sandbox) -> None:
    script = "try:\n    import os\nexcept BaseException:\n    pass\nx = 1"
    with pytest.raises(SandboxViolation, match='importing "os"'):
        sandbox.execute(script, {})


def test_caught_refusal_with_bare_except_is_still_reported(sandbox: Sandbox) -> None:
    script = "try:\n    x = math.sys\nexcept:\n    x = 2"
    with pytest.raises(SandboxViolation, match=r"math\.sys"):
        sandbox.execute(script, {})


def test_guard_names_in_data_cannot_replace_the_guards(sandbox: Sandbox) -> None:
    hijack = {"_getattr_": getattr, "_write_": lambda o: o, "__builtins__": __builtins__}
    with pytest.raises(SandboxViolation, match='attribute "format"'):
        sandbox.evaluate('"{0}".format(1)', hijack)
    with pytest.raises(SandboxViolation, match="changing <module 'math'>"):
        sandbox.execute("math.pi = 3", hijack)


def test_fstring_repr_of_objects_only_makes_text(sandbox: Sandbox) -> None:
    # !r calls the object's own __repr__ from host code: it yields a string and nothing else.
    result = sandbox.evaluate('f"{f!r}|{math!r:>20}"', {"f": _func})
    assert isinstance(result, str)
    assert "<module 'math'>" in result


def test_no_module_attributes_are_modules() -> None:
    import types

    from seamline.expr.sandbox.builtins import MODULES

    for proxy in MODULES.values():
        for value in proxy._sandbox_attrs.values():
            assert not isinstance(value, types.ModuleType)

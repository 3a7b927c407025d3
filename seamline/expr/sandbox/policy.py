"""The compile-time half of the sandbox: RestrictedPython's transformer plus seamline's rules.

RestrictedPython rewrites attribute access, subscripts, iteration, augmented assignment and
printing into calls of guard functions (``_getattr_``, ``_getitem_``, ...) and refuses names and
attributes that start with ``_``. On top of that this policy:

- refuses ``class`` statements (metaclass, ``__init_subclass__`` and descriptor tricks all start
  there, and task data has no use for classes);
- inserts a clock check ``_tick_()`` at the top of every loop body, every function body, every
  lambda and every comprehension step, so a runaway script is stopped in whatever thread runs it
  without ``sys.settrace`` and its cost on every line;
- routes ``*``, ``**``, ``<<``, ``%`` and ``+`` through guard functions that refuse results too
  large to build (``"a" * 10**10``), and f-string format specs through one that refuses huge
  widths (``f"{x:>999999999}"``).
"""

from __future__ import annotations

import ast
from typing import Any, cast

from RestrictedPython.transformer import RestrictingNodeTransformer

#: Guard function names the binary operators are routed through.
BINOP_GUARDS: dict[type[ast.operator], str] = {
    ast.Mult: "_mul_",
    ast.Pow: "_pow_",
    ast.LShift: "_lshift_",
    ast.Mod: "_mod_",
    ast.Add: "_add_",
}

TICK = "_tick_"


def _call(name: str, args: list[ast.expr], like: ast.AST) -> ast.Call:
    """A call of guard ``name`` placed at ``like``'s position (tracebacks keep the user's line)."""
    call = ast.Call(func=ast.Name(name, ast.Load()), args=args, keywords=[])
    return ast.copy_location(call, like)


class SandboxPolicy(RestrictingNodeTransformer):
    """RestrictedPython's policy with seamline's additions (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: True once a clock check was inserted: the code can run for an unbounded time.
        self.needs_clock = False

    def _tick(self, like: ast.AST) -> ast.Call:
        self.needs_clock = True
        return _call(TICK, [], like)

    def _tick_statement(self, like: ast.stmt) -> ast.Expr:
        return ast.fix_missing_locations(ast.copy_location(ast.Expr(self._tick(like)), like))

    # -- refused outright ----------------------------------------------------------------------

    def visit_ClassDef(self, node: ast.ClassDef) -> Any:
        """Refuse class definitions."""
        self.error(node, f'class definitions are not allowed (class "{node.name}")')
        return node

    # -- clock checks --------------------------------------------------------------------------

    def visit_While(self, node: ast.While) -> Any:
        """Check the clock on every iteration of a ``while`` loop."""
        node = cast(ast.While, super().visit_While(node))
        node.body.insert(0, self._tick_statement(node.body[0] if node.body else node))
        return node

    def visit_For(self, node: ast.For) -> Any:
        """Check the clock on every iteration of a ``for`` loop."""
        node = cast(ast.For, super().visit_For(node))
        node.body.insert(0, self._tick_statement(node.body[0] if node.body else node))
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> Any:
        """Check the clock on every call, so recursion that branches is bounded in time too."""
        node = cast(ast.FunctionDef, super().visit_FunctionDef(node))
        node.body.insert(0, self._tick_statement(node.body[0] if node.body else node))
        return node

    def visit_Lambda(self, node: ast.Lambda) -> Any:
        """``lambda: body`` becomes ``lambda: _tick_() or body`` (``_tick_`` returns None)."""
        node = cast(ast.Lambda, super().visit_Lambda(node))
        node.body = ast.copy_location(
            ast.BoolOp(op=ast.Or(), values=[self._tick(node), node.body]), node.body
        )
        return node

    def visit_comprehension(self, node: ast.comprehension) -> Any:
        """Add ``if not _tick_()`` as the first filter of every comprehension step."""
        node = cast(ast.comprehension, super().visit_comprehension(node))
        check = ast.copy_location(
            ast.UnaryOp(op=ast.Not(), operand=self._tick(node.iter)), node.iter
        )
        node.ifs.insert(0, check)
        return node

    # -- size guards ---------------------------------------------------------------------------

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        """Route the operators that can build huge objects through size-checking guards."""
        node = cast(ast.BinOp, super().visit_BinOp(node))
        guard = BINOP_GUARDS.get(type(node.op))
        if guard is None:
            return node
        return _call(guard, [node.left, node.right], node)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> Any:
        """``f"{v!r:spec}"`` becomes ``f"{_format_(v, 'r', spec)}"``, which checks the width."""
        node = cast(ast.FormattedValue, super().visit_FormattedValue(node))
        if node.format_spec is None:
            return node
        conversion = chr(node.conversion) if node.conversion > 0 else ""
        node.value = _call(
            "_format_", [node.value, ast.Constant(conversion), node.format_spec], node
        )
        node.conversion = -1
        node.format_spec = None
        return node

"""The composition root stays on top: the engine and the services never import ``seamline.app``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "seamline"
LOWER = ("engine", "services", "expr/sandbox")


def _modules(path: Path, top: Path) -> Iterator[tuple[str, int]]:
    """Every module ``path`` (under the package directory ``top``) imports, with its line;
    relative imports made absolute, and ``from x import y`` also as ``x.y``."""
    # A module's relative imports start from its directory, for __init__ and others alike.
    package = path.relative_to(top.parent).parent.parts
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            yield base, node.lineno
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno


def _offences(root: Path, top: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        for module, line in _modules(path, top):
            if module == "seamline.app" or module.startswith("seamline.app."):
                found.append(f"{path.relative_to(top.parent)}:{line} imports {module}")
    return found


@pytest.mark.parametrize("room", LOWER)
def test_room_never_imports_the_app(room: str) -> None:
    root = PACKAGE / room
    assert list(root.rglob("*.py")), f"{root} holds no modules"
    assert _offences(root) == []


def test_the_check_sees_imports_of_the_app(tmp_path: Path) -> None:
    # Each way of writing the import is caught, also under TYPE_CHECKING.
    fake = tmp_path / "seamline"
    room = fake / "services"
    room.mkdir(parents=True)
    (room / "a.py").write_text("from seamline.app import App\n")
    (room / "b.py").write_text("import seamline.app\n")
    (room / "c.py").write_text("from seamline import app\n")
    (room / "d.py").write_text("from .. import app\n")
    (room / "e.py").write_text("if TYPE_CHECKING:\n    from seamline.app import App\n")
    (room / "f.py").write_text("from seamline.engine import engine\n")
    offending = {line.split(":")[0].rsplit("/", 1)[-1] for line in _offences(room, fake)}
    assert offending == {"a.py", "b.py", "c.py", "d.py", "e.py"}

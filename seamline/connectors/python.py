"""The ``python`` connector: call an allow-listed Python function with keyword arguments."""

from __future__ import annotations

import fnmatch
import importlib
import json
import sys
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from seamline.connectors.base import ConnectorCall, ConnectorResult, ParamSpec
from seamline.errors import BpmnError, FatalError, RetryableError

PARAMETERS: Mapping[str, ParamSpec] = {
    "function": ParamSpec(
        "string", True, "dotted path: package.module:callable or package.module.callable"
    ),
    "args": ParamSpec("object", False, "keyword arguments for the callable", {}),
}


class PythonConnector:
    """Calls ``function(**args)`` and returns its JSON-able value as the result data.

    Only paths matching a glob in ``allow`` (config ``python_allow``, e.g. ``["myorg.*",
    "mymod:fn"]``) may be called, and nothing is imported before the check. Patterns are matched
    against both spellings, ``pkg.mod:fn`` and ``pkg.mod.fn``. The callable may raise
    RetryableError, BpmnError or FatalError; anything else it raises becomes a FatalError.
    """

    name = "python"
    description = "Call an allow-listed Python function with keyword arguments."
    parameters = PARAMETERS

    def __init__(self, allow: Iterable[str] = (), *, path: Iterable[str] = ()) -> None:
        self.allow = tuple(allow)
        # Folders to import allow-listed modules from (config ``python_path``, resolved by the
        # App against the config file's folder), ahead of the installed packages.
        self.path = tuple(str(p) for p in path)
        for folder in reversed(self.path):
            if folder not in sys.path:
                sys.path.insert(0, folder)

    def allowed(self, path: str) -> bool:
        """Whether the dotted ``path`` matches one of the allow-list patterns."""
        module, _, attr = _split(path)
        spellings = {path, f"{module}:{attr}", f"{module}.{attr}"}
        return any(fnmatch.fnmatchcase(s, p) for p in self.allow for s in spellings)

    def invoke(self, call: ConnectorCall) -> ConnectorResult:
        """Import the allowed callable, call it, check its value is JSON-able."""
        path = call.params.get("function")
        if not isinstance(path, str) or not path.strip():
            raise call.fatal("parameter 'function' is required", hint="e.g. mypkg.tasks:score")
        path = path.strip()
        if not self.allowed(path):
            raise call.fatal(
                f"function '{path}' is not allowed",
                hint=f'add it to python_allow in the config, e.g. python_allow = ["{path}"]',
            )
        args = call.params.get("args") or {}
        if not isinstance(args, Mapping):
            raise call.fatal("parameter 'args' must be an object of keyword arguments")
        function = _load(path, call)
        try:
            value = function(**{str(k): v for k, v in args.items()})
        except (RetryableError, BpmnError, FatalError):
            raise
        except Exception as exc:
            raise call.fatal(
                f"function '{path}' raised {type(exc).__name__}: {exc}",
                hint="raise RetryableError, BpmnError or FatalError from it to choose the outcome",
            ) from exc
        if isinstance(value, ConnectorResult):
            return value
        try:
            json.dumps(value)
        except (TypeError, ValueError) as exc:
            raise call.fatal(
                f"function '{path}' returned a value that is not JSON-able: {exc}",
                hint="return dicts, lists, strings, numbers, booleans or None",
            ) from exc
        return ConnectorResult(data=value, meta={"function": path})


def _split(path: str) -> tuple[str, str, str]:
    if ":" in path:
        return path.partition(":")
    module, _, attr = path.rpartition(".")
    return module, ":", attr


def _load(path: str, call: ConnectorCall) -> Callable[..., Any]:
    module_name, _, attr_path = _split(path)
    if not module_name or not attr_path:
        raise call.fatal(f"function '{path}' is not a path like package.module:callable")
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise call.fatal(
            f"module '{module_name}' for function '{path}' cannot be imported: {exc}",
            hint="install the package or fix the path",
        ) from exc
    except Exception as exc:
        raise call.fatal(f"importing '{module_name}' failed: {type(exc).__name__}: {exc}") from exc
    for part in attr_path.split("."):
        if part.startswith("_"):
            raise call.fatal(f"function '{path}' names a private attribute '{part}'")
        try:
            obj = getattr(obj, part)
        except AttributeError as exc:
            raise call.fatal(f"module '{module_name}' has no '{attr_path}'") from exc
        if isinstance(obj, types.ModuleType):
            # Otherwise an allowed module's imports (``mod:os.system``) would slip past the list.
            raise call.fatal(
                f"function '{path}' reaches module '{obj.__name__}' through an attribute",
                hint="name the function by its own module path",
            )
    if not callable(obj):
        raise call.fatal(f"'{path}' is not callable")
    function: Callable[..., Any] = obj
    return function

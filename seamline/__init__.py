"""seamline: a governed, observable BPMN runtime for agents, systems and people.

The public API is small::

    import seamline

    with seamline.App.open() as app:            # SQLite under .seamline/ by default
        view = app.run("invoice.bpmn", {"amount": 830})
        for task in app.tasks():
            app.complete(task.id, {"approved": True}, user="tom")

Names are imported on first use, so ``seamline validate`` does not pay for the engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "App": "seamline.app",
    "Deployed": "seamline.app",
    "InstanceView": "seamline.engine.step",
    "Worker": "seamline.services.worker",
    "Settings": "seamline.config",
    "load_settings": "seamline.config",
    "load_files": "seamline.bpmn.loader",
    "ProcessDefinition": "seamline.bpmn.definition",
    "Problem": "seamline.bpmn.problems",
    "Store": "seamline.store.base",
    "MemoryStore": "seamline.store.memory",
    "SqliteStore": "seamline.store.sqlite",
    "open_store": "seamline.store.factory",
    "Connector": "seamline.connectors.base",
    "ConnectorCall": "seamline.connectors.base",
    "ConnectorResult": "seamline.connectors.base",
    "ConnectorRegistry": "seamline.connectors.registry",
    "SeamlineError": "seamline.errors",
}

# Spelled out (not derived from _EXPORTS) so type checkers see the re-exports.
__all__ = [
    "App",
    "Connector",
    "ConnectorCall",
    "ConnectorRegistry",
    "ConnectorResult",
    "Deployed",
    "InstanceView",
    "MemoryStore",
    "Problem",
    "ProcessDefinition",
    "SeamlineError",
    "Settings",
    "SqliteStore",
    "Store",
    "Worker",
    "__version__",
    "load_files",
    "load_settings",
    "open_store",
]

if TYPE_CHECKING:
    from seamline.app import App, Deployed
    from seamline.bpmn.definition import ProcessDefinition
    from seamline.bpmn.loader import load_files
    from seamline.bpmn.problems import Problem
    from seamline.config import Settings, load_settings
    from seamline.connectors.base import Connector, ConnectorCall, ConnectorResult
    from seamline.connectors.registry import ConnectorRegistry
    from seamline.engine.step import InstanceView
    from seamline.errors import SeamlineError
    from seamline.services.worker import Worker
    from seamline.store.base import Store
    from seamline.store.factory import open_store
    from seamline.store.memory import MemoryStore
    from seamline.store.sqlite import SqliteStore


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'seamline' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value

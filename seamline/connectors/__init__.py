"""Connectors: how service tasks reach agents, APIs, Python functions and programs.

Import the modules (``from seamline.connectors import base, registry``); the names below are
re-exported for convenience.
"""

from __future__ import annotations

from seamline.connectors.base import Connector, ConnectorCall, ConnectorResult, ParamSpec
from seamline.connectors.registry import ConnectorRegistry, invoke
from seamline.connectors.retry import RetryPolicy
from seamline.connectors.secrets import Secrets
from seamline.connectors.templating import render_params
from seamline.errors import ConnectorBpmnError, RetriesExhausted, TemplateError

__all__ = [
    "Connector",
    "ConnectorBpmnError",
    "ConnectorCall",
    "ConnectorRegistry",
    "ConnectorResult",
    "ParamSpec",
    "RetriesExhausted",
    "RetryPolicy",
    "Secrets",
    "TemplateError",
    "invoke",
    "render_params",
]

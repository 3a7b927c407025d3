"""The public test kit: doubles for testing processes without real services."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from seamline.connectors.base import ConnectorCall, ConnectorResult, ParamSpec

__all__ = ["FakeConnector"]


class FakeConnector:
    """A connector whose behaviour is ``handler(call)``, recording every call it receives.

    The handler returns the result data (or a whole ConnectorResult) or raises
    RetryableError, BpmnError or FatalError to act out a failure::

        crm = FakeConnector("crm", lambda call: {"id": call.params["customer"]})
        registry.register(crm)
        ...
        assert crm.calls[0].params["customer"] == "c-1"
    """

    def __init__(
        self,
        name: str,
        handler: Callable[[ConnectorCall], Any] | None = None,
        *,
        description: str = "A fake connector for tests.",
        parameters: Mapping[str, ParamSpec] | None = None,
    ) -> None:
        self.name = name
        self.description = description
        self.parameters: Mapping[str, ParamSpec] = dict(parameters or {})
        self.handler = handler or (lambda call: {})
        self.calls: list[ConnectorCall] = []
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"FakeConnector({self.name!r}, calls={len(self.calls)})"

    def invoke(self, call: ConnectorCall) -> ConnectorResult:
        """Record ``call`` and answer with the handler's value."""
        with self._lock:
            self.calls.append(call)
        value = self.handler(call)
        if isinstance(value, ConnectorResult):
            return value
        return ConnectorResult(data=value)

    @property
    def last_call(self) -> ConnectorCall:
        """The most recent call; AssertionError when there was none, as in a failed test."""
        if not self.calls:
            raise AssertionError(f"connector '{self.name}' was never called")
        return self.calls[-1]

"""``secret:NAME`` is resolved for the diagram's params only, never for text left in data."""

from __future__ import annotations

import dataclasses

from seamline.connectors.base import ConnectorCall
from seamline.connectors.http import _auth, _headers
from seamline.connectors.secrets import Secrets

SECRETS = Secrets({"API_TOKEN": "tok-3"}, environ={})


def test_a_direct_call_resolves_references() -> None:
    call = ConnectorCall("http", secrets=SECRETS)
    assert call.resolve_secret("secret:API_TOKEN") == "tok-3"
    assert _headers(call, {"Authorization": "secret:API_TOKEN"}) == {"Authorization": "tok-3"}


def test_a_rendered_call_leaves_reference_text_alone() -> None:
    # The engine resolved the diagram's references while rendering; what is left is data, such
    # as the arguments a model chose for a tool call (which inherit the parent call's flag).
    parent = ConnectorCall("llm", secrets=SECRETS, rendered=True)
    tool_call = dataclasses.replace(parent, connector="http")
    assert tool_call.resolve_secret("secret:API_TOKEN") == "secret:API_TOKEN"
    assert _headers(tool_call, {"X-Ref": "secret:API_TOKEN"}) == {"X-Ref": "secret:API_TOKEN"}
    auth = _auth(tool_call, {"type": "bearer", "token": "secret:API_TOKEN"})
    assert getattr(auth, "_token", None) == "secret:API_TOKEN"

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from seamline.connectors.base import (
    Connector,
    ConnectorCall,
    ConnectorResult,
    ParamSpec,
    as_str_list,
    describe,
    resolve_secret_ref,
)
from seamline.connectors.secrets import Secrets
from seamline.errors import BpmnError, ConnectorBpmnError, FatalError, RetryableError
from seamline.testing import FakeConnector


def test_call_repr_redacts_secret_params() -> None:
    secrets = Secrets({"TOKEN": "s3cr3t"}, environ={})
    call = ConnectorCall(
        "http", {"auth": {"token": "s3cr3t"}}, "i-1", "Task_1", "k", 1, None, secrets
    )
    assert "s3cr3t" not in repr(call)
    assert "***" in repr(call) and "Task_1" in repr(call)


def test_remaining_and_deadline() -> None:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    call = ConnectorCall("x", deadline=now + timedelta(seconds=5))
    assert call.remaining(now) == 5
    assert call.remaining(now + timedelta(seconds=10)) == 0
    assert ConnectorCall("x").remaining() is None


def test_fatal_names_connector_element_and_instance() -> None:
    error = ConnectorCall("shell", instance_id="i-1", element_id="T").fatal("boom", hint="fix")
    assert isinstance(error, FatalError)
    assert str(error) == "[T] instance i-1: connector 'shell': boom (fix)"


def test_bpmn_error_with_data() -> None:
    error = ConnectorBpmnError("HTTP_404", "not found", data={"status": 404})
    assert isinstance(error, BpmnError)
    assert (error.code, error.data, error.message) == ("HTTP_404", {"status": 404}, "not found")


def test_describe_and_param_spec() -> None:
    fake = FakeConnector("crm", parameters={"id": ParamSpec("string", True, "customer id")})
    assert describe(fake) == {
        "name": "crm",
        "description": fake.description,
        "parameters": {
            "id": {
                "type": "string",
                "required": True,
                "description": "customer id",
                "default": None,
                "secret": False,
            }
        },
    }
    assert isinstance(fake, Connector)


def test_resolve_secret_ref() -> None:
    secrets = Secrets({"A": "1"}, environ={})
    assert resolve_secret_ref("secret:A", secrets) == "1"
    assert resolve_secret_ref("plain", secrets) == "plain"
    assert resolve_secret_ref(5, secrets) == 5


def test_as_str_list() -> None:
    call = ConnectorCall("shell", element_id="T")
    assert as_str_list(["a", 1, True], call, "args") == ["a", "1", "True"]
    assert as_str_list(None, call, "args") == []
    with pytest.raises(FatalError, match="'args' must be a list"):
        as_str_list("a b", call, "args")
    with pytest.raises(FatalError, match="must hold strings"):
        as_str_list([{"a": 1}], call, "args")


def test_fake_connector_records_calls_and_wraps_data() -> None:
    fake = FakeConnector("crm", lambda call: {"echo": call.params["x"]})
    result = fake.invoke(ConnectorCall("crm", {"x": 1}))
    assert result == ConnectorResult(data={"echo": 1})
    assert fake.last_call.params == {"x": 1} and len(fake.calls) == 1


def test_fake_connector_passes_results_and_errors_through() -> None:
    result = ConnectorResult({"a": 1}, {"m": 2})
    assert FakeConnector("a", lambda call: result).invoke(ConnectorCall("a")) is result

    def fail(call: ConnectorCall) -> None:
        raise RetryableError("later", retry_after=3)

    fake = FakeConnector("b", fail)
    with pytest.raises(RetryableError):
        fake.invoke(ConnectorCall("b"))
    assert len(fake.calls) == 1


def test_fake_connector_without_calls() -> None:
    with pytest.raises(AssertionError, match="never called"):
        _ = FakeConnector("c").last_call

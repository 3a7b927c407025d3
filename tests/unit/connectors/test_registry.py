from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from seamline.connectors.base import ConnectorCall, ConnectorResult
from seamline.connectors.registry import ConnectorRegistry, invoke
from seamline.connectors.retry import RetryPolicy
from seamline.connectors.secrets import Secrets
from seamline.errors import (
    BpmnError,
    ConfigError,
    DuplicateConnector,
    FatalError,
    RetriesExhausted,
    RetryableError,
    UnknownConnector,
)
from seamline.testing import FakeConnector

POLICY = RetryPolicy(max_attempts=3, jitter=0)


def registry_with(*connectors: FakeConnector) -> ConnectorRegistry:
    registry = ConnectorRegistry()
    for connector in connectors:
        registry.register(connector)
    return registry


def test_register_get_names_and_duplicates() -> None:
    registry = registry_with(FakeConnector("b"), FakeConnector("a"))
    assert registry.names() == ["a", "b"] and "a" in registry and len(registry) == 2
    assert registry.get("a").name == "a"
    with pytest.raises(DuplicateConnector, match="'a' is already registered"):
        registry.register(FakeConnector("a"))
    registry.register(FakeConnector("a"), name="a2")
    assert list(registry) == ["a", "a2", "b"]


def test_register_rejects_objects_without_invoke() -> None:
    class NoInvoke:
        name = "x"

    with pytest.raises(ConfigError, match="no invoke"):
        ConnectorRegistry().register(NoInvoke())  # type: ignore[arg-type]


def test_unknown_lists_known_names_closest_first() -> None:
    registry = registry_with(FakeConnector("shell"), FakeConnector("http"), FakeConnector("python"))
    with pytest.raises(UnknownConnector) as info:
        registry.get("htpp")
    assert str(info.value) == "no connector named 'htpp' (known: http, python, shell)"


def test_describe_lists_every_connector() -> None:
    described = registry_with(FakeConnector("b"), FakeConnector("a")).describe()
    assert [d["name"] for d in described] == ["a", "b"]


def test_alias_merges_defaults_under_call_params() -> None:
    target = FakeConnector("http", lambda call: dict(call.params))
    registry = registry_with(target)
    registry.alias(
        "crm",
        "http",
        {"base_url": "https://crm", "headers": {"A": "1", "Auth": "secret:CRM"}, "method": "GET"},
    )
    call = ConnectorCall(
        "crm",
        {"url": "/c", "headers": {"B": "2"}, "method": "POST"},
        secrets=Secrets({"CRM": "tok"}, environ={}),
    )
    assert registry.get("crm").invoke(call).data == {
        "base_url": "https://crm",
        "headers": {"A": "1", "Auth": "tok", "B": "2"},
        "method": "POST",
        "url": "/c",
    }
    assert "alias of 'http'" in registry.describe()[0]["description"]


def test_alias_of_unknown_target() -> None:
    with pytest.raises(UnknownConnector):
        ConnectorRegistry().alias("crm", "nope", {})


def test_default_registry_from_config() -> None:
    registry = ConnectorRegistry.default(
        {
            "python_allow": ["myorg.*"],
            "connectors": {
                "shell_allow": ["echo"],
                "crm": {"type": "http", "base_url": "https://x"},
            },
        }
    )
    assert {"http", "python", "shell", "crm"} <= set(registry.names())
    assert registry.get("python").allow == ("myorg.*",)  # type: ignore[attr-defined]
    assert registry.get("shell").allow == ("echo",)  # type: ignore[attr-defined]
    assert registry.get("crm").parameters["base_url"].default == "https://x"


@pytest.mark.parametrize(
    ("config", "match"),
    [
        ({"connectors": {"crm": {"base_url": "x"}}}, "needs type"),
        ({"connectors": {"crm": {"type": "nope"}}}, "no connector named 'nope'"),
        ({"shell_allow": "echo"}, "shell_allow must be a list"),
        ({"connectors": 3}, "must be a table"),
    ],
)
def test_default_registry_config_errors(config: dict[str, Any], match: str) -> None:
    with pytest.raises(
        ConfigError if "type" in match or "list" in match or "table" in match else UnknownConnector,
        match=match,
    ):
        ConnectorRegistry.default(config)


def _entry_points(monkeypatch: pytest.MonkeyPatch, *points: metadata.EntryPoint) -> None:
    def fake(group: str) -> list[metadata.EntryPoint]:
        return [p for p in points if p.group == group]

    monkeypatch.setattr(metadata, "entry_points", fake)  # the module the registry reads


def test_entry_points_register_objects_classes_and_factories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "acme_connectors.py").write_text(
        "from seamline.testing import FakeConnector\n"
        "INSTANCE = FakeConnector('acme')\n"
        "class Ldap(FakeConnector):\n"
        "    def __init__(self):\n"
        "        super().__init__('ldap')\n"
        "def factory():\n"
        "    return FakeConnector('made')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    group = "seamline.connectors"
    _entry_points(
        monkeypatch,
        metadata.EntryPoint("acme", "acme_connectors:INSTANCE", group),
        metadata.EntryPoint("ldap", "acme_connectors:Ldap", group),
        metadata.EntryPoint("made", "acme_connectors:factory", group),
        metadata.EntryPoint("other", "acme_connectors:INSTANCE", "elsewhere"),
    )
    registry = ConnectorRegistry()
    assert registry.load_entry_points() == ["acme", "ldap", "made"]
    assert registry.get("ldap").name == "ldap"


def test_broken_entry_point_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _entry_points(
        monkeypatch, metadata.EntryPoint("bad", "no_such_module_xyz:thing", "seamline.connectors")
    )
    with pytest.raises(ConfigError, match="entry point 'bad = no_such_module_xyz:thing'"):
        ConnectorRegistry().load_entry_points()


def test_entry_point_clashing_with_builtin(monkeypatch: pytest.MonkeyPatch) -> None:
    _entry_points(
        monkeypatch,
        metadata.EntryPoint("http", "seamline.testing:FakeConnector", "seamline.connectors"),
    )
    with pytest.raises(ConfigError):
        ConnectorRegistry.default()


def call(name: str = "fake", attempt: int = 1, **kw: Any) -> ConnectorCall:
    return ConnectorCall(name, {}, "i-1", "Task_1", "key", attempt, **kw)


def test_invoke_returns_result_and_wraps_plain_values() -> None:
    registry = registry_with(FakeConnector("fake", lambda c: {"ok": True}))
    assert invoke(registry, call(), POLICY).data == {"ok": True}

    class Plain(FakeConnector):
        def invoke(self, call: ConnectorCall) -> Any:
            return [1, 2]

    assert invoke(registry_with(Plain("fake")), call(), POLICY) == ConnectorResult([1, 2])


def test_invoke_wraps_unexpected_exceptions() -> None:
    def boom(c: ConnectorCall) -> None:
        raise KeyError("customer")

    with pytest.raises(FatalError) as info:
        invoke(registry_with(FakeConnector("fake", boom)), call(), POLICY)
    assert "connector 'fake'" in str(info.value) and "[Task_1]" in str(info.value)
    assert "KeyError" in str(info.value)
    assert isinstance(info.value.__cause__, KeyError)


def test_invoke_turns_other_seamline_errors_into_fatal() -> None:
    def needs_secret(c: ConnectorCall) -> None:
        c.secrets.get("MISSING")

    with pytest.raises(FatalError, match="MISSING"):
        invoke(
            registry_with(FakeConnector("fake", needs_secret)),
            call(secrets=Secrets(environ={})),
            POLICY,
        )
    with pytest.raises(FatalError, match="no connector named 'nope'"):
        invoke(ConnectorRegistry(), call("nope"), POLICY)


def test_invoke_passes_error_kinds_with_location() -> None:
    def business(c: ConnectorCall) -> None:
        raise BpmnError("NO_STOCK")

    with pytest.raises(BpmnError) as info:
        invoke(registry_with(FakeConnector("fake", business)), call(), POLICY)
    assert info.value.code == "NO_STOCK" and "[Task_1] instance i-1" in str(info.value)


def test_retryable_until_the_last_attempt() -> None:
    def flaky(c: ConnectorCall) -> None:
        raise RetryableError("busy", retry_after=2)

    registry = registry_with(FakeConnector("fake", flaky))
    with pytest.raises(RetryableError) as info:
        invoke(registry, call(attempt=2), POLICY)
    assert info.value.retry_after == 2 and not isinstance(info.value, FatalError)
    with pytest.raises(RetriesExhausted, match="gave up after attempt 3 of 3: busy"):
        invoke(registry, call(attempt=3), POLICY)


def test_invoke_redacts_secrets_from_results_and_errors() -> None:
    secrets = Secrets({"TOKEN": "s3cr3t"}, environ={})
    registry = registry_with(
        FakeConnector("fake", lambda c: ConnectorResult({"echo": "s3cr3t"}, {"m": "s3cr3t"}))
    )
    result = invoke(registry, call(secrets=secrets), POLICY)
    assert result == ConnectorResult({"echo": "***"}, {"m": "***"})

    def leak(c: ConnectorCall) -> None:
        raise FatalError("bad token s3cr3t")

    with pytest.raises(FatalError) as info:
        invoke(registry_with(FakeConnector("fake", leak)), call(secrets=secrets), POLICY)
    assert "s3cr3t" not in str(info.value) and "s3cr3t" not in repr(info.value)


def test_invoke_enforces_timeout_for_connectors_that_cannot() -> None:
    release = threading.Event()
    registry = registry_with(FakeConnector("fake", lambda c: release.wait(30)))
    try:
        with pytest.raises(RetryableError, match="did not finish"):
            invoke(registry, call(), RetryPolicy(timeout=0.05))
    finally:
        release.set()


def test_invoke_passes_deadline_to_the_connector() -> None:
    fake = FakeConnector("fake", lambda c: c.deadline is not None)
    assert invoke(registry_with(fake), call(), RetryPolicy(timeout=60)).data is True
    assert invoke(registry_with(FakeConnector("fake", lambda c: 1)), call(), POLICY).data == 1


def test_invoke_refuses_a_passed_deadline() -> None:
    fake = FakeConnector("fake")
    past = datetime.now(UTC) - timedelta(seconds=1)
    with pytest.raises(RetryableError, match="deadline passed"):
        invoke(registry_with(fake), call(deadline=past), POLICY)
    assert fake.calls == []

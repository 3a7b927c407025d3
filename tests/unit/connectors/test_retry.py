from __future__ import annotations

import random

import pytest

from seamline.connectors.retry import RetryPolicy, parse_duration
from seamline.errors import ConfigError


def test_exponential_backoff_without_jitter_then_exhausted() -> None:
    policy = RetryPolicy(max_attempts=4, initial=1.0, multiplier=2.0, jitter=0.0)
    assert [policy.next_delay(n) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, None]


def test_delay_is_capped() -> None:
    policy = RetryPolicy(max_attempts=10, initial=100, multiplier=10, max_delay=300, jitter=0)
    assert policy.next_delay(3) == 300


def test_jitter_is_bounded_and_deterministic_with_a_seeded_random() -> None:
    policy = RetryPolicy(max_attempts=5, initial=10, jitter=0.1)
    first = [policy.next_delay(2, rng=random.Random(7)) for _ in range(3)]
    assert first[0] == first[1] == first[2]
    seeded = RetryPolicy(max_attempts=5, initial=10, jitter=0.1, rng=random.Random(7))
    assert seeded.next_delay(2) == first[0]
    for seed in range(50):
        delay = policy.next_delay(2, rng=random.Random(seed))
        assert delay is not None and 18 <= delay <= 22


def test_retry_after_is_honoured_even_beyond_max_delay() -> None:
    policy = RetryPolicy(max_attempts=3, max_delay=5)
    assert policy.next_delay(1, retry_after=42) == 42
    assert policy.next_delay(3, retry_after=42) is None


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("PT1M", 60),
        ("PT1M30S", 90),
        ("P1D", 86400),
        ("PT0.5S", 0.5),
        ("P1W", 604800),
        ("PT2H", 7200),
    ],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "P", "PT", "1M", "PT1X", "P1DT"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ConfigError, match="ISO 8601"):
        parse_duration(text)


def test_camunda_repeat_cycle() -> None:
    policy = RetryPolicy.from_camunda_cycle("R5/PT1M")
    assert policy.max_attempts == 5
    assert [policy.next_delay(n) for n in range(1, 6)] == [60, 60, 60, 60, None]


def test_camunda_interval_list() -> None:
    policy = RetryPolicy.from_camunda_cycle("PT1M, PT5M,PT10M")
    assert policy.max_attempts == 4
    assert [policy.next_delay(n) for n in range(1, 5)] == [60, 300, 600, None]


def test_camunda_long_interval_is_not_capped() -> None:
    assert RetryPolicy.from_camunda_cycle("R2/PT1H").next_delay(1) == 3600


@pytest.mark.parametrize("cycle", ["", "R0/PT1M", "R3/soon", ",", "every minute"])
def test_camunda_cycle_errors(cycle: str) -> None:
    with pytest.raises(ConfigError):
        RetryPolicy.from_camunda_cycle(cycle)


def test_zeebe_retries() -> None:
    assert RetryPolicy.from_zeebe("5").max_attempts == 5
    assert RetryPolicy.from_zeebe("=2", jitter=0).max_attempts == 2
    with pytest.raises(ConfigError, match="positive whole number"):
        RetryPolicy.from_zeebe("=retries + 1")
    with pytest.raises(ConfigError):
        RetryPolicy.from_zeebe("0")


def test_from_params_overrides_default() -> None:
    base = RetryPolicy(max_attempts=3, initial=1, timeout=10)
    policy = RetryPolicy.from_params({"retryCount": "4", "retryBackoff": "PT30S"}, base)
    assert (policy.max_attempts, policy.initial, policy.timeout) == (4, 30.0, 10)
    assert RetryPolicy.from_params({}, base) is base
    cycle = RetryPolicy.from_params({"retry_cycle": "R2/PT5S"})
    assert (cycle.max_attempts, cycle.next_delay(1)) == (2, 5)


@pytest.mark.parametrize(
    "params", [{"retries": 2.5}, {"retries": "many"}, {"jitter": True}, {"timeout": [1]}]
)
def test_from_params_errors(params: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="retry parameter"):
        RetryPolicy.from_params(params)


@pytest.mark.parametrize(
    "fields", [{"max_attempts": 0}, {"initial": -1}, {"jitter": 2}, {"timeout": 0}]
)
def test_invalid_policy(fields: dict[str, float]) -> None:
    with pytest.raises(ConfigError):
        RetryPolicy(**fields)  # type: ignore[arg-type]

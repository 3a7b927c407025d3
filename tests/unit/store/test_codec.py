"""The tagged JSON and time encodings every store shares."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest

from seamline.errors import CorruptState, StoreError
from seamline.store import codec


@pytest.mark.parametrize(
    "value",
    [
        Decimal("1.10"),
        Decimal("-0E-7"),
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        datetime(2026, 1, 2, 3, 4, 5),
        date(2026, 2, 28),
        time(12, 30),
        {"$decimal": "x"},
        {"$dict": {"a": 1}},
        {"a": [1, 2.5, None, True, "s", {"b": Decimal("2")}]},
    ],
)
def test_values_round_trip(value: object) -> None:
    back = codec.loads(codec.dumps(value), table="t", row_id="r")
    assert back == value
    assert type(back) is type(value)


def test_tuples_come_back_as_lists() -> None:
    assert codec.roundtrip({"t": (1, 2)}) == {"t": [1, 2]}


def test_decimal_keeps_its_exponent_in_the_text() -> None:
    assert codec.dumps(Decimal("1.10")) == '{"$decimal":"1.10"}'


def test_non_string_keys_and_odd_types_are_refused() -> None:
    with pytest.raises(StoreError, match="instance x data: key 1 is not a string"):
        codec.dumps({1: "a"}, where="instance x data")
    with pytest.raises(StoreError, match="bytes value cannot be stored"):
        codec.dumps({"b": b"raw"})


@pytest.mark.parametrize("text", ["{", "[1,", '{"$decimal": "abc"}', '{"$date": 5}'])
def test_corrupt_json_names_the_row(text: str) -> None:
    with pytest.raises(CorruptState, match="jobs row j-1 holds JSON"):
        codec.loads(text, table="jobs", row_id="j-1")


def test_time_text_orders_like_time() -> None:
    plus5 = timezone(timedelta(hours=5))
    moments = [
        datetime(2026, 1, 1, 10, tzinfo=plus5),
        datetime(2026, 1, 1, 6, 0, 0, 1, tzinfo=UTC),
        datetime(2026, 1, 1, 6, 0, 1, tzinfo=UTC),
    ]
    texts = [codec.time_text(m, "t") for m in moments]
    assert texts == sorted(texts)
    assert len({len(t) for t in texts}) == 1
    back = [codec.text_time(t, table="x", row_id="1") for t in texts]
    assert back == moments


def test_naive_times_and_bad_timestamps() -> None:
    with pytest.raises(StoreError, match=r"timer t due_at: datetime .* has no time zone"):
        codec.time_text(datetime(2026, 1, 1), "timer t due_at")
    with pytest.raises(CorruptState, match="timers row t holds a timestamp"):
        codec.text_time("soon", table="timers", row_id="t")

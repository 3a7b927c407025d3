"""JSON and time encodings shared by every store.

Process data holds ``Decimal``, ``datetime`` and ``date`` values that plain JSON would turn into
floats or strings, so they are written as one-key tagged objects (``{"$decimal": "1.10"}``). A
user dict that happens to look like a tag is wrapped in ``{"$dict": ...}`` so that it comes back
unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from seamline.errors import CorruptState, StoreError

_TAGS = ("$decimal", "$datetime", "$date", "$time", "$dict")


def _tag(value: Any, where: str) -> Any:
    # bool before int is irrelevant here: both are plain JSON already.
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise StoreError(
                    f"{where}: key {key!r} is not a string; JSON objects only have string keys",
                    hint="convert the key to a string before storing it",
                )
            out[key] = _tag(item, where)
        if len(out) == 1 and next(iter(out)) in _TAGS:
            return {"$dict": out}
        return out
    if isinstance(value, list | tuple):
        return [_tag(item, where) for item in value]
    raise StoreError(
        f"{where}: a {type(value).__name__} value cannot be stored as JSON",
        hint="store strings, numbers, booleans, Decimal, date/datetime, lists and dicts",
    )


def _untag(value: Any) -> Any:
    if isinstance(value, list):
        return [_untag(item) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        key, inner = next(iter(value.items()))
        if key == "$decimal":
            return Decimal(inner)
        if key == "$datetime":
            return datetime.fromisoformat(inner)
        if key == "$date":
            return date.fromisoformat(inner)
        if key == "$time":
            return time.fromisoformat(inner)
        if key == "$dict":
            return {k: _untag(v) for k, v in inner.items()}
    return {k: _untag(v) for k, v in value.items()}


def names_json(names: tuple[str, ...] | list[str]) -> str:
    """A list of names as JSON (the hot path of task candidates: no tagging needed)."""
    return json.dumps(list(names), ensure_ascii=False, separators=(",", ":"))


def dumps(value: Any, *, where: str = "value") -> str:
    """Encode ``value`` as tagged JSON; ``where`` names the field in error messages."""
    return json.dumps(_tag(value, where), ensure_ascii=False, separators=(",", ":"))


def loads(text: str | None, *, table: str, row_id: str) -> Any:
    """Decode tagged JSON read from ``table`` row ``row_id``; CorruptState if it is unreadable."""
    if text is None:
        return None
    try:
        return _untag(json.loads(text))
    except (ValueError, TypeError, AttributeError, ArithmeticError) as exc:
        raise CorruptState(
            f"{table} row {row_id} holds JSON that cannot be read ({exc})",
            hint="restore the row from a backup or delete it",
        ) from exc


def roundtrip(value: Any, *, where: str = "value") -> Any:
    """Return what a store would give back for ``value`` (a deep, decoded copy)."""
    return loads(dumps(value, where=where), table="memory", row_id=where)


def check_time(value: datetime, where: str) -> datetime:
    """Refuse naive datetimes and normalise aware ones to UTC."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise StoreError(
            f"{where}: datetime {value.isoformat()} has no time zone",
            hint="use datetime.now(UTC) or attach tzinfo=UTC",
        )
    return value.astimezone(UTC)


def time_text(value: datetime, where: str) -> str:
    """A fixed-width UTC text form whose string order is time order."""
    return check_time(value, where).isoformat(timespec="microseconds")


def text_time(value: str, *, table: str, row_id: str) -> datetime:
    """Parse :func:`time_text` output; CorruptState naming the row if it is not a timestamp."""
    try:
        parsed = datetime.fromisoformat(value)
    except (ValueError, TypeError) as exc:
        raise CorruptState(
            f"{table} row {row_id} holds a timestamp that cannot be read: {value!r}",
            hint="restore the row from a backup or delete it",
        ) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)

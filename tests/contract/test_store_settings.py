"""The SettingStore contract: named values a database keeps about itself (its test clock)."""

from __future__ import annotations

from seamline.store import Store


def test_a_missing_setting_reads_as_none(store: Store) -> None:
    assert store.get_setting("test_clock") is None


def test_a_setting_is_replaced_not_duplicated(store: Store) -> None:
    store.put_setting("test_clock", "2026-01-05T09:00:00+00:00")
    store.put_setting("test_clock", "2026-01-05T10:00:00+00:00")
    assert store.get_setting("test_clock") == "2026-01-05T10:00:00+00:00"
    assert store.get_setting("other") is None

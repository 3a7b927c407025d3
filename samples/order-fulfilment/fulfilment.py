"""The order-fulfilment sample's connector functions (allow-listed in seamline.toml)."""

from __future__ import annotations

from seamline.errors import BpmnError

#: A tiny warehouse: units on hand per SKU.
STOCK = {"KEYBOARD": 12, "MOUSE": 40, "MONITOR": 3}


def reserve_stock(sku: str, quantity: int) -> dict[str, object]:
    """Reserve ``quantity`` units of ``sku``; BPMN error OUT_OF_STOCK when there are too few."""
    available = STOCK.get(sku, 0)
    if quantity > available:
        raise BpmnError("OUT_OF_STOCK", f"{sku}: {quantity} wanted, {available} on hand")
    return {"reservation_id": f"R-{sku}-{quantity}", "remaining": available - quantity}


def backorder(sku: str, quantity: int) -> dict[str, object]:
    """Record a backorder; the supplier needs two weeks."""
    return {"backorder_id": f"B-{sku}-{quantity}", "expected_in_days": 14}

"""The core-banking side of the customer-onboarding sample.

The service task "Open customer account" calls :func:`open_account` through the ``python``
connector; ``seamline.toml`` allow-lists it.
"""

from __future__ import annotations

import hashlib


def open_account(customer_name: str, country: str, risk_level: str) -> dict[str, str]:
    """Open an account and return its number; the same customer always gets the same number."""
    digest = hashlib.sha256(f"{country}:{customer_name}".encode()).hexdigest()
    number = int(digest[:10], 16) % 10**8
    return {
        "account_number": f"{country}{number:08d}",
        "review_cycle": "quarterly" if risk_level == "high" else "yearly",
    }

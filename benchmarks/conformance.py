"""The conformance pass rate: how many Camunda engine-test scenarios seamline runs as Camunda does.

Run: .venv/bin/python benchmarks/conformance.py [-n 2] [--json]

Runs ``tests/conformance`` (one file per area, ``test_<area>.py``) and counts, per area and in
total, the cases that pass as Camunda's test asserts. A case marked
``@pytest.mark.refused("why")`` asserts that seamline refuses the diagram at load with a located
error; it passes as a test but is not conformant, and is listed with its reason.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
SUITE = ROOT / "tests" / "conformance"


class Tally:
    """A pytest plugin that records each case's area, outcome and refusal reason (from the
    reports, so that it counts alike in process and under xdist)."""

    def __init__(self) -> None:
        self.cases: dict[str, dict[str, Any]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if "tests/conformance/" not in report.nodeid.replace("\\", "/"):
            return
        case = self.cases.setdefault(
            report.nodeid,
            {
                "area": Path(report.nodeid.split("::")[0]).stem.removeprefix("test_"),
                "refused": None,
                "outcome": "not run",
            },
        )
        for key, value in report.user_properties:
            if key == "refused":
                case["refused"] = value
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            case["outcome"] = report.outcome


def summarize(cases: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Per area: cases, conformant (passed, not refused), refused, failed; and the total."""
    areas: dict[str, dict[str, int]] = defaultdict(
        lambda: {"cases": 0, "conformant": 0, "refused": 0, "failed": 0}
    )
    for case in cases.values():
        row = areas[case["area"]]
        row["cases"] += 1
        if case["outcome"] != "passed":
            row["failed"] += 1
        elif case["refused"]:
            row["refused"] += 1
        else:
            row["conformant"] += 1
    total = {
        k: sum(a[k] for a in areas.values()) for k in ("cases", "conformant", "refused", "failed")
    }
    return {"areas": dict(sorted(areas.items())), "total": total}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", default="0", help="pytest-xdist workers (default: in process)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    tally = Tally()
    pytest_args = [str(SUITE), "-q", "-p", "no:cacheprovider", "--no-header", "-o", "addopts="]
    pytest_args += ["--import-mode=importlib", "-W", "ignore::DeprecationWarning"]
    if args.n != "0":
        pytest_args += ["-n", args.n]
    code = pytest.main(pytest_args, plugins=[tally])
    figures = summarize(tally.cases)
    refused = sorted(
        (c["area"], nodeid.split("::")[-1], c["refused"])
        for nodeid, c in tally.cases.items()
        if c["refused"]
    )
    if args.json:
        print(json.dumps({**figures, "refused": refused}, indent=2))
        return 0 if code in (0, 1) else int(code)
    console = Console()
    table = Table(title="Conformance with Camunda's engine tests")
    for column in ("area", "cases", "conformant", "refused", "failed", "rate"):
        table.add_column(column, justify="left" if column == "area" else "right")
    rows = [*figures["areas"].items(), ("total", figures["total"])]
    for area, row in rows:
        rate = row["conformant"] / row["cases"] if row["cases"] else 0.0
        colour = "green" if rate >= 0.95 else "yellow" if rate >= 0.8 else "red"
        table.add_row(
            f"[bold]{area}[/]" if area == "total" else area,
            str(row["cases"]),
            str(row["conformant"]),
            str(row["refused"]),
            str(row["failed"]),
            f"[{colour}]{rate:.1%}[/]",
        )
    console.print(table)
    if refused:
        listing = Table(title="Refused on purpose (a located error at load)")
        for column in ("area", "case", "why"):
            listing.add_column(column)
        for area, name, why in refused:
            listing.add_row(area, name, why)
        console.print(listing)
    return 0 if code in (0, 1) else int(code)


if __name__ == "__main__":
    sys.exit(main())

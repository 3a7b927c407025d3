"""Messages say each thing once: no "instance X: instance is ..." or "claimed ...: claimed"."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

REPEATED = re.compile(r"\b(\w{3,})\b\W+(?:\S+\W+)?\1\b", re.IGNORECASE)


def test_a_finished_instance_refuses_in_one_plain_sentence(sample: Callable[..., Any]) -> None:
    cli = sample("invoice-approval")
    started = cli.json("run", "invoice-approval.bpmn", "--data", "@data.json")
    instance = started["instance"]
    cli("--as", "root", "cancel", instance)
    for args, rest in (
        (("--as", "root", "cancel", instance), "already cancelled"),
        (("--as", "root", "resume", instance), "already cancelled; there is nothing to resume"),
        (
            ("--as", "root", "set", instance, "--data", '{"a": 1}'),
            "already cancelled; its data can no longer change",
        ),
    ):
        refused = cli(*args, expect=1)
        [line] = refused.stderr.splitlines()
        assert line == f"error: instance {instance}: {rest}"
        assert not REPEATED.search(line.split(": ", 1)[1].replace(instance, "ID")), line

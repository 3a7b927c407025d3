"""Engine figures: seamline, durable on SQLite, side by side with stock SpiffWorkflow 3.2.0.

Run: .venv/bin/python benchmarks/engine_bench.py [--quick]

Both sides run the same diagram files. seamline runs every instance through ``App`` on a SQLite
file (each wait is a commit); stock SpiffWorkflow runs in memory (``BpmnParser``,
``BpmnWorkflow``, ``do_engine_steps`` with its default script engine) and never persists unless a
scenario says so. Every figure is the median of several timed repeats (``time.perf_counter``).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from seamline.app import App
from seamline.connectors.base import ConnectorCall, ConnectorResult, ParamSpec
from seamline.connectors.registry import ConnectorRegistry
from seamline.store.records import InstanceStatus
from seamline.store.sqlite import SqliteStore

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs" '
    'targetNamespace="http://bpmn.io/schema/bpmn">\n'
)


def _process(pid: str, nodes: list[str], flows: list[tuple[str, str, str | None]]) -> str:
    parts = [HEAD, f'<bpmn:process id="{pid}" isExecutable="true">']
    parts += nodes
    for k, (src, dst, cond) in enumerate(flows):
        if cond is None:
            parts.append(f'<bpmn:sequenceFlow id="f{k}" sourceRef="{src}" targetRef="{dst}"/>')
        else:
            text = cond.replace("<", "&lt;")
            parts.append(
                f'<bpmn:sequenceFlow id="f{k}" sourceRef="{src}" targetRef="{dst}">'
                f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{text}'
                "</bpmn:conditionExpression></bpmn:sequenceFlow>"
            )
    parts += ["</bpmn:process>", "</bpmn:definitions>\n"]
    return "\n".join(parts)


def _chain(pid: str, element: Callable[[int], str], count: int) -> str:
    ids = ["start", *[f"t{k}" for k in range(count)], "end"]
    nodes = ['<bpmn:startEvent id="start"/>', *[element(k) for k in range(count)]]
    nodes.append('<bpmn:endEvent id="end"/>')
    return _process(pid, nodes, [(a, b, None) for a, b in itertools.pairwise(ids)])


def _script(tid: str, code: str) -> str:
    body = f"<bpmn:script>{code}</bpmn:script>"
    return f'<bpmn:scriptTask id="{tid}" scriptFormat="python">{body}</bpmn:scriptTask>'


STRAIGHT = _chain("straight", lambda k: _script(f"t{k}", "x = x + 1"), 10)
SERVICES = _chain("services", lambda k: f'<bpmn:serviceTask id="t{k}" implementation="noop"/>', 10)
LOOP = _process(
    "loop",
    [
        '<bpmn:startEvent id="start"/>',
        _script("inc", "i = i + 1"),
        '<bpmn:exclusiveGateway id="again" default="f3"/>',
        '<bpmn:endEvent id="end"/>',
    ],
    [
        ("start", "inc", None),
        ("inc", "again", None),
        ("again", "inc", "i < n"),
        ("again", "end", None),
    ],
)
USER_LOOP = _process(
    "user_loop",
    [
        '<bpmn:startEvent id="start"/>',
        '<bpmn:userTask id="work" name="Work"/>',
        _script("count", "i = i + 1"),
        '<bpmn:exclusiveGateway id="again" default="f4"/>',
        '<bpmn:endEvent id="end"/>',
    ],
    [
        ("start", "work", None),
        ("work", "count", None),
        ("count", "again", None),
        ("again", "work", "i < n"),
        ("again", "end", None),
    ],
)


class NoopConnector:
    """A connector that does nothing and returns nothing, so only the engine's cost is seen."""

    name = "noop"
    description = "Does nothing."
    parameters: Mapping[str, ParamSpec] = {}

    def invoke(self, call: ConnectorCall) -> ConnectorResult:
        """Answer at once."""
        return ConnectorResult(data={})


#: scenario, measure, seamline, stock, seamline vs stock, target
Row = tuple[str, str, str, str, str, str]


def median_time(action: Callable[[], Any], repeats: int) -> float:
    """The median wall time of ``repeats`` calls of ``action``, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def stock_spec(path: Path, pid: str) -> Any:
    """The process spec as stock SpiffWorkflow parses it."""
    parser = BpmnParser()
    parser.add_bpmn_file(str(path))
    return parser.get_spec(pid)


def stock_start(spec: Any, data: Mapping[str, Any]) -> BpmnWorkflow:
    """A new stock workflow with ``data`` on its start task."""
    workflow = BpmnWorkflow(spec)
    for task in workflow.get_tasks(state=TaskState.READY):
        task.data.update(data)
    return workflow


def seamline_app(folder: Path, name: str, registry: ConnectorRegistry | None = None) -> App:
    """An App on a fresh SQLite file in ``folder``."""
    return App(SqliteStore(folder / f"{name}.db"), connectors=registry)


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s"


# -- 1. straight through ------------------------------------------------------------------------


def straight_through(folder: Path, instances: int, repeats: int) -> list[Row]:
    """Instances/s of a 10-script-task process: seamline durable vs stock in memory."""
    path = folder / "straight.bpmn"
    path.write_text(STRAIGHT, encoding="utf-8")
    spec = stock_spec(path, "straight")

    def stock() -> None:
        for _ in range(instances):
            workflow = stock_start(spec, {"x": 0})
            workflow.do_engine_steps()
            assert workflow.is_completed() and workflow.last_task.data["x"] == 10

    with seamline_app(folder, "straight") as app:
        app.deploy([path])

        def ours() -> None:
            for _ in range(instances):
                view = app.run("straight", {"x": 0})
                assert view.instance.status is InstanceStatus.COMPLETED
                assert view.instance.data["x"] == 10

        ours()  # warm the definition cache, as a long-running server would be
        t_ours = median_time(ours, repeats)
    t_stock = median_time(stock, repeats)
    ratio = f"{t_stock / t_ours:.2f}x"
    mine, theirs = _rate(instances, t_ours), _rate(instances, t_stock)
    return [("1. 10 script tasks", "instances/s", mine, theirs, ratio, ">= 0.5x")]


# -- 2. gateway loop ----------------------------------------------------------------------------


def gateway_loop(folder: Path, iterations: int, repeats: int, stock_repeats: int) -> list[Row]:
    """A 1,000-iteration automatic loop: seamline reaches the end; stock stops early."""
    path = folder / "loop.bpmn"
    path.write_text(LOOP, encoding="utf-8")
    spec = stock_spec(path, "loop")
    reached: dict[str, Any] = {}

    def stock() -> None:
        workflow = stock_start(spec, {"i": 0, "n": iterations})
        workflow.do_engine_steps()
        reached["i"] = max(int(t.data.get("i", 0)) for t in workflow.tasks.values())
        reached["completed"] = workflow.is_completed()

    with seamline_app(folder, "loop") as app:
        app.deploy([path])

        def ours() -> None:
            view = app.run("loop", {"i": 0, "n": iterations})
            assert view.instance.status is InstanceStatus.COMPLETED
            assert view.instance.data["i"] == iterations

        ours()
        t_ours = median_time(ours, repeats)
    t_stock = median_time(stock, stock_repeats)
    per_ours = iterations / t_ours
    per_stock = reached["i"] / t_stock
    mine, theirs = f"{t_ours * 1000:,.1f} ms", f"{t_stock * 1000:,.1f} ms"
    return [
        (
            f"2. {iterations:,}-iteration loop",
            "i reached",
            f"{iterations:,}",
            f"{reached['i']:,}",
            "",
            f"{iterations:,}",
        ),
        ("", "is_completed()", "True", str(reached["completed"]), "", ""),
        ("", "time per run", mine, theirs, f"{t_stock / t_ours:.1f}x faster", ">= 20x"),
        (
            "",
            "iterations/s",
            f"{per_ours:,.0f}",
            f"{per_stock:,.0f}",
            f"{per_ours / per_stock:.1f}x",
            "",
        ),
    ]


# -- 3. resume cost and snapshot size -----------------------------------------------------------


def stock_flat_steps(workflow: BpmnWorkflow) -> None:
    """Run ready automatic tasks found in ``workflow.tasks``.

    ``do_engine_steps`` finds ready tasks with a tree iterator that stops at depth 1,000, which a
    user-task loop passes after about 250 iterations; the flat index has no such limit, so this
    is what an application must do to get stock SpiffWorkflow to 1,000 iterations.
    """
    while True:
        ready = [
            t
            for t in workflow.tasks.values()
            if t.state == TaskState.READY and not t.task_spec.manual
        ]
        if not ready:
            return
        for task in ready:
            if task.state == TaskState.READY:
                task.run()


def stock_user_loop(spec: Any, iterations: int) -> tuple[BpmnWorkflow, int]:
    """A stock workflow after ``iterations`` completed user tasks; also how far
    ``get_tasks`` + ``do_engine_steps`` alone would have gone."""
    workflow = stock_start(spec, {"i": 0, "n": iterations + 1})
    workflow.do_engine_steps()
    plain_limit = 0
    for k in range(iterations):
        found = workflow.get_tasks(state=TaskState.READY, manual=True)
        if found and plain_limit == k:
            plain_limit = k + 1
        [task] = [
            t for t in workflow.tasks.values() if t.state == TaskState.READY and t.task_spec.manual
        ]
        task.run()
        stock_flat_steps(workflow)
    return workflow, plain_limit


def resume_cost(folder: Path, small: int, large: int, repeats: int) -> list[Row]:
    """Snapshot bytes and load + deserialize time after ``small`` vs ``large`` iterations."""
    path = folder / "user_loop.bpmn"
    path.write_text(USER_LOOP, encoding="utf-8")
    spec = stock_spec(path, "user_loop")
    serializer = BpmnWorkflowSerializer()
    ours: dict[int, tuple[float, float]] = {}
    stock: dict[int, tuple[float, float]] = {}
    plain_limit = 0
    with seamline_app(folder, "user_loop") as app:
        app.deploy([path])
        for count in (small, large):
            view = app.run("user_loop", {"i": 0, "n": count + 1})
            for _ in range(count):
                [task] = app.tasks(instance_id=view.instance.id)
                app.complete(task.id, {})
            instance_id = view.instance.id

            def load(instance_id: str = instance_id) -> None:
                instance, blob = app.store.load_snapshot(instance_id)
                definition = app.definitions.get(instance.definition_hash, instance.process_id)
                app.engine.snapshots.load(blob, definition.spec, definition.subprocess_specs)

            _, blob = app.store.load_snapshot(instance_id)
            ours[count] = (len(blob), median_time(load, repeats))
    for count in (small, large):
        workflow, reached = stock_user_loop(spec, count)
        plain_limit = max(plain_limit, reached)
        text = serializer.serialize_json(workflow)
        stock[count] = (len(text.encode()), median_time(_deserializer(serializer, text), repeats))

    formats: dict[str, Callable[[float], str]] = {
        "snapshot size": lambda n: f"{n / 1024:,.1f} KiB",
        "load + deserialize": lambda t: f"{t * 1000:,.2f} ms",
    }
    rows = []
    for index, (label, fmt) in enumerate(formats.items()):
        for count in (small, large):
            mine, theirs = fmt(ours[count][index]), fmt(stock[count][index])
            rows.append(("", f"{label} after {count:,}", mine, theirs, "", ""))
        ours_growth = ours[large][index] / ours[small][index]
        stock_growth = stock[large][index] / stock[small][index]
        growth = (f"{ours_growth:.1f}x", f"{stock_growth:.1f}x")
        rows.append(("", f"{label} {large:,}/{small:,}", *growth, "", "seamline <= 3x"))
    rows[0] = (f"3. user-task loop, {small:,} vs {large:,}", *rows[0][1:])
    found = ("", "get_tasks() finds the user task until", f"{large:,}", f"{plain_limit:,}", "", "")
    return [*rows, found]


def _deserializer(serializer: BpmnWorkflowSerializer, text: str) -> Callable[[], Any]:
    return lambda: serializer.deserialize_json(text)


# -- 4. service tasks ---------------------------------------------------------------------------


def service_tasks(folder: Path, instances: int, repeats: int) -> list[Row]:
    """10 service tasks with a no-op connector: durable jobs vs tasks the application completes."""
    path = folder / "services.bpmn"
    path.write_text(SERVICES, encoding="utf-8")
    spec = stock_spec(path, "services")

    def stock() -> None:
        for _ in range(instances):
            workflow = stock_start(spec, {})
            workflow.do_engine_steps()
            while not workflow.is_completed():
                # Plain BpmnParser leaves a service task STARTED for the application to finish.
                for task in workflow.get_tasks(state=TaskState.STARTED):
                    task.complete()
                workflow.do_engine_steps()

    registry = ConnectorRegistry()
    registry.register(NoopConnector())
    with seamline_app(folder, "services", registry) as app:
        app.deploy([path])

        def ours() -> None:
            for _ in range(instances):
                view = app.run("services", {})
                assert view.instance.status is InstanceStatus.COMPLETED

        ours()
        t_ours = median_time(ours, repeats)
    t_stock = median_time(stock, repeats)
    mine, theirs = _rate(instances, t_ours), _rate(instances, t_stock)
    ratio = f"{t_stock / t_ours:.2f}x"
    return [("4. 10 service tasks (no-op)", "instances/s", mine, theirs, ratio, "")]


# -- main ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    """Run every scenario and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer instances and repeats")
    args = parser.parse_args(argv)
    quick = args.quick
    console = Console()
    if not console.is_terminal:
        console = Console(width=132)  # a pipe or a file gets the whole table unwrapped
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="seamline-bench-") as tmp:
        folder = Path(tmp)
        # (instances or iterations, repeats) per scenario, --quick first
        n, r = (20, 3) if quick else (100, 5)
        steps: list[tuple[str, Callable[[], list[Row]]]] = [
            ("straight through", lambda: straight_through(folder, n, r)),
            ("gateway loop", lambda: gateway_loop(folder, 1000, r, 1 if quick else 3)),
            ("resume cost", lambda: resume_cost(folder, 10, 1000, 4 * r)),
            ("service tasks", lambda: service_tasks(folder, n // 2, r)),
        ]
        for name, step in steps:
            with console.status(f"running {name}..."):
                rows += step()
    table = Table(title="seamline (durable, SQLite) vs stock SpiffWorkflow 3.2.0 (in memory)")
    for column in ("scenario", "measure", "seamline", "stock", "seamline vs stock", "target"):
        table.add_column(column, justify="left" if column in ("scenario", "measure") else "right")
    for row in rows:
        table.add_row(*row)
    console.print(table)
    console.print(
        "Ratios above 1x favour seamline (throughput ratio, or stock time / seamline time). "
        f"Medians of repeated runs{' (--quick)' if quick else ''}."
    )


if __name__ == "__main__":
    main()

"""The HTML pages: the inbox, a task with its form, the instances."""

from __future__ import annotations

import json
import re
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from seamline import history as history_view
from seamline.bpmn.form_links import form_notes
from seamline.errors import FormInvalid, SeamlineError, UsageError
from seamline.humans.forms import formjs_unsupported
from seamline.humans.prefill import prefill_of
from seamline.store.records import HumanTask, Instance, InstanceStatus, TaskStatus
from seamline.web.formfields import build_fields, parse_posted, resubmitted_values
from seamline.web.http import Response, Router, json_default, redirect
from seamline.web.overlay import instance_svg
from seamline.web.variable_rows import VariableRow, parse_rows, posted_rows

if TYPE_CHECKING:
    from seamline.web.wsgi import Ctx

_STATIC = Path(__file__).parent / "static"
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*")


def public(handler: Any) -> Any:
    """Mark a handler that needs nobody signed in."""
    handler.public = True
    return handler


def register(router: Router) -> None:
    """Add the pages to ``router``."""
    router.add("GET", "/static/seamline.css", stylesheet)
    router.add("GET", "/static/task.js", task_script)
    router.add("GET", "/", inbox)
    router.add("GET", "/tasks/{task_id}", task_page)
    router.add("POST", "/tasks/{task_id}/claim", claim)
    router.add("POST", "/tasks/{task_id}/unclaim", unclaim)
    router.add("POST", "/tasks/{task_id}/complete", complete)
    router.add("GET", "/instances", instances)
    router.add("GET", "/instances/{instance_id}", instance_page)
    router.add("GET", "/instances/{instance_id}/diagram.svg", instance_diagram)


def candidates(task: HumanTask) -> str:
    """Who may take a task, as one line (groups marked with @)."""
    return ", ".join([*task.candidate_users, *(f"@{g}" for g in task.candidate_groups)])


@public
def stylesheet(ctx: Ctx) -> Response:
    """The one stylesheet."""
    return Response((_STATIC / "seamline.css").read_bytes(), 200, "text/css; charset=utf-8")


@public
def task_script(ctx: Ctx) -> Response:
    """The task page's script (a file, so a script-src 'self' policy allows it)."""
    body = (_STATIC / "task.js").read_bytes()
    return Response(body, 200, "text/javascript; charset=utf-8")


# -- tasks ----------------------------------------------------------------------------------------


def inbox(ctx: Ctx) -> Response:
    """GET /: the tasks the acting user may take."""
    done = ctx.request.arg("completed")
    if done:
        ctx.notices.append(f"Task {done} completed.")
    rows = ctx.app.tasks(user=ctx.user_name)
    return ctx.render("inbox.html", tasks=rows)


def _svg(ctx: Ctx, instance_id: str) -> tuple[Markup, list[str]]:
    """The instance drawn on its diagram, as inline SVG; a picture that fails is a note."""
    try:
        svg, _status = instance_svg(ctx.app, instance_id)
    except Exception as exc:  # the page is still useful without its picture
        if not isinstance(exc, SeamlineError):
            traceback.print_exc(file=ctx.request.environ.get("wsgi.errors", sys.stderr))
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return Markup(""), [f"the diagram cannot be drawn: {first}"]
    # The renderer escapes every name and label it writes, so its SVG is safe to inline.
    return Markup(_XML_DECLARATION.sub("", svg)), []


def task_page(
    ctx: Ctx,
    task_id: str,
    *,
    values: dict[str, Any] | None = None,
    errors: list[str] | None = None,
    rows: list[VariableRow] | None = None,
    status: int = 200,
) -> Response:
    """GET /tasks/<id>: the task, its form (filled with its prefill), the instance's variables
    and its diagram beside it; a task without a form offers "Add variable" rows."""
    row = ctx.app.task(task_id)
    start = values if values is not None else prefill_of(row.form)
    fields, loose = build_fields(row.form, start, errors or [])
    inst = ctx.app.show(row.instance_id, history=False).instance
    svg, problems = _svg(ctx, row.instance_id)
    if errors:
        loose = [] if rows else loose
        problems = ["Nothing was saved: correct the fields marked below.", *loose, *problems]
    return ctx.render(
        "task.html",
        status,
        task=row,
        fields=fields,
        rows=rows or [VariableRow()],
        variables=_variables(inst.data),
        form_notes=_form_notes(ctx, row, inst.definition_hash),
        active=row.status in (TaskStatus.OPEN, TaskStatus.CLAIMED),
        svg=svg,
        problems=problems,
    )


def _variables(data: Any) -> list[tuple[str, str]]:
    """The instance's variables as (name, JSON text) rows, by name."""
    return [
        (str(k), json.dumps(v, default=json_default, ensure_ascii=False))
        for k, v in sorted(dict(data).items())
    ]


def _form_notes(ctx: Ctx, row: HumanTask, definition_hash: str) -> list[str]:
    """What of the task's form as drawn the page cannot show."""
    notes = formjs_unsupported(row.form or {})
    try:
        definition = ctx.app.definitions.get(definition_hash, row.process_id)
    except SeamlineError:
        return notes  # the page still works without the diagram's word on its form
    element = definition.elements.get(row.element_id)
    return form_notes(element.extensions) + notes if element else notes


def _back(ctx: Ctx, asked: str, task_id: str) -> str:
    # Claim buttons live on the inbox and on the task page; go back to where the click was.
    referer = ctx.request.header("Referer") or ""
    if f"/tasks/{asked}" in referer:
        return f"{ctx.root}/tasks/{task_id}"
    return f"{ctx.root}/"


def claim(ctx: Ctx, task_id: str) -> Response:
    """POST /tasks/<id>/claim."""
    row = ctx.app.claim(task_id, user=ctx.user_name)
    return redirect(_back(ctx, task_id, row.id))


def unclaim(ctx: Ctx, task_id: str) -> Response:
    """POST /tasks/<id>/unclaim."""
    row = ctx.app.unclaim(task_id, user=ctx.user_name)
    return redirect(_back(ctx, task_id, row.id))


def complete(ctx: Ctx, task_id: str) -> Response:
    """POST /tasks/<id>/complete: the form's fields (or, without a form, the variable rows);
    errors go back to the page, per field or row, and nothing is saved.

    Posted fields become data and then go through the same validation as ``complete --data``.
    """
    row = ctx.app.task(task_id)
    posted = ctx.request.form()
    rows = [] if row.form else posted_rows(posted)
    try:
        data = parse_posted(row.form, posted) if row.form else parse_rows(rows)
        ctx.app.complete(row.id, data, user=ctx.user_name)
    except FormInvalid as exc:
        values = resubmitted_values(row.form, posted)
        errors = exc.errors or [str(exc)]
        return task_page(ctx, row.id, values=values, errors=errors, rows=rows, status=400)
    return redirect(f"{ctx.root}/?completed={row.id[:8]}")


# -- instances ------------------------------------------------------------------------------------


def instances(ctx: Ctx) -> Response:
    """GET /instances: newest first, optionally ``?status=``."""
    status = ctx.request.arg("status") or None
    known = [s.value for s in InstanceStatus]
    if status not in (None, *known):
        raise UsageError(f"unknown status {status!r}; one of {', '.join(known)}")
    rows = ctx.app.instances(status=status, limit=200)
    return ctx.render("instances.html", instances=rows, statuses=known)


def instance_page(ctx: Ctx, instance_id: str) -> Response:
    """GET /instances/<id>: status, data, waits, history and the instance on its diagram."""
    view = ctx.app.show(instance_id)
    svg, problems = _svg(ctx, view.instance.id)
    data_json = json.dumps(
        dict(view.instance.data), indent=2, default=json_default, ensure_ascii=False
    )
    return ctx.render(
        "instance.html",
        inst=view.instance,
        waiting=view.waiting,
        history=history_view.rows(view.history or (), _element_types(ctx, view.instance)),
        data_json=data_json,
        svg=svg,
        problems=problems,
    )


def _element_types(ctx: Ctx, instance: Instance) -> dict[str, str]:
    try:
        definition = ctx.app.definitions.get(instance.definition_hash, instance.process_id)
    except SeamlineError:  # the names fall back to the event kinds
        return {}
    return history_view.element_types(definition)


def instance_diagram(ctx: Ctx, instance_id: str) -> Response:
    """GET /instances/<id>/diagram.svg: the picture on its own."""
    svg, _status = instance_svg(ctx.app, ctx.app.show(instance_id, history=False).instance.id)
    return Response(svg.encode("utf-8"), 200, "image/svg+xml; charset=utf-8")

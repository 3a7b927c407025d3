"""The JSON API for scripts and other front ends: the shapes the CLI's ``--json`` prints.

Errors are ``{"error": "one line"}`` (plus ``"errors": [...]`` per field for invalid form
data) with the status :data:`seamline.errors.OUTCOMES` gives the error's kind: 400 (invalid
data or request), 403 (the acting user may not), 404 (no such task or instance), 409 (it
changed meanwhile: load it again and retry; or it is not in a state that allows this), 413
(body too large), 415 (not JSON), 500 (a bug, or the store or configuration failed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from seamline.engine.step import task_json
from seamline.errors import UsageError
from seamline.store.records import InstanceStatus
from seamline.web.http import Response, Router, json_response

if TYPE_CHECKING:
    from seamline.web.wsgi import Ctx


def register(router: Router) -> None:
    """Add the API routes to ``router``."""
    router.add("GET", "/api/tasks", list_tasks)
    router.add("GET", "/api/tasks/{task_id}", get_task)
    router.add("POST", "/api/tasks/{task_id}/claim", claim)
    router.add("POST", "/api/tasks/{task_id}/unclaim", unclaim)
    router.add("POST", "/api/tasks/{task_id}/complete", complete)
    router.add("GET", "/api/instances", list_instances)
    router.add("GET", "/api/instances/{instance_id}", get_instance)


def _flag(ctx: Ctx, name: str) -> bool:
    return (ctx.request.arg(name) or "").lower() in ("1", "true", "yes", "on")


def _limit(ctx: Ctx, default: int) -> int:
    text = ctx.request.arg("limit")
    if text is None:
        return default
    if not text.isdigit() or not 0 < int(text) <= 1000:
        raise UsageError(f"limit must be a whole number from 1 to 1000 (got {text!r})")
    return int(text)


def list_tasks(ctx: Ctx) -> Response:
    """GET /api/tasks[?mine=1&group=G&overdue=1&instance=I&limit=N]: like ``seamline tasks``."""
    instance_id = ctx.request.arg("instance")
    if instance_id:
        instance_id = ctx.app.store.get_instance(instance_id).id
    rows = ctx.app.tasks(
        user=ctx.user_name,
        mine=_flag(ctx, "mine"),
        group=ctx.request.arg("group") or None,
        overdue=_flag(ctx, "overdue"),
        instance_id=instance_id,
        limit=_limit(ctx, 100),
    )
    return json_response([task_json(t) for t in rows])


def get_task(ctx: Ctx, task_id: str) -> Response:
    """GET /api/tasks/<id>: one task, its form included."""
    return json_response(task_json(ctx.app.task(task_id)))


def claim(ctx: Ctx, task_id: str) -> Response:
    """POST /api/tasks/<id>/claim: like ``seamline claim --json``."""
    return json_response(task_json(ctx.app.claim(task_id, user=ctx.user_name)))


def unclaim(ctx: Ctx, task_id: str) -> Response:
    """POST /api/tasks/<id>/unclaim: like ``seamline unclaim --json``."""
    return json_response(task_json(ctx.app.unclaim(task_id, user=ctx.user_name)))


def complete(ctx: Ctx, task_id: str) -> Response:
    """POST /api/tasks/<id>/complete with the form data as a JSON object: the instance after."""
    data = ctx.request.json()
    view = ctx.app.complete(task_id, data, user=ctx.user_name)
    return json_response(view.to_json())


def list_instances(ctx: Ctx) -> Response:
    """GET /api/instances[?status=S&process=P&limit=N]: like ``seamline instances --json``."""
    status = ctx.request.arg("status") or None
    known = [s.value for s in InstanceStatus]
    if status not in (None, *known):
        raise UsageError(f"unknown status {status!r}; one of {', '.join(known)}")
    rows = ctx.app.instances(
        status=status, process_id=ctx.request.arg("process") or None, limit=_limit(ctx, 50)
    )
    out: list[dict[str, Any]] = [
        {
            "instance": i.id,
            "process": i.process_id,
            "status": i.status.value,
            "business_key": i.business_key,
            "version": i.definition_hash,
            "created": i.created_at,
            "updated": i.updated_at,
            "error": i.error,
        }
        for i in rows
    ]
    return json_response(out)


def get_instance(ctx: Ctx, instance_id: str) -> Response:
    """GET /api/instances/<id>: like ``seamline show --json`` (history included)."""
    return json_response(ctx.app.show(instance_id).to_json())

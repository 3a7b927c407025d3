"""The sign-in page: GET shows the configured users, POST (with the CSRF token) signs in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from seamline.errors import Forbidden, UsageError
from seamline.web.http import Response, Router, redirect

if TYPE_CHECKING:
    from seamline.web.wsgi import Ctx


def register(router: Router) -> None:
    """Add the sign-in routes to ``router``."""
    for method, path, handler in (
        ("GET", "/login", login),
        ("POST", "/login", sign_in),
        ("POST", "/logout", logout),
    ):
        handler.public = True  # type: ignore[attr-defined]
        router.add(method, path, handler)


def login_page(ctx: Ctx, *, problems: list[str] | None = None, status: int = 200) -> Response:
    """The list of configured users to act as, each a sign-in button."""
    return ctx.render(
        "login.html", status, users=ctx.app.directory.users(), problems=problems or []
    )


def login(ctx: Ctx) -> Response:
    """GET /login: the sign-in page (it never signs anybody in by itself)."""
    if ctx.session is not None and ctx.session.user is not None:
        ctx.user = ctx.app.directory.get(ctx.session.user)
    return login_page(ctx)


def sign_in(ctx: Ctx) -> Response:
    """POST /login with ``user`` and the page's token: a new session for that user."""
    names = ctx.request.form().get("user") or [""]
    name = names[-1].strip()
    if not ctx.app.directory.users():
        raise UsageError("no users are configured: everyone acts as the operator")
    if not name:
        return login_page(ctx, problems=["pick a user to sign in as"], status=400)
    user = ctx.app.directory.get(name)
    if user is None:
        # Only that the name is unknown: listing the known ones would help an attacker.
        return login_page(ctx, problems=[str(Forbidden(f"unknown user {name}"))], status=403)
    response = redirect(f"{ctx.root}/")
    # A new session id on every sign-in: a token or cookie planted before it is worth nothing.
    ctx.start_session(response, user.name)
    return response


def logout(ctx: Ctx) -> Response:
    """POST /logout: forget who signed in."""
    response = redirect(f"{ctx.root}/login")
    ctx.end_session(response)
    return response

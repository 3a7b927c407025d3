"""``make_wsgi_app(app)``: the web inbox and JSON API as a plain WSGI callable.

Any WSGI server can host it (``seamline web`` uses the standard library's ``wsgiref``). Requests
are handled one at a time by the caller's server; every handler goes through the same ``App``
the CLI uses, so the rules (who may claim, form validation, instance versions) are the engine's.

Who is acting: the ``X-Seamline-User`` header (set by a single sign-on proxy in front) wins,
then a ``?as=NAME`` query (which the login page uses, and which is remembered in a cookie),
then the ``user`` cookie. Without a header this is a demonstration identity, not security.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from seamline.errors import (
    ConfigError,
    CorruptState,
    Forbidden,
    FormInvalid,
    InstanceChanged,
    InvalidState,
    NotFound,
    SeamlineError,
    StoreError,
    UsageError,
)
from seamline.humans.identity import User
from seamline.web.http import (
    Environ,
    Request,
    Response,
    Router,
    StartResponse,
    html,
    json_response,
    redirect,
)

if TYPE_CHECKING:
    from seamline.app import App

WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]

_HERE = Path(__file__).parent
#: The cookie that remembers who picked themselves on the login page.
USER_COOKIE = "user"
#: The header a single sign-on proxy sets; it wins over the cookie and the query.
USER_HEADER = "X-Seamline-User"


class NeedsLogin(Forbidden):
    """Nobody said who is acting, and users are configured."""


def status_for(exc: SeamlineError) -> int:
    """The HTTP status for a seamline error kind (the CLI's exit codes, in HTTP's words)."""
    if isinstance(exc, FormInvalid | UsageError | ConfigError):
        return 400
    if isinstance(exc, Forbidden):
        return 403
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, InstanceChanged | InvalidState):
        return 409
    if isinstance(exc, CorruptState | StoreError):
        return 500
    return 400


@dataclass
class Ctx:
    """One request as a handler sees it: the App, the request, who acts, and page rendering."""

    app: App
    request: Request
    templates: Environment
    user: User | None = None
    from_header: bool = False
    notices: list[str] = field(default_factory=list)

    @property
    def user_name(self) -> str | None:
        """The acting user's name for App calls; None acts as the operator (no users configured)."""
        return self.user.name if self.user else None

    @property
    def root(self) -> str:
        """Where the app is mounted (WSGI's SCRIPT_NAME), for links."""
        return str(self.request.environ.get("SCRIPT_NAME", "")).rstrip("/")

    def render(self, template: str, http_status: int = 200, **values: Any) -> Response:
        """An HTML page from a template; every value is escaped unless marked safe."""
        page = self.templates.get_template(template).render(
            root=self.root,
            user=self.user,
            header_user=self.from_header,
            notices=self.notices,
            problems=values.pop("problems", []),
            now=self.app.now(),
            **values,
        )
        return html(page, http_status)


class WebApp:
    """The WSGI application: routes, identity, and errors as pages or JSON."""

    def __init__(self, app: App) -> None:
        from seamline.web import api, pages

        self.app = app
        self.templates = Environment(
            loader=FileSystemLoader(_HERE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates.globals["candidates"] = pages.candidates
        self.router = Router()
        pages.register(self.router)
        api.register(self.router)

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        """Handle one request."""
        request = Request.from_environ(environ)
        is_api = request.path.startswith("/api/")
        ctx = Ctx(self.app, request, self.templates)
        try:
            response = self._dispatch(ctx, is_api)
        except SeamlineError as exc:
            response = self._error(ctx, is_api, status_for(exc), exc)
        except Exception as exc:  # the last guard: a bug gets one line, the log the traceback
            traceback.print_exc(file=environ.get("wsgi.errors", sys.stderr))
            first = str(exc).splitlines()[0] if str(exc) else ""
            message = f"internal error: {type(exc).__name__}: {first} (please report it)"
            response = self._error(ctx, is_api, 500, message)
        if request.method == "HEAD":
            response.body = b""
        return response(start_response)

    def _dispatch(self, ctx: Ctx, is_api: bool) -> Response:
        request = ctx.request
        found = self.router.match(request.method, request.path)
        if found == "method":
            return self._error(
                ctx, is_api, 405, f"{request.method} is not allowed on {request.path}"
            )
        if found is None or isinstance(found, str):
            raise NotFound(f"no page at {request.path}")
        handler, params = found
        if getattr(handler, "public", False):
            return handler(ctx, **params)
        remember = self._identify(ctx, is_api)
        response = handler(ctx, **params)
        if remember is not None:
            response.set_cookie(USER_COOKIE, remember)
        return response

    def _identify(self, ctx: Ctx, is_api: bool) -> str | None:
        """Set ``ctx.user``; returns a name to remember in the cookie, if one was picked."""
        request = ctx.request
        header = request.header(USER_HEADER)
        picked = request.arg("as")
        cookie = request.cookies.get(USER_COOKIE) or None
        name = header or picked or cookie
        ctx.from_header = bool(header)
        if name is None:
            if self.app.directory.users():
                raise NeedsLogin(
                    f"nobody is signed in; send the {USER_HEADER} header"
                    if is_api
                    else "nobody is signed in; pick a user on the sign-in page"
                )
            return None  # no users configured: the operator acts, as on the command line
        ctx.user = self.app.user(name)  # Forbidden for a name nobody configured
        return picked if picked and not header else None

    def _error(self, ctx: Ctx, is_api: bool, status: int, exc: SeamlineError | str) -> Response:
        message = str(exc)
        if is_api:
            body: dict[str, Any] = {"error": message}
            if isinstance(exc, FormInvalid):
                body["errors"] = list(exc.errors)
            return json_response(body, status)
        if isinstance(exc, NeedsLogin):
            return redirect(f"{ctx.root}/login")
        if isinstance(exc, Forbidden) and ctx.user is None and not ctx.from_header:
            # A stale cookie or an unknown ?as= name: the sign-in page, and the cookie dropped.
            from seamline.web.pages import login_page

            response = login_page(ctx, problems=[message], status=403)
            response.clear_cookie(USER_COOKIE)
            return response
        heading = {
            400: "Cannot do that",
            403: "Not allowed",
            404: "Not found",
            409: "Changed meanwhile",
        }
        return ctx.render(
            "error.html",
            status,
            status=status,
            heading=heading.get(status, "Something went wrong"),
            message=message,
        )


def make_wsgi_app(app: App) -> WSGIApp:
    """The web inbox, the instance pages and the JSON API over ``app`` as a WSGI callable."""
    return WebApp(app)

"""``make_wsgi_app(app)``: the web inbox and JSON API as a plain WSGI callable.

Any WSGI server can host it (``seamline web`` uses ``waitress``, which reads each request in
full before a worker thread gets it). Handlers run one at a time through the same ``App`` the
CLI uses, so the rules (who may claim, form validation, instance versions) are the engine's.

Who is acting: the ``X-Seamline-User`` header (set by a single sign-on proxy in front) wins,
then the user signed in on the sign-in page, remembered in a session cookie signed with the
server's secret. Without a header this is a demonstration identity, not authentication.
Every request's ``Host`` must be on the allow-list; state-changing requests must come from
this origin, and HTML forms carry a CSRF token (see :mod:`seamline.web.security`).
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from seamline.errors import (
    BUG,
    CrossSiteRefused,
    Forbidden,
    FormInvalid,
    NeedsLogin,
    NotFound,
    SeamlineError,
    outcome,
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
from seamline.web.security import (
    CSRF_FIELD,
    LOOPBACK_HOSTS,
    SESSION_COOKIE,
    SESSION_MAX_AGE,
    UNSAFE_METHODS,
    HostAllowList,
    Session,
    Sessions,
    check_json_body,
    check_same_origin,
)

if TYPE_CHECKING:
    from seamline.app import App

WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]

_HERE = Path(__file__).parent
#: The header a single sign-on proxy sets; it wins over the session cookie.
USER_HEADER = "X-Seamline-User"

log = logging.getLogger(__name__)


def status_for(exc: SeamlineError) -> int:
    """The HTTP status for a seamline error kind (from the one table, :data:`OUTCOMES`)."""
    return outcome(exc).http_status


class _Token:
    """The CSRF token, made only when a template writes it (a page without forms sets no cookie)."""

    def __init__(self, ctx: Ctx) -> None:
        self._ctx = ctx

    def __str__(self) -> str:
        return self._ctx.csrf

    def __html__(self) -> str:
        return self._ctx.csrf  # URL-safe characters only: nothing to escape


@dataclass
class Ctx:
    """One request as a handler sees it: the App, the request, who acts, and page rendering."""

    app: App
    request: Request
    templates: Environment
    sessions: Sessions
    session: Session | None = None
    #: A session cookie was sent but is forged, altered or expired.
    bad_cookie: bool = False
    user: User | None = None
    from_header: bool = False
    notices: list[str] = field(default_factory=list)
    #: A session made during this request, to be set as the cookie on the response.
    pending: Session | None = None

    @property
    def user_name(self) -> str | None:
        """The acting user's name for App calls; None acts as the operator (no users configured)."""
        return self.user.name if self.user else None

    @property
    def root(self) -> str:
        """Where the app is mounted (WSGI's SCRIPT_NAME), for links."""
        return str(self.request.environ.get("SCRIPT_NAME", "")).rstrip("/")

    @property
    def csrf(self) -> str:
        """The CSRF token for this browser's session; starts an anonymous session if needed."""
        if self.session is None:
            self.session = self.pending = self.sessions.new()
        return self.sessions.csrf_token(self.session)

    def start_session(self, response: Response, user: str | None) -> None:
        """Sign ``user`` in on ``response`` with a brand-new session."""
        self.session = self.pending = self.sessions.new(user)
        self.finish(response)

    def end_session(self, response: Response) -> None:
        """Forget the session on ``response``."""
        self.session = self.pending = None
        self.bad_cookie = False
        response.clear_cookie(SESSION_COOKIE)

    def reset_session(self) -> None:
        """Drop a stale session; a page rendered next starts a fresh anonymous one."""
        self.session = self.pending = None

    def finish(self, response: Response) -> None:
        """Set the cookie of a session made during this request (or drop a bad one)."""
        if self.pending is not None:
            secure = self.request.environ.get("wsgi.url_scheme") == "https"
            value = self.sessions.dump(self.pending)
            response.set_cookie(SESSION_COOKIE, value, secure=secure, max_age=SESSION_MAX_AGE)
            self.pending = None
        elif self.bad_cookie and self.session is None:
            response.clear_cookie(SESSION_COOKIE)
        self.bad_cookie = False

    def render(self, template: str, http_status: int = 200, **values: Any) -> Response:
        """An HTML page from a template; every value is escaped unless marked safe."""
        page = self.templates.get_template(template).render(
            root=self.root,
            user=self.user,
            header_user=self.from_header,
            notices=self.notices,
            problems=values.pop("problems", []),
            now=self.app.now(),
            csrf=_Token(self),
            csrf_field=CSRF_FIELD,
            **values,
        )
        return html(page, http_status)


class WebApp:
    """The WSGI application: routes, identity, request checks, and errors as pages or JSON."""

    def __init__(
        self,
        app: App,
        *,
        allowed_hosts: Sequence[str] | None = None,
        secret: str | bytes | None = None,
    ) -> None:
        from seamline.web import api, pages, signin

        self.app = app
        self.hosts = HostAllowList(LOOPBACK_HOSTS if allowed_hosts is None else allowed_hosts)
        self.sessions = Sessions(secret)
        # Handlers run one at a time: the App is not promised to be thread-safe. The server
        # reads a request in full before handing it over, so a slow client never holds this.
        self._lock = threading.Lock()
        self.templates = Environment(
            loader=FileSystemLoader(_HERE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates.globals["candidates"] = pages.candidates
        self.router = Router()
        signin.register(self.router)
        pages.register(self.router)
        api.register(self.router)

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        """Handle one request."""
        request = Request.from_environ(environ)
        is_api = request.path.startswith("/api/")
        ctx = Ctx(self.app, request, self.templates, self.sessions)
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            ctx.session = self.sessions.load(cookie)
            ctx.bad_cookie = ctx.session is None
        with self._lock:
            try:
                response = self._checked(ctx, is_api)
            except SeamlineError as exc:
                response = self._error(ctx, is_api, status_for(exc), exc)
            except Exception as exc:  # the last guard: a bug gets one line, the log the traceback
                traceback.print_exc(file=environ.get("wsgi.errors", sys.stderr))
                first = str(exc).splitlines()[0] if str(exc) else ""
                message = f"internal error: {type(exc).__name__}: {first} (please report it)"
                response = self._error(ctx, is_api, BUG.http_status, message)
            ctx.finish(response)
        log.debug(
            "request handled",
            extra={"path": request.path, "status": response.status, "user": ctx.user_name},
        )
        if request.method == "HEAD":
            response.body = b""
        return response(start_response)

    def _checked(self, ctx: Ctx, is_api: bool) -> Response:
        """The checks every request passes before any handler sees it."""
        request = ctx.request
        host = request.header("Host")
        self.hosts.check(host)
        check_same_origin(
            request.method, host or "", request.header("Sec-Fetch-Site"), request.header("Origin")
        )
        if is_api and request.method in UNSAFE_METHODS:
            try:
                length = int(request.environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            check_json_body(request.environ.get("CONTENT_TYPE"), length)
        return self._dispatch(ctx, is_api)

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
        if not is_api and request.method in UNSAFE_METHODS:
            # The token leaves the form here, so handlers see only the task's own fields.
            token = request.form().pop(CSRF_FIELD, [None])[-1]
            self.sessions.check_csrf(ctx.session, token)
        if getattr(handler, "public", False):
            return handler(ctx, **params)
        self._identify(ctx, is_api)
        return handler(ctx, **params)

    def _identify(self, ctx: Ctx, is_api: bool) -> None:
        """Set ``ctx.user`` from the proxy's header, else from the signed session."""
        header = ctx.request.header(USER_HEADER)
        ctx.from_header = bool(header)
        name = header or (ctx.session.user if ctx.session else None)
        configured = bool(self.app.directory.users())
        if name is None:
            if not configured:
                return  # no users configured: the operator acts, as on the command line
            if ctx.bad_cookie:
                raise Forbidden(
                    "the sign-in cookie is not valid (altered, expired, or from before the"
                    " server restarted); sign in again"
                )
            raise NeedsLogin(
                f"nobody is signed in; send the {USER_HEADER} header"
                if is_api
                else "nobody is signed in; pick a user on the sign-in page"
            )
        user = self.app.directory.get(name)
        if user is None and configured:
            # Only that the name is unknown: listing the known ones would help an attacker.
            raise Forbidden(f"unknown user {name}")
        ctx.user = user or self.app.user(name)

    def _error(self, ctx: Ctx, is_api: bool, status: int, exc: SeamlineError | str) -> Response:
        message = str(exc)
        if is_api:
            body: dict[str, Any] = {"error": message}
            if isinstance(exc, FormInvalid):
                body["errors"] = list(exc.errors)
            return json_response(body, status)
        if isinstance(exc, NeedsLogin):
            return redirect(f"{ctx.root}/login")
        stale = not isinstance(exc, CrossSiteRefused) and ctx.user is None
        if isinstance(exc, Forbidden) and stale and not ctx.from_header:
            # A stale or forged cookie, or an unknown name: the sign-in page, a fresh session.
            from seamline.web.signin import login_page

            ctx.reset_session()
            return login_page(ctx, problems=[message], status=403)
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


def make_wsgi_app(
    app: App, *, allowed_hosts: Sequence[str] | None = None, secret: str | bytes | None = None
) -> WSGIApp:
    """The web inbox, the instance pages and the JSON API over ``app`` as a WSGI callable.

    ``allowed_hosts`` lists the ``Host`` names served (``name`` or ``name:port``; default:
    the loopback names on any port); ``secret`` signs session cookies and CSRF tokens
    (default: a random one, so sign-ins end when the process does).
    """
    return WebApp(app, allowed_hosts=allowed_hosts, secret=secret)

"""Who may send what: the signed session cookie, CSRF tokens, the Host allow-list and the
Fetch Metadata / ``Origin`` checks on requests that change state.

The design follows the OWASP CSRF cheat sheet: state-changing requests from another site are
refused by their ``Sec-Fetch-Site`` and ``Origin`` headers (which browsers set and pages cannot
forge), HTML forms carry a synchronizer token derived from the session id with the server's
secret, and the JSON API only accepts ``application/json`` bodies, which no cross-site form or
simple request can send.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadData, Signer, URLSafeTimedSerializer

from seamline.errors import CrossSiteRefused, HostNotAllowed, UnsupportedMediaType

#: The cookie holding the signed session (its id and who signed in).
SESSION_COOKIE = "seamline_session"
#: The hidden form field carrying the CSRF token (a name no process form field uses).
CSRF_FIELD = "_csrf"
#: How long a sign-in lasts, in seconds.
SESSION_MAX_AGE = 12 * 3600
#: Methods that change state, and so must come from this site.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: The Host names served when nothing else is configured: this machine only.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
#: The shortest secret accepted from the configuration.
MIN_SECRET_LENGTH = 16


@dataclass(frozen=True)
class Session:
    """One browser's session: a random id (the CSRF token is bound to it) and who signed in."""

    sid: str
    user: str | None = None


class Sessions:
    """Signs sessions into cookie values and CSRF tokens with one per-server secret.

    Without a configured secret a random one is made, so sign-ins end when the server restarts.
    """

    def __init__(self, secret: str | bytes | None = None) -> None:
        key = secret if secret else secrets.token_bytes(32)
        self._cookies = URLSafeTimedSerializer(key, salt="seamline-session")
        self._tokens = Signer(key, salt="seamline-csrf")

    @staticmethod
    def new(user: str | None = None) -> Session:
        """A fresh session with a new random id."""
        return Session(secrets.token_urlsafe(18), user)

    def dump(self, session: Session) -> str:
        """The session as a signed, timestamped cookie value."""
        return str(self._cookies.dumps({"sid": session.sid, "user": session.user}))

    def load(self, value: str) -> Session | None:
        """The session in a cookie value; None if it is forged, altered or expired."""
        try:
            data: Any = self._cookies.loads(value, max_age=SESSION_MAX_AGE)
        except BadData:
            return None
        if not isinstance(data, dict):
            return None
        sid, user = data.get("sid"), data.get("user")
        if not isinstance(sid, str) or not (user is None or isinstance(user, str)):
            return None
        return Session(sid, user)

    def csrf_token(self, session: Session) -> str:
        """The CSRF token of ``session``: an HMAC of its id, so it cannot be guessed or moved."""
        return self._tokens.get_signature(session.sid).decode("ascii")

    def check_csrf(self, session: Session | None, token: str | None) -> None:
        """Raise CrossSiteRefused unless ``token`` belongs to ``session``."""
        if session is None or not token:
            raise CrossSiteRefused(
                "the form has no valid security token; reload the page and submit it again"
            )
        if not self._tokens.verify_signature(session.sid, token):
            raise CrossSiteRefused(
                "the form's security token does not match your session; reload the page and"
                " submit it again"
            )


def split_host(value: str) -> tuple[str, str | None]:
    """``name[:port]`` (``[v6]:port`` too) as the lower-cased name and the port, if any."""
    value = value.strip().lower()
    if value.startswith("["):
        name, _, rest = value.partition("]")
        return name + "]", rest[1:] if rest.startswith(":") else None
    name, sep, port = value.rpartition(":")
    return (name, port) if sep and port.isdigit() else (value, None)


class HostAllowList:
    """The ``Host`` names a server answers for; a name without a port allows any port.

    Checking ``Host`` stops DNS rebinding: a hostile site's name pointed at this machine still
    arrives with that site's name in ``Host``.
    """

    def __init__(self, entries: Iterable[str]) -> None:
        self.entries = [split_host(e) for e in entries if e.strip()]

    def allows(self, host: str) -> bool:
        """True if ``host`` (a Host header's value) is on the list."""
        name, port = split_host(host)
        return any(n == name and p in (None, port) for n, p in self.entries)

    def check(self, host: str | None) -> None:
        """Raise HostNotAllowed unless ``host`` is on the list."""
        if not host:
            raise HostNotAllowed("the request has no Host header")
        if not self.allows(host):
            shown = host if len(host) <= 80 else host[:79] + "…"
            raise HostNotAllowed(
                f"host {shown!r} is not served here; start seamline web with --allow-host"
                " NAME (or [web] allowed_hosts) to serve it"
            )


def default_hosts(listen_host: str, port: int) -> list[str]:
    """The listen address and the loopback names, each with ``port``."""
    names = list(LOOPBACK_HOSTS)
    if listen_host not in ("", "0.0.0.0", "::"):
        names.append(f"[{listen_host}]" if ":" in listen_host else listen_host)
    return [f"{name}:{port}" for name in dict.fromkeys(n.lower() for n in names)]


def check_same_origin(method: str, host: str, site: str | None, origin: str | None) -> None:
    """Refuse a state-changing request that a page of another origin sent.

    ``Sec-Fetch-Site`` is refused when it says ``cross-site`` or ``same-site`` (another port
    on the same machine is the same *site*); an ``Origin`` must name this server's host. A
    request with neither header (a script, not a browser) passes on to the next checks.
    """
    if method not in UNSAFE_METHODS:
        return
    if site in ("cross-site", "same-site"):
        raise CrossSiteRefused(
            f"refused a {method} request sent from another site ({site}); use this site's pages"
        )
    if origin is None:
        return
    _scheme, sep, netloc = origin.partition("://")
    if not sep or netloc.lower() != host.strip().lower():
        shown = origin if len(origin) <= 80 else origin[:79] + "…"
        raise CrossSiteRefused(
            f"refused a {method} request from origin {shown!r}; use this site's pages"
        )


def check_json_body(content_type: str | None, length: int) -> None:
    """Refuse an API body that is not declared ``application/json``.

    A POST with no body and no type (``curl -X POST``) passes: it carries no data, and the
    Origin checks cover it.
    """
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media == "application/json" or (not media and length == 0):
        return
    raise UnsupportedMediaType(
        f"the request body must be JSON sent as Content-Type: application/json"
        f" (got {media or 'no Content-Type'})"
    )

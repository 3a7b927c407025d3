"""The server behind ``seamline web``: waitress, with a thread pool and a read timeout.

waitress reads each request in full (up to the size limit) on its event loop before a worker
thread runs the application, so a client that connects and sends nothing, or half a request,
ties up no worker and is closed once it has been idle for the timeout.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from seamline.web.http import MAX_BODY_BYTES, Environ, StartResponse

WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]

#: The largest request head (request line and headers) read.
MAX_HEADER_BYTES = 64 * 1024


class Server:
    """A waitress server listening on ``host:port`` (port 0: any free one)."""

    def __init__(
        self, application: WSGIApp, host: str, port: int, threads: int, read_timeout: int
    ) -> None:
        from waitress.server import create_server

        self._server: Any = create_server(
            application,
            host=host,
            port=port,
            threads=threads,
            channel_timeout=read_timeout,
            # The idle check runs this often; at most every second, so short timeouts hold.
            cleanup_interval=max(1, min(30, read_timeout // 2)),
            max_request_body_size=MAX_BODY_BYTES,
            max_request_header_size=MAX_HEADER_BYTES,
            ident="seamline",
            clear_untrusted_proxy_headers=True,
        )
        listening = getattr(self._server, "effective_listen", None)
        if listening:  # several sockets (a name with IPv4 and IPv6 addresses): the first one
            _host, self.port = listening[0][0], int(listening[0][1])
        else:
            self.port = int(self._server.effective_port)
        self.url_host = f"[{host}]" if ":" in host else host

    def run(self) -> None:
        """Serve until interrupted."""
        self._server.run()

    def close(self) -> None:
        """Stop listening and close every connection."""
        self._server.close()


#: The logger of the access log, one info line per request (``seamline web`` shows it).
ACCESS_LOGGER = "seamline.web.access"
access = logging.getLogger(ACCESS_LOGGER)


def access_log(application: WSGIApp) -> WSGIApp:
    """``application``, logging one line per request: request line and status, and the client."""

    def logged(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            query = environ.get("QUERY_STRING")
            target = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
            code = int(status.split()[0])
            access.info(
                f"{environ.get('REQUEST_METHOD')} {target} {code}",
                extra={"client": environ.get("REMOTE_ADDR", "-"), "status": code},
            )
            return start_response(status, headers, *rest)

        return application(environ, start)

    return logged

"""A scripted HTTP server on 127.0.0.1 for engine tests: each path answers from its script."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    """One scripted answer; ``stall`` seconds of silence first (for timeouts)."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    stall: float = 0.0
    #: Answer with the request's headers as the JSON body (to see what was sent).
    echo_headers: bool = False


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The request body as JSON."""
        return json.loads(self.body or b"null")


class ScriptedServer:
    """Replies per path in order (the last one repeats); records every request."""

    def __init__(self) -> None:
        self.scripts: dict[str, list[Reply]] = {}
        self.seen: list[Seen] = []
        self.released = threading.Event()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def script(self, path: str, *replies: Reply) -> None:
        """Answer ``path`` with ``replies`` in order, repeating the last."""
        with self._lock:
            self.scripts[path] = list(replies)

    def requests(self, path: str) -> list[Seen]:
        """The requests received for ``path``."""
        with self._lock:
            return [s for s in self.seen if s.path.split("?")[0] == path]

    def _next(self, path: str) -> Reply:
        with self._lock:
            replies = self.scripts.get(path.split("?")[0])
            if not replies:
                return Reply(404, {"error": f"no script for {path}"})
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items()}
                with server._lock:
                    server.seen.append(Seen(self.command, self.path, headers, body))
                reply = server._next(self.path)
                if reply.stall:
                    # Released at teardown, so a stalled handler never outlives the test.
                    server.released.wait(reply.stall)
                payload = headers if reply.echo_headers else reply.body
                data = b"" if payload is None else json.dumps(payload).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.released.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)


def serve() -> Iterator[ScriptedServer]:
    """A started server, stopped afterwards (for a fixture)."""
    with ScriptedServer() as server:
        yield server

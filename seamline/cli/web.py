"""`seamline web`: the human inbox and the instance pages in a browser, plus a JSON API."""

from __future__ import annotations

import click

from seamline.cli.common import Context, err, handle_errors, pass_context
from seamline.errors import UsageError


@click.command("web")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port (0: any free one).")
@pass_context
@handle_errors
def web(ctx: Context, host: str, port: int) -> None:
    """Serve the web inbox: tasks with their forms, instances on their diagrams, a JSON API."""
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from seamline.web.wsgi import make_wsgi_app

    class QuietHandler(WSGIRequestHandler):
        """Access lines go to stderr in one short format."""

        def log_message(self, format: str, *args: object) -> None:
            err.print(f"{self.address_string()} {format % args}", markup=False, highlight=False)

    application = make_wsgi_app(ctx.app)
    try:
        # One request at a time: the App and its store are used from this thread only.
        server = make_server(host, port, application, WSGIServer, QuietHandler)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    # Printed and flushed first, so a script (or a test) can read the port it got.
    click.echo(f"seamline web on http://{host}:{server.server_port}/ (Ctrl-C stops it)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()

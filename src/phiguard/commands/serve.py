"""The commands that serve: `phiguard server` (the editor's Language Server Protocol on stdio)
and `phiguard web` (a page on this computer)."""

from __future__ import annotations

import click

from ..models import PhiguardError


@click.command()
def server() -> None:
    """Serve editor diagnostics over the Language Server Protocol on stdio (docs/editors.md)."""
    try:
        from ..server import serve
    except ImportError:
        raise PhiguardError("the editor server needs the `server` extra: pip install "
                            "'phiguard[server]' (pygls)") from None
    serve()


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8321, show_default=True,
              help="Port to serve the page on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Loopback address to serve on (127.0.0.1, ::1 or localhost; no other).")
@click.option("--no-open", is_flag=True, help="Do not open the page in a browser.")
@click.option("--config", type=click.Path(dir_okay=False),
              help="Configuration file to use (default: found from the current folder).")
def web(port: int, host: str, no_open: bool, config: str | None) -> None:
    """Serve a page on this computer to paste a draft, see its findings, fix and redact it
    (docs/web.md)."""
    _web(port, host, not no_open, config)


def _web(port: int, host: str, open_browser: bool, config: str | None) -> None:
    from ..web.server import listen, serve

    server = listen(host, port)  # another host or a port in use: refused before loading
    try:
        click.echo("phiguard web: loading the checker...", err=True)
        from ..web.api import WebApp

        serve(server, WebApp.load(config), open_browser)
    finally:
        server.server_close()

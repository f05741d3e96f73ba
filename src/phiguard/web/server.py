"""HTTP for `phiguard web`, on the loopback interface only.

- Binds to a loopback address (127.0.0.1 by default; ::1 or localhost on request); any other
  address is refused: the page is plain HTTP without a login, for the person at this computer.
- Answers only requests whose Host is the address and port it is bound to (a page elsewhere
  that rebinds its own name to 127.0.0.1 is refused), and refuses with 403 any API request
  whose Origin is not the page's own or that the browser marks as from another site.
- API calls are POSTs of application/json (a form on another site cannot send that without
  asking first, and no CORS header ever says yes), at most MAX_BODY bytes (413 beyond).
- Every answer carries a Content-Security-Policy of default-src 'self', nosniff, no framing,
  no referrer and Cache-Control: no-store. Nothing is written to disk and no request is
  logged: the request line and the body (the draft) never reach standard error.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from ..models import PhiguardError
from .api import RequestError, WebApp

DEFAULT_PORT = 8321
MAX_BODY = 4 * 1024 * 1024
LOOPBACK_NAMES = {"localhost": "127.0.0.1"}
PAGES = {  # path -> (file in static/, content type)
    "/": ("index.html", "text/html; charset=utf-8"),
    "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/static/style.css": ("style.css", "text/css; charset=utf-8"),
}
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; base-uri 'none'; form-action 'none'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
SAME_SITE = ("same-origin", "none")  # Sec-Fetch-Site of the page itself, or a typed address


def loopback(host: str) -> str:
    """The loopback address ``host`` names; PhiguardError for any other."""
    address = LOOPBACK_NAMES.get(host.strip().lower(), host.strip().strip("[]"))
    try:
        if ipaddress.ip_address(address).is_loopback:
            return address
    except ValueError:
        pass
    raise PhiguardError("--host: phiguard web serves this computer only (plain HTTP, no "
                        "login): give 127.0.0.1, ::1 or localhost")


class WebServer(ThreadingHTTPServer):
    daemon_threads = True
    app: WebApp  # given by serve(), before the first request is answered

    def __init__(self, host: str, port: int) -> None:
        address = loopback(host)
        self.address_family = socket.AF_INET6 if ":" in address else socket.AF_INET
        super().__init__((address, port), Handler)
        bound = str(self.server_address[0])
        if not ipaddress.ip_address(bound).is_loopback:  # never serve anything else
            self.server_close()
            raise PhiguardError("refusing to serve on an address that is not loopback")
        self.port = int(self.server_address[1])
        shown = f"[{bound}]" if ":" in bound else bound
        self.url = f"http://{shown}:{self.port}/"
        self.hosts = {f"{name}:{self.port}" for name in (shown, "localhost")}
        self.origins = {f"http://{host}" for host in self.hosts}

    def server_bind(self) -> None:
        """Bind without looking the address up in DNS (HTTPServer's getfqdn would)."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line naming the error's type; never a traceback (its values may be a draft's)."""
        kind = sys.exc_info()[0]
        if kind is None or issubclass(kind, ConnectionError):
            return  # the page was closed mid-answer
        print(f"phiguard web: internal error ({kind.__name__}) while answering a request",
              file=sys.stderr, flush=True)


class Handler(BaseHTTPRequestHandler):
    server: WebServer
    timeout = 60  # seconds a connection may stay silent (a request sent too slowly ends)

    def version_string(self) -> str:
        return "phiguard"

    def log_message(self, format: str, *args: Any) -> None:
        """No request log: the page's requests are its user's business."""

    def do_GET(self) -> None:
        if not self._trusted_host():
            return
        path = urlsplit(self.path).path
        if path == "/api/options":
            if self._same_site():
                self._json(200, self.server.app.options())
        elif path == "/favicon.ico":
            self._send(204, b"", "image/x-icon")  # none: the browser asks all the same
        elif path in PAGES:
            name, content_type = PAGES[path]
            body = resources.files(__package__).joinpath("static", name).read_bytes()
            self._send(200, body, content_type)
        else:
            self._json(404, {"error": "no such page"})

    def do_POST(self) -> None:
        if not self._trusted_host() or not self._same_site():
            return
        action = {"/api/check": self.server.app.check, "/api/fix": self.server.app.fix,
                  "/api/redact": self.server.app.redact}.get(urlsplit(self.path).path)
        if action is None:
            self._json(404, {"error": "no such action"})
            return
        payload = self._payload()
        if payload is _REFUSED:
            return
        try:
            answer = action(payload)
        except RequestError as exc:
            self._json(400, {"error": str(exc)})
        except PhiguardError as exc:
            self._json(422, {"error": str(exc)})
        except Exception as exc:  # fail closed, naming the kind only (its text may quote)
            self._json(500, {"error": f"internal error ({type(exc).__name__})"})
        else:
            self._json(200, answer)

    do_HEAD = do_GET

    def _refuse(self) -> None:
        self._json(405, {"error": "method not allowed"})

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse  # no CORS preflight

    def end_headers(self) -> None:
        """Every answer, also http.server's own error pages, carries the safety headers."""
        for name, value in HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def _trusted_host(self) -> bool:
        """The Host header names the address and port this server is bound to (DNS
        rebinding: another site's name resolved to 127.0.0.1 is refused)."""
        if (self.headers.get("Host") or "").strip().lower() in self.server.hosts:
            return True
        self._json(403, {"error": "unexpected Host header"})
        return False

    def _same_site(self) -> bool:
        """The request comes from the page itself (or from a program, which sends neither
        header): another site's Origin, or a browser's cross-site mark, is refused."""
        origin = self.headers.get("Origin")
        site = self.headers.get("Sec-Fetch-Site")
        if (origin is not None and origin.lower() not in self.server.origins) or (
                site is not None and site.lower() not in SAME_SITE):
            self._json(403, {"error": "cross-origin requests are refused"})
            return False
        return True

    def _payload(self) -> Any:
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            self._json(415, {"error": "send application/json"})
            return _REFUSED
        if self.headers.get("Transfer-Encoding"):
            self._json(411, {"error": "send a Content-Length"})
            return _REFUSED
        try:
            length = int(self.headers.get("Content-Length") or "")
        except ValueError:
            self._json(411, {"error": "send a Content-Length"})
            return _REFUSED
        if length > MAX_BODY or length < 0:
            self._json(413, {"error": f"the request is larger than {MAX_BODY} bytes"})
            return _REFUSED
        try:
            return json.loads(self.rfile.read(length).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            self._json(400, {"error": "the request is not JSON"})
            return _REFUSED

    def _json(self, status: int, document: Any) -> None:
        body = json.dumps(document, ensure_ascii=False).encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


_REFUSED = object()


def listen(host: str, port: int) -> WebServer:
    """The server, bound (before the model is loaded, so a refused address or a port in use
    is said at once); requests wait until serve() answers them."""
    try:
        return WebServer(host, port)
    except OSError as exc:
        raise PhiguardError(f"cannot listen on {host} port {port}: "
                            f"{exc.strerror or type(exc).__name__} (choose another with "
                            "--port; 0 picks a free one)") from None


def serve(server: WebServer, app: WebApp, open_browser: bool) -> None:
    """Serve the page with ``app`` until interrupted (Ctrl-C ends it normally)."""
    server.app = app
    print(f"phiguard web: serving {server.url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    if open_browser:
        threading.Thread(target=_open, args=(server.url,), daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("phiguard web: stopped", file=sys.stderr, flush=True)


def _open(url: str) -> None:
    import contextlib
    import webbrowser

    with contextlib.suppress(Exception):  # no browser: the address is printed above
        webbrowser.open(url)

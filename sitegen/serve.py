"""Preview server: builds, serves output/ on 127.0.0.1, rebuilds on save (watch.py), reloads
the browser.

Built on livereload's WebSocket handler and protocol, inside a small tornado application of
our own so that we control what is served: nothing outside output/, only local Host headers,
and an error overlay instead of a reload when a build fails."""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import sys
import threading
import webbrowser
from pathlib import Path

from livereload.handlers import LiveReloadHandler
from tornado import httpserver, ioloop, netutil, web

from .build import BuildOptions
from .errors import Problem
from .watch import TICK_SECONDS, Rebuilder, stopped_by_signals

CLIENT_PATH = "/__sitegen__/live.js"
CLIENT_SCRIPT = (Path(__file__).parent / "live.js").read_text(encoding="utf-8")


# ---------------------------------------------------------------- web application

def allowed_hosts(host: str, port: int) -> set[str]:
    names = {host, "localhost", "127.0.0.1", "[::1]"}
    return {name for name in names} | {f"{name}:{port}" for name in names}


class GuardMixin:
    """Refuses requests whose Host header is not ours (DNS rebinding)."""

    hosts: set[str] = set()

    def prepare(self):
        if self.request.host.lower() not in self.hosts:
            raise web.HTTPError(403)


class OutputHandler(GuardMixin, web.StaticFileHandler):
    """Serves output/, with the live-reload client added to HTML pages."""

    rebuilder: Rebuilder | None = None

    async def get(self, path: str, include_body: bool = True):
        if "\x00" in path or "\\" in path or not path.isprintable():
            raise web.HTTPError(404)  # no file of the site has such a name; os calls would fail on it
        try:
            await super().get(path, include_body)
        except web.HTTPError as error:
            if error.status_code == 403:  # tornado's answer to '../': say nothing exists there
                raise web.HTTPError(404) from None
            raise
        except (ValueError, UnicodeError):  # a path the file system cannot even look up
            raise web.HTTPError(404) from None

    def decode_argument(self, value: bytes, name: str | None = None) -> str:
        try:
            return super().decode_argument(value, name)
        except web.HTTPError:  # not UTF-8: no file of the site has that name
            raise web.HTTPError(404) from None

    def validate_absolute_path(self, root: str, absolute_path: str):
        root = os.path.realpath(root)
        if not os.path.realpath(absolute_path).startswith(root + os.sep) and os.path.realpath(absolute_path) != root:
            raise web.HTTPError(404)  # never reveal that something exists outside output/
        try:
            return super().validate_absolute_path(root, absolute_path)
        except web.HTTPError as error:
            if error.status_code == 403:
                raise web.HTTPError(404) from None
            raise

    def write_error(self, status_code: int, **kwargs):
        not_found = Path(self.root) / "404.html"
        if status_code == 404 and not_found.is_file():
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(inject_client(not_found.read_bytes()))
        else:
            self.finish(f"{status_code}")

    def get_content(self, abspath, start=None, end=None):
        if abspath.endswith(".html"):
            with open(abspath, "rb") as file:
                yield inject_client(file.read())
            return
        yield from super().get_content(abspath, start, end)

    def get_content_size(self):
        if self.absolute_path.endswith(".html"):
            with open(self.absolute_path, "rb") as file:
                return len(inject_client(file.read()))
        return super().get_content_size()

    def set_extra_headers(self, path):
        # Pages carry the reload client and are read fresh; the browser may keep styles,
        # scripts and images but must ask first (a 304 is cheaper than the file).
        self.set_header("Cache-Control", "no-store" if self.absolute_path.endswith(".html") else "no-cache")

    def compute_etag(self):
        if self.absolute_path.endswith(".html"):
            return None
        info = os.stat(self.absolute_path)  # nanoseconds: two saves within a second differ
        return f'"{info.st_mtime_ns:x}-{info.st_size:x}"'


class ClientHandler(GuardMixin, web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(CLIENT_SCRIPT)


class SocketHandler(LiveReloadHandler):
    """livereload's WebSocket handler, plus our error messages and an origin check."""

    hosts: set[str] = set()
    rebuilder: Rebuilder | None = None

    def check_origin(self, origin: str) -> bool:
        # Only pages of this server: another server on localhost (another port) is another
        # origin, and must not read the build's errors or steer the reloads.
        return origin.lower() == f"http://{self.request.host.lower()}"

    def prepare(self):
        if self.request.host.lower() not in self.hosts:
            raise web.HTTPError(403)

    def on_message(self, message):
        super().on_message(message)
        if json.loads(message).get("command") == "info" and self.rebuilder:
            self.send_message(problems_message(self.rebuilder.problems))


def inject_client(html: bytes) -> bytes:
    """The live-reload client exists only in served pages, never in build output."""
    tag = f'<script src="{CLIENT_PATH}" defer></script>'.encode()
    return html.replace(b"</head>", tag + b"</head>", 1) if b"</head>" in html else html + tag


def problems_message(problems: list[Problem]) -> dict:
    return {"command": "sitegen-problems",
            "problems": [{"path": p.path, "line": p.line, "column": p.column,
                          "message": p.message, "hint": p.hint} for p in problems]}


def broadcast(message: dict) -> None:
    for waiter in list(LiveReloadHandler.waiters):
        try:
            waiter.write_message(message)
        except Exception:  # noqa: BLE001 - a closed tab must not stop the others
            LiveReloadHandler.waiters.discard(waiter)


def make_application(rebuilder: Rebuilder, output: Path, host: str, port: int) -> web.Application:
    hosts = allowed_hosts(host.lower(), port)
    guard = {"hosts": hosts, "rebuilder": rebuilder}
    output_handler = type("Output", (OutputHandler,), guard)
    socket_handler = type("Socket", (SocketHandler,), guard)
    client_handler = type("Client", (ClientHandler,), guard)
    return web.Application([
        (r"/livereload", socket_handler),
        (CLIENT_PATH, client_handler),
        (r"/(.*)", output_handler, {"path": str(output), "default_filename": "index.html"}),
    ])


def on_poll(rebuilder: Rebuilder) -> None:
    outcome = rebuilder.poll()
    if outcome is True:
        broadcast(problems_message([]))
        broadcast({"command": "reload", "path": "*", "liveCSS": False, "liveImg": False})
    elif outcome is False:
        broadcast(problems_message(rebuilder.problems))


def stop_loop_on_signals(loop: ioloop.IOLoop) -> None:
    """Ctrl+C and SIGTERM stop the loop between two callbacks: a KeyboardInterrupt raised in
    the middle of one would surface as a traceback from tornado's own code."""
    def stop(signum, frame):
        loop.asyncio_loop.call_soon_threadsafe(loop.stop)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)


def drafts_folder(source: Path) -> Path:
    """Where `serve --drafts` builds: beside the build cache, outside the site, so that
    output/ (what gets published) never holds a draft."""
    from .cache import cache_folder
    return cache_folder(source) / "concepten"


def listening_sockets(host: str, port: int) -> list:
    """The server's sockets, taken before the first build: a busy port is said at once."""
    return netutil.bind_sockets(port, address=host)


def socket_problem(error: OSError, host: str, port: int) -> str:
    """Why the server cannot listen, in one Dutch line with the fix."""
    if error.errno == errno.EADDRINUSE:
        return (f"poort {port} is al in gebruik, misschien door een andere 'sitegen serve' "
                f"(stop dat programma, of kies een andere poort: sitegen serve --port {port + 1 if port < 65535 else 8000})")
    if error.errno == errno.EACCES:
        return f"je mag poort {port} niet gebruiken (kies een poort boven 1024, bijvoorbeeld: sitegen serve --port 8000)"
    if isinstance(error, socket.gaierror) or error.errno == errno.EADDRNOTAVAIL:
        return f"het adres '{host}' hoort niet bij deze computer (laat --host weg, dan is het 127.0.0.1)"
    return (f"de server kan niet starten op {host}:{port} (foutcode {errno.errorcode.get(error.errno, error.errno)}; "
            "kies een andere poort met --port)")


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> int:
    try:
        sockets = listening_sockets(host, port)
    except OSError as error:
        print(f"fout: {socket_problem(error, host, port)}", file=sys.stderr)
        return 1
    rebuilder = Rebuilder(options)
    with stopped_by_signals():
        try:
            if not rebuilder.rebuild() and not (options.output_dir / "index.html").is_file():
                print("Er is nog geen eerdere versie om te tonen; herstel de fouten en start opnieuw.", file=sys.stderr)
                return 1
            rebuilder.watcher.start()  # only now: the first build may fork, with no thread running
            app = make_application(rebuilder, options.output_dir, host, port)
            httpserver.HTTPServer(app).add_sockets(sockets)
            loop = ioloop.IOLoop.current()
            stop_loop_on_signals(loop)
            ioloop.PeriodicCallback(lambda: on_poll(rebuilder), TICK_SECONDS * 1000).start()
            print(f"De site staat op http://{host}:{port}/ (stoppen: Ctrl+C)", flush=True)
            if open_browser:
                threading.Timer(0.5, webbrowser.open, args=(f"http://{host}:{port}/",)).start()
            loop.start()
            signal.signal(signal.SIGINT, signal.default_int_handler)
        except KeyboardInterrupt:
            pass
        finally:
            rebuilder.close()
            for listening in sockets:
                listening.close()
    return 0

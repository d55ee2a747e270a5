"""Preview server: builds, serves output/ on 127.0.0.1, rebuilds on save, reloads the browser.

Built on livereload's WebSocket handler and protocol, inside a small tornado application of
our own so that we control what is served: nothing outside output/, only local Host headers,
and an error overlay instead of a reload when a build fails."""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import sys
import threading
import time
import webbrowser
from pathlib import Path

from livereload.handlers import LiveReloadHandler
from tornado import ioloop, web

from .build import BuildOptions, build
from .cache import BuildCache, source_stats
from .errors import BuildFailed, Problem, format_report

TICK_SECONDS = 0.005  # how often the watcher is asked whether something changed
SCAN_SECONDS = 0.1  # without file-system events: how often content/ and templates/ are scanned
SETTLE_SECONDS = 0.02  # a burst of saves is done when nothing changed for this long
# This long after a rebuild with no new saves, garbage is collected: a full pass takes 60 to
# 80 ms at 4,000 stories, and a save that lands in it waits, so it waits for a real pause.
IDLE_SECONDS = 30.0
# This long after a rebuild, when the browser has reloaded, what the first patch of a text
# edit needs (LastBuild.lookup) is made, so that edit does not wait for it.
WARM_SECONDS = 1.0
CLIENT_PATH = "/__sitegen__/live.js"
CLIENT_SCRIPT = (Path(__file__).parent / "live.js").read_text(encoding="utf-8")


# ---------------------------------------------------------------- watching

class SourceWatcher:
    """Tells whether anything under content/ or templates/ changed since it was last asked.

    Uses the operating system's file events through watchdog (inotify, FSEvents, ...): an
    edit is seen at once and an idle server costs no CPU. Where events are unavailable it
    compares the stats of every file, at most every SCAN_SECONDS."""

    CHANGES = {"created", "deleted", "modified", "moved", "closed"}  # not "opened": builds read files

    def __init__(self, source: Path):
        self.source = source
        self.flag = threading.Event()
        self.observer = self._start_observer()
        self.state = None if self.observer else source_stats(source)
        self.scanned_at = time.monotonic()

    def _start_observer(self):
        try:
            from watchdog.events import FileSystemEventHandler
            from watchdog.observers import Observer
        except ImportError:
            return None
        flag, changes = self.flag, self.CHANGES

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event):
                if event.event_type in changes:
                    flag.set()

        observer = Observer()
        try:
            for folder in ("content", "templates"):
                if (self.source / folder).is_dir():
                    observer.schedule(Handler(), str(self.source / folder), recursive=True)
            observer.daemon = True
            observer.start()
        except OSError:  # e.g. the system's limit on watched folders
            return None
        return observer

    def changed(self) -> bool:
        if self.observer is not None:
            if self.flag.is_set():
                self.flag.clear()
                return True
            return False
        now = time.monotonic()
        if now - self.scanned_at < SCAN_SECONDS:
            return False
        self.scanned_at = now
        current = source_stats(self.source)
        if current != self.state:
            self.state = current
            return True
        return False

    def stop(self) -> None:
        if self.observer is not None:
            self.observer.stop()


class Rebuilder:
    """Rebuilds after a burst of saves has settled."""

    def __init__(self, options: BuildOptions):
        self.options = options
        # Kept in memory between rebuilds (saving it each time would cost more than the
        # rebuild); written to disk on exit so the next `sitegen build` starts warm.
        self.cache = BuildCache.load(options.source, options.cache_key()) if options.use_cache else None
        self.problems: list[Problem] = []
        self.watcher = SourceWatcher(options.source)
        self.changed_at: float | None = None
        self.built_at: float | None = None  # until the idle collection after that build
        self.warm_at: float | None = None
        self.builds = 0

    def rebuild(self) -> bool:
        started = time.perf_counter()
        try:
            if self.cache is None:
                self.cache = BuildCache(key=self.options.cache_key())
            result = build(dataclasses.replace(self.options, use_cache=False), cache=self.cache)
        except BuildFailed as error:
            self.problems = [p for p in error.problems if p.severity == "error"]
            print(format_report(error.problems), file=sys.stderr, flush=True)
            print("De vorige versie van de site blijft zichtbaar.", file=sys.stderr, flush=True)
            return False
        self.builds += 1
        self.problems = []
        # The kept model is large and long-lived: the cyclic collector would stop the server
        # for a full pass over it at a random moment, maybe between a save and the reload.
        # Frozen, it is skipped; collect_when_idle reclaims an older model's cycles later.
        gc.freeze()
        self.built_at = time.monotonic()
        self.warm_at = self.built_at + WARM_SECONDS
        if result.warnings:
            print(format_report(result.warnings), file=sys.stderr, flush=True)
        took = (time.perf_counter() - started) * 1000
        print(f"Gebouwd in {took:.0f} ms: {result.rendered} pagina's opnieuw gemaakt, {result.written} bestanden gewijzigd.",
              flush=True)
        return True

    def save(self) -> None:
        if self.cache is not None and self.options.use_cache and self.cache.sources:
            self.cache.save(self.options.source)

    def collect_when_idle(self, now: float) -> None:
        """A full garbage collection, once, when no save came for a while after a build."""
        if self.built_at is not None and self.changed_at is None and now - self.built_at >= IDLE_SECONDS:
            self.built_at = None
            gc.unfreeze()
            gc.collect()
            gc.freeze()

    def warm_when_idle(self, now: float) -> None:
        if self.warm_at is not None and self.changed_at is None and now >= self.warm_at:
            self.warm_at = None
            if self.cache is not None and self.cache.last is not None:
                self.cache.last.lookup()

    def poll(self) -> bool | None:
        """Called often; returns True/False after a rebuild, None when nothing happened."""
        now = time.monotonic()
        if self.watcher.changed():
            self.changed_at = now
            return None
        self.warm_when_idle(now)
        self.collect_when_idle(now)
        if self.changed_at is not None and now - self.changed_at >= SETTLE_SECONDS:
            self.changed_at = None
            return self.rebuild()
        return None


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
        try:
            await super().get(path, include_body)
        except web.HTTPError as error:
            if error.status_code == 403:  # tornado's answer to '../': say nothing exists there
                raise web.HTTPError(404) from None
            raise

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
        host = origin.split("://", 1)[-1].rstrip("/").lower()
        return host in self.hosts

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


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> int:
    rebuilder = Rebuilder(options)
    if not rebuilder.rebuild() and not (options.output_dir / "index.html").is_file():
        print("Er is nog geen eerdere versie om te tonen; herstel de fouten en start opnieuw.", file=sys.stderr)
        return 1
    app = make_application(rebuilder, options.output_dir, host, port)
    app.listen(port, address=host)
    loop = ioloop.IOLoop.current()
    ioloop.PeriodicCallback(lambda: on_poll(rebuilder), TICK_SECONDS * 1000).start()
    print(f"De site staat op http://{host}:{port}/ (stoppen: Ctrl+C)", flush=True)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(f"http://{host}:{port}/",)).start()
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        rebuilder.watcher.stop()
        rebuilder.save()
    return 0

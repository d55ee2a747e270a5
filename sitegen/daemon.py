"""The build server: a `sitegen build` that did real work stays in memory for a while, so the
next `sitegen build` of the same site hands its request over instead of starting again.

A new process spends most of a small rebuild on starting Python, importing, reading the
cache from disk and linking the model; a server that still holds all of that patches a
text edit in, as `serve` does, several times faster. It stands in for the on-disk cache: it
answers only requests with the same options and code, leaves as soon as anyone else writes
a cache or deletes the folder, and after IDLE_SECONDS without requests saves what it holds
and leaves.

Safety: it listens on a Unix socket inside the site's cache folder, readable and writable by
its owner only, and serves only connections from the same user. It binds no network port
and writes nothing but the output folder and the cache. This module imports nothing heavy:
the client side runs before the pipeline is imported."""

from __future__ import annotations

import gc
import json
import os
import socket
import sys
import time
from collections.abc import Callable

# No pathlib, typing, signal or struct at import time: the client side is timed in
# milliseconds, and only the server needs them (it runs after the pipeline imported them).
TYPE_CHECKING = False
if TYPE_CHECKING:  # for the annotations
    from pathlib import Path

SOCKET_NAME = "server.sock"
PID_NAME = "server.pid"
IDLE_SECONDS = 15 * 60  # an editing session's pause; then the memory goes back
TICK_SECONDS = 1.0  # how often an idle server checks that its socket and cache are still its own
# A full garbage collection over the held build takes 60 to 80 ms at 4,000 stories,
# and a request that comes in meanwhile waits for it; an editor who saves and builds again
# within seconds should not, so it waits for a real pause.
COLLECT_AFTER_SECONDS = 30.0
MAX_REQUEST_BYTES = 1 << 16
SOCKET_PATH_LIMIT = 100  # sun_path holds 104 to 108 bytes, depending on the system


def enabled(refused: bool, environ=os.environ) -> bool:
    """Whether `sitegen build` may use a build server: not when told not to, not on CI
    (a process that outlives the job is unwelcome there), and only where Unix sockets and
    fork exist."""
    if refused or environ.get("SITEGEN_DAEMON", "1").strip().lower() in ("0", "no", "off", "false"):
        return False
    if environ.get("CI") and environ.get("SITEGEN_DAEMON") is None:
        return False
    return hasattr(socket, "AF_UNIX") and hasattr(os, "fork") and hasattr(os, "setsid")


def socket_path(cache_folder: str | os.PathLike) -> str | None:
    path = os.path.join(cache_folder, SOCKET_NAME)
    return path if len(os.fsencode(path)) <= SOCKET_PATH_LIMIT else None


# ---------------------------------------------------------------- client

def ask(cache_folder: str | os.PathLike, request: dict) -> dict | None:
    """The server's answer to `request`, or None when no server took it (none running, a
    different site state, or it went away): the caller then builds itself."""
    path = socket_path(cache_folder)
    if path is None or not os.path.exists(path):
        return None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(path)
            connection.sendall(json.dumps(request).encode("utf-8") + b"\n")
            connection.shutdown(socket.SHUT_WR)
            answer = read_all(connection)
    except OSError:
        return None
    try:
        reply = json.loads(answer)
    except ValueError:
        return None
    return reply if isinstance(reply, dict) and reply.get("status") == "done" else None


def read_all(connection: socket.socket, limit: int | None = None) -> bytes:
    chunks, size = [], 0
    while True:
        chunk = connection.recv(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if limit is not None and size > limit:
            raise OSError("request too large")


# ---------------------------------------------------------------- server

class Handler:
    """What the server does with requests; given by the command line, which knows builds.
    (A plain class: the client side imports this module, and dataclasses cost it time.)"""

    def __init__(self, accepts: Callable[[dict], bool], handle: Callable[[dict], dict],
                 after: Callable[[dict], None], save: Callable[[], None], warm: Callable[[], None]):
        self.accepts = accepts  # same options and code as the build held; else the server leaves
        self.handle = handle  # the build; returns the reply (exit code, printed text)
        self.after = after  # what is left to do once the reply is sent (the small index)
        self.save = save  # writes the held cache to disk, when the server leaves idle
        self.warm = warm  # prepares what the first request would otherwise wait for


def start(cache_folder: Path, state_file: Path, handler: Handler) -> bool:
    """Fork a server that answers requests with `handler`, and return at once (True when
    one started)."""
    import signal
    from pathlib import Path

    path = socket_path(cache_folder)
    if path is None or not state_file.is_file():
        return False
    path = Path(path)
    listener = listen(path)
    if listener is None:
        return False
    sys.stdout.flush()
    sys.stderr.flush()
    parent, ours = os.getpid(), identity(path)
    try:
        child = os.fork()
    except OSError:
        listener.close()
        return False
    if child:
        listener.close()
        (cache_folder / PID_NAME).write_text(f"{child}\n", encoding="ascii")  # to find it: stop, or tests
        return True
    # In the server: leave the terminal's session and its streams, then serve until done.
    code = 0
    try:
        signal.signal(signal.SIGTERM, stop)  # `kill` leaves through `finally`, socket removed
        os.setsid()
        detach_streams(keep=listener.fileno())
        os.chdir("/")
        server = Server(listener, path, ours, state_file, handler)
        wait_for_exit(parent)
        server.run()
    except BaseException:  # noqa: BLE001 - a server has nobody to tell; it just goes
        code = 1
    finally:
        listener.close()
        if identity(path) == ours:  # not taken over by a newer server
            path.unlink(missing_ok=True)
            (cache_folder / PID_NAME).unlink(missing_ok=True)
        os._exit(code)


def wait_for_exit(parent: int, seconds: float = 2.0) -> None:
    """Until the command that forked us has exited, every page we touch is copied; it exits
    right away, so wait for that before warming up."""
    deadline = time.monotonic() + seconds
    while os.getppid() == parent and time.monotonic() < deadline:
        time.sleep(0.002)


def listen(path: Path) -> socket.socket | None:
    """A listening socket at `path`, for the owner only; it takes over from an older server,
    which notices its socket is gone and leaves."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        temporary.unlink(missing_ok=True)
        mask = os.umask(0o077)
        try:
            listener.bind(str(temporary))
        finally:
            os.umask(mask)
        os.chmod(temporary, 0o600)
        listener.listen(8)
        os.replace(temporary, path)  # atomic: a client finds the old server's socket or this one
    except OSError:
        listener.close()
        temporary.unlink(missing_ok=True)
        return None
    return listener


def detach_streams(keep: int) -> None:
    """Standard streams to /dev/null and every other inherited descriptor closed, so that
    whoever waits for the command's output (a terminal, a pipe, a test runner's capture)
    is not kept waiting by the server."""
    null = os.open(os.devnull, os.O_RDWR)
    for stream in (0, 1, 2):
        os.dup2(null, stream)
    os.close(null)
    os.closerange(3, keep)
    os.closerange(keep + 1, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 4096)


def identity(path: Path) -> tuple[int, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


def same_user(connection: socket.socket) -> bool:
    """The peer runs as our user (Linux tells; elsewhere the socket's mode 0600 decides)."""
    import struct

    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True
    credentials = connection.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", credentials)
    return uid == os.getuid()


class Server:
    """Answers requests one at a time until it is idle too long or its cache is not its own.

    While it runs, the cache it holds is newer than the one on disk, so it deletes that one
    before its first build: a build without the server then starts afresh instead of from
    a state that no longer matches the output. Leaving idle, it saves what it holds."""

    def __init__(self, listener: socket.socket, path: Path, socket_identity: tuple | None, state_file: Path,
                 handler: Handler):
        self.listener, self.path, self.state_file, self.handler = listener, path, state_file, handler
        self.socket_identity = socket_identity
        self.state_identity = identity(state_file)
        self.idle_seconds = float(os.environ.get("SITEGEN_DAEMON_IDLE_SECONDS", IDLE_SECONDS))
        self.last_request = time.monotonic()
        self.collect_at: float | None = time.monotonic() + COLLECT_AFTER_SECONDS

    def still_ours(self) -> bool:
        """Nobody replaced our socket or wrote a cache of their own (or deleted the folder)."""
        return identity(self.path) == self.socket_identity and identity(self.state_file) == self.state_identity

    def run(self) -> None:
        self.handler.warm()
        gc.freeze()  # the held build is long-lived: keep the collector off it
        self.listener.settimeout(TICK_SECONDS)
        while self.still_ours():
            if time.monotonic() - self.last_request >= self.idle_seconds:
                if self.state_identity is None:  # it built since it deleted the disk's cache
                    self.handler.save()
                return
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                if self.still_ours():
                    self.collect_when_idle()
                continue
            with connection:
                if not self.answer(connection):
                    return

    def answer(self, connection: socket.socket) -> bool:
        """Serve one request; False when the server should leave."""
        self.last_request = time.monotonic()
        connection.settimeout(10.0)
        if not same_user(connection):
            return True
        try:
            request = json.loads(read_all(connection, MAX_REQUEST_BYTES))
        except (OSError, ValueError):
            return True
        if not isinstance(request, dict) or not self.still_ours() or not self.handler.accepts(request):
            send(connection, {"status": "declined"})
            return False
        outdated = None
        if self.state_identity is not None:
            # Renamed now and deleted once the client has its reply: unlinking a cache of
            # tens of MB keeps the file system busy for 10 ms or more.
            outdated = self.state_file.with_name(f".{self.state_file.name}.outdated-{os.getpid()}")
            try:
                os.replace(self.state_file, outdated)
            except OSError:
                outdated = None
            self.state_identity = None
        connection.settimeout(None)  # a large build may take a while; the client waits for it
        reply = self.handler.handle(request)
        send(connection, {**reply, "status": "done"})
        connection.close()  # the client is done; the rest is ours
        if outdated is not None:
            outdated.unlink(missing_ok=True)
        self.handler.after(reply)
        self.collect_at = time.monotonic() + COLLECT_AFTER_SECONDS
        return True

    def collect_when_idle(self) -> None:
        if self.collect_at is not None and time.monotonic() >= self.collect_at:
            self.collect_at = None
            gc.unfreeze()
            gc.collect()
            gc.freeze()


def stop(signum, frame) -> None:
    raise SystemExit(0)


def send(connection: socket.socket, reply: dict) -> None:
    try:
        connection.sendall(json.dumps(reply).encode("utf-8"))
    except OSError:
        pass

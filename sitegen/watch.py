"""Watching: rebuilds after saves under content/ and templates/, on a build kept in memory.

Hands each outcome to its caller: serve.py serves it and reloads the browser; `sitegen build
--watch` (watch() here) only prints it, for people who use a web server of their own."""

from __future__ import annotations

import dataclasses
import gc
import signal
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from .build import BuildOptions, build
from .cache import BuildCache, source_stats
from .errors import BuildFailed, Problem, format_report
from .output import OutputError

TICK_SECONDS = 0.005  # how often the watcher is asked whether something changed
SCAN_SECONDS = 0.1  # without file-system events: how often content/ and templates/ are scanned
SETTLE_SECONDS = 0.02  # a burst of saves is done when nothing changed for this long
# This long after a rebuild with no new saves, garbage is collected: a full pass takes 60 to
# 80 ms at 4,000 stories, and a save that lands in it waits, so it waits for a real pause.
IDLE_SECONDS = 30.0


class SourceWatcher:
    """Tells whether anything under content/ or templates/ changed since it was last asked.

    Uses the operating system's file events through watchdog (inotify, FSEvents, ...) once
    start() is called: an edit is seen at once and an idle watcher costs no CPU. Where events
    are unavailable it compares the stats of every file, at most every SCAN_SECONDS."""

    CHANGES = {"created", "deleted", "modified", "moved", "closed"}  # not "opened": builds read files

    def __init__(self, source: Path):
        self.source = source
        self.flag = threading.Event()
        self.observer = None
        # Taken before the first build, so that a save during that build is not missed.
        self.state = source_stats(source)
        self.scanned_at = time.monotonic()

    def start(self) -> None:
        """Watch from now on. The observer is a thread, and a build forks only while no other
        thread runs (workers.can_fork): call this after the first build."""
        self.observer = self._start_observer()
        if self.observer is not None and source_stats(self.source) != self.state:
            self.flag.set()  # saved while the first build ran

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
            self.observer.join()
            self.observer = None


class Rebuilder:
    """Builds, then rebuilds after a burst of saves has settled, on one BuildCache in memory."""

    def __init__(self, options: BuildOptions):
        self.options = options
        # Kept in memory between rebuilds (saving it each time would cost more than the
        # rebuild); written to disk on exit so the next `sitegen build` starts warm.
        self.cache = BuildCache.load(options.source, options.cache_key()) if options.use_cache else None
        self.problems: list[Problem] = []
        self.watcher = SourceWatcher(options.source)
        self.changed_at: float | None = None
        self.built_at: float | None = None  # until the idle collection after that build
        self.building = False  # a build stopped halfway leaves a cache not worth saving
        self.builds = 0

    def rebuild(self) -> bool:
        started = time.perf_counter()
        self.building = True
        try:
            if self.cache is None:
                self.cache = BuildCache(key=self.options.cache_key())
            result = build(dataclasses.replace(self.options, use_cache=False), cache=self.cache)
        except BuildFailed as error:
            self.building = False
            self.problems = [p for p in error.problems if p.severity == "error"]
            print(format_report(error.problems), file=sys.stderr, flush=True)
            print(error.summary(), "De vorige versie van de site blijft zichtbaar.", file=sys.stderr, flush=True)
            return False
        except OutputError as error:
            self.building = False
            print(f"fout: {error}", file=sys.stderr, flush=True)
            return False
        self.building = False
        self.builds += 1
        self.problems = []
        # The kept model is large and long-lived: the cyclic collector would stop the process
        # for a full pass over it at a random moment, maybe between a save and the reload.
        # Frozen, it is skipped; collect_when_idle reclaims an older model's cycles later.
        gc.freeze()
        self.built_at = time.monotonic()
        if result.warnings:
            print(format_report(result.warnings), file=sys.stderr, flush=True)
        took = (time.perf_counter() - started) * 1000
        print(f"Gebouwd in {took:.0f} ms: {result.rendered} pagina's opnieuw gemaakt, {result.written} bestanden gewijzigd.",
              flush=True)
        return True

    def save(self) -> None:
        if self.cache is not None and self.options.use_cache and self.cache.sources and not self.building:
            self.cache.save(self.options.source)

    def collect_when_idle(self, now: float) -> None:
        """A full garbage collection, once, when no save came for a while after a build."""
        if self.built_at is not None and self.changed_at is None and now - self.built_at >= IDLE_SECONDS:
            self.built_at = None
            gc.unfreeze()
            gc.collect()
            gc.freeze()

    def poll(self) -> bool | None:
        """Called every TICK_SECONDS; returns True/False after a rebuild, None when nothing happened."""
        now = time.monotonic()
        if self.watcher.changed():
            self.changed_at = now
            return None
        self.collect_when_idle(now)
        if self.changed_at is not None and now - self.changed_at >= SETTLE_SECONDS:
            self.changed_at = None
            return self.rebuild()
        return None

    def close(self) -> None:
        self.watcher.stop()
        self.save()


@contextmanager
def stopped_by_signals():
    """SIGTERM ends what runs inside as Ctrl+C (SIGINT) does: with KeyboardInterrupt."""
    def stop(signum, frame):
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def watch(options: BuildOptions) -> int:
    """Build, then rebuild on every save until Ctrl+C or SIGTERM; errors are printed and the
    watching goes on, so a fix is picked up at the next save."""
    rebuilder = Rebuilder(options)
    with stopped_by_signals():
        try:
            rebuilder.rebuild()
            rebuilder.watcher.start()
            print("Ik kijk naar wijzigingen in content/ en templates/ (stoppen: Ctrl+C).", flush=True)
            while True:
                rebuilder.poll()
                time.sleep(TICK_SECONDS)
        except KeyboardInterrupt:
            print("Gestopt met kijken.", flush=True)
        finally:
            rebuilder.close()
    return 0

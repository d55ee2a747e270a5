"""Share work between this process and forked children, for the cold steps of a build.

Forked children see the parent's memory as it was (the parsed files, the linked site) for
free and send back only their results. Where fork is unsafe or missing, everything runs here."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import traceback
from functools import partial
from typing import Callable, Sequence, TypeVar

Chunk = TypeVar("Chunk")
Result = TypeVar("Result")


class WorkerFailed(RuntimeError):
    """A forked child raised (`kind` and `message` are its exception's type name and text,
    `details` its traceback) or died without sending a result (`kind` empty)."""

    def __init__(self, kind: str, message: str, details: str = ""):
        super().__init__(f"{kind}: {message}" if kind else message)
        self.kind, self.message, self.details = kind, message, details


def can_fork() -> bool:
    """Forking copies only the calling thread: with another one running (serve's file
    watcher) a lock it held stays locked in the child forever, so then work stays here."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


# What one more forked worker adds to the memory of the build, as a share of this process's
# resident size: it writes to most of the pages it reads (reference counts), and keeps parts
# of its own. Measured 0.7 at 20,000 stories, with this process growing 0.15 meanwhile.
WORKER_SHARE = 0.8
GROWTH = 1.15


def resident_mb() -> float:
    """This process's resident memory in MB (0 where it cannot be told)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def affordable(workers: int, budget_mb: float) -> int:
    """How many of `workers` processes fit in the memory budget, at least one."""
    size = resident_mb()
    while workers > 1 and size * (GROWTH + WORKER_SHARE * (workers - 1)) > budget_mb:
        workers -= 1
    return workers


def split(items: Sequence, parts: int) -> list[list]:
    """`parts` contiguous slices of nearly equal length (contiguous keeps results in order)."""
    size, extra = divmod(len(items), parts)
    slices, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        slices.append(list(items[start:end]))
        start = end
    return slices


def fork_map(function: Callable[[Chunk], Result], chunks: list[Chunk]) -> list[Result]:
    """[function(chunk) for chunk in chunks]: the first chunk here, each other one in a child.

    A child that fails or dies raises WorkerFailed here; the others are stopped."""
    if len(chunks) < 2 or not can_fork():
        return [function(chunk) for chunk in chunks]
    running = [Background(partial(function, chunk)) for chunk in chunks[1:]]
    try:
        return [function(chunks[0])] + [job.result() for job in running]
    finally:
        for job in running:
            job.cancel()


class Background:
    """function() in a forked child, started now and collected by result(), so that it runs
    alongside whatever this process does meanwhile.

    Where fork is unsafe or missing, result() calls function() here. A child that fails or
    dies makes result() raise WorkerFailed: its work is not done again."""

    def __init__(self, function: Callable[[], Result]):
        self.function = function
        self.process = None
        if can_fork():
            context = multiprocessing.get_context("fork")
            self.receiver, sender = context.Pipe(duplex=False)
            self.process = context.Process(target=_child, args=(function, sender), daemon=True)
            self.process.start()
            sender.close()

    def result(self) -> Result:
        if self.process is None:
            return self.function()
        try:
            done, payload = self.receiver.recv()
        except (EOFError, OSError):
            done, payload = False, None
        self.receiver.close()
        self.process.join()
        code, self.process = self.process.exitcode, None
        if done:
            return payload
        if payload is None:
            raise WorkerFailed("", f"gestopt zonder resultaat (exitcode {code})")
        raise WorkerFailed(*payload)

    def cancel(self) -> None:
        """Stop the child (the caller gave up on its result); harmless when already done."""
        if self.process is not None:
            self.receiver.close()
            self.process.terminate()
            self.process.join()
            self.process = None


def _child(function: Callable[[], Result], sender) -> None:
    # Ctrl+C reaches the whole process group: the parent decides and stops its children,
    # and a handler the parent set for SIGTERM must not run here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        sender.send((True, function()))
    except Exception as error:  # noqa: BLE001 - handed to the parent, which raises it
        sender.send((False, (type(error).__name__, str(error), traceback.format_exc())))
    sender.close()

"""Share work between this process and forked children, for the cold steps of a build.

Forked children see the parent's memory as it was (the parsed files, the linked site) for
free and send back only their results. Where fork does not exist, everything runs here."""

from __future__ import annotations

import multiprocessing
import os
from functools import partial
from typing import Callable, Sequence, TypeVar

Chunk = TypeVar("Chunk")
Result = TypeVar("Result")


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


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

    A child that dies or fails has its chunk done here instead, so the outcome (results,
    problems) never depends on how the work was shared."""
    if len(chunks) < 2 or not can_fork():
        return [function(chunk) for chunk in chunks]
    running = [Background(partial(function, chunk)) for chunk in chunks[1:]]
    return [function(chunks[0])] + [job.result() for job in running]


class Background:
    """function() in a forked child, started now and collected by result(), so that it runs
    alongside whatever this process does meanwhile.

    The outcome never depends on the child: where fork does not exist, or the child dies
    or fails, result() calls function() here instead."""

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
            done, result = self.receiver.recv()
        except (EOFError, OSError):
            done, result = False, None
        self.receiver.close()
        self.process.join()
        self.process = None
        return result if done else self.function()

    def cancel(self) -> None:
        """Stop the child (the caller gave up on its result); harmless when already done."""
        if self.process is not None:
            self.receiver.close()
            self.process.terminate()
            self.process.join()
            self.process = None


def _child(function: Callable[[], Result], sender) -> None:
    try:
        result = (True, function())
    except Exception:  # noqa: BLE001 - the parent does the work itself
        result = (False, None)
    sender.send(result)
    sender.close()

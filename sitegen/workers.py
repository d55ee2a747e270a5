"""Share work between this process and forked children, for the cold steps of a build.

Forked children see the parent's memory as it was (the parsed files, the linked site) for
free and send back only their results. Where fork does not exist, everything runs here."""

from __future__ import annotations

import multiprocessing
from typing import Callable, Sequence, TypeVar

Chunk = TypeVar("Chunk")
Result = TypeVar("Result")


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


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
    context = multiprocessing.get_context("fork")
    running = []
    for chunk in chunks[1:]:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(function, chunk, sender), daemon=True)
        process.start()
        sender.close()
        running.append((chunk, receiver, process))
    results = [function(chunks[0])]
    for chunk, receiver, process in running:
        try:
            done, result = receiver.recv()
        except (EOFError, OSError):
            done, result = False, None
        process.join()
        results.append(result if done else function(chunk))
    return results


def _child(function, chunk, sender) -> None:
    try:
        result = (True, function(chunk))
    except Exception:  # noqa: BLE001 - the parent does this chunk itself
        result = (False, None)
    sender.send(result)
    sender.close()

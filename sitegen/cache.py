"""Incremental builds: what the previous build parsed, checked and rendered, and on what.

Each expensive step keys its result by the digests of its inputs, so a rebuild redoes
only what an edit touched and the output stays byte-identical to a clean build. The
state lives in memory (serve) and in a git-ignored folder between runs (build)."""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import CACHE_FOLDER, code_stats


CACHE_FILE = "state.pickle"
INDEX_FILE = "index.pickle"  # just enough to tell that nothing changed, read without the rest
FORMAT = 9


def digest(*parts: Any) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


def code_version() -> str:
    """Changes whenever sitegen's own code does, so an upgrade never reuses stale results."""
    return digest(FORMAT, code_stats())


@dataclass
class BuildCache:
    """Everything a rebuild may reuse; pickled between runs."""

    key: str = ""  # code version and build options; a different key starts from scratch
    # time.time_ns() when the last build looked at the sources; files changed less than two
    # seconds before it are read again, since their mtime may not show a second edit
    saved_at: int = 0
    sources: dict[str, tuple[int, int]] = field(default_factory=dict)  # stat of content/ and templates/
    files: dict[str, Any] = field(default_factory=dict)  # rel -> (stat, SourceFile, problems)
    layout: Any = None  # load.Layout: which content files there are, while none is added or removed
    checked: dict[str, Any] = field(default_factory=dict)  # rel -> (key, data, problems)
    bodies: dict[str, Any] = field(default_factory=dict)  # source -> (digest, {target: url}, html, text, problems)
    pages: dict[str, str] = field(default_factory=dict)  # output path -> fingerprint
    outputs: dict[str, int] = field(default_factory=dict)  # output path -> size, as last written
    search_paths: list[str] = field(default_factory=list)  # the search index's files, as last written
    search_index: Any = None  # search.SearchCache, made by the first build that needs one
    summary: dict[str, Any] = field(default_factory=dict)  # page count, next change, warnings
    # Valid while the templates' digest holds: what their syntax trees tell (a
    # fingerprint.TemplateFacts) and, in memory only (never pickled), the Jinja environment
    # with its compiled templates.
    templates_key: str = ""
    environment: Any = None
    template_facts: Any = None
    # The last successful build's model and plan (build.LastBuild), so that a text-only edit
    # patches it instead of building again; serve keeps it, a `sitegen build` run never has it.
    last: Any = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.update(environment=None, last=None)
        return state

    @classmethod
    def load(cls, source: Path, key: str) -> "BuildCache":
        path = source / CACHE_FOLDER / CACHE_FILE
        try:
            with open(path, "rb") as handle:
                cache = pickle.load(handle)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return cls(key=key)
        if not isinstance(cache, cls) or cache.key != key:
            return cls(key=key)
        return cache

    def save(self, source: Path, create: bool = True) -> None:
        """Write the whole cache; with create=False only into a cache folder that still exists."""
        folder = source / CACHE_FOLDER
        if create:
            folder.mkdir(exist_ok=True)
        self._write(folder, CACHE_FILE, self)
        self.save_index(source)

    def save_index(self, source: Path) -> None:
        """Write just what `unchanged_summary` reads (the build server's output changes it)."""
        index = {"key": self.key, "sources": self.sources, "outputs": self.outputs, "summary": self.summary}
        self._write(source / CACHE_FOLDER, INDEX_FILE, index)

    @staticmethod
    def _write(folder: Path, name: str, value: Any) -> None:
        temporary = folder / f"{name}.{os.getpid()}"
        with open(temporary, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / name)


def unchanged_summary(source: Path, output: Path, key: str) -> dict | None:
    """The last build's summary when no source changed and its output is still in place."""
    try:
        with open(source / CACHE_FOLDER / INDEX_FILE, "rb") as handle:
            index = pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    if not isinstance(index, dict) or index.get("key") != key:
        return None
    if source_stats(source) != index["sources"] or not output_intact(output, index["outputs"]):
        return None
    return {**index["summary"], "files": len(index["outputs"])}


def source_stats(source: Path, links: set[str] | None = None) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under content/ and templates/ (of a symbolic link itself,
    not where it points; its path goes into `links` as well, when given)."""
    state: dict[str, tuple[int, int]] = {}
    for folder in ("content", "templates"):
        stack = [str(source / folder)]
        while stack:
            try:
                entries = list(os.scandir(stack.pop()))
            except OSError:
                continue
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    state[entry.path] = (info.st_mtime_ns, info.st_size)
                    if links is not None and entry.is_symlink():
                        links.add(entry.path)
    return state


def output_intact(output: Path, outputs: dict[str, int]) -> bool:
    """The output folder still holds what the last build wrote (nobody deleted or changed it)."""
    if not outputs or not output.is_dir():
        return False
    folder = str(output) + os.sep
    stat = os.stat
    for rel, size in outputs.items():
        try:
            if stat(folder + rel).st_size != size:
                return False
        except OSError:
            return False
    return True

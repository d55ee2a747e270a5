"""Incremental builds: what the previous build parsed, checked and rendered, and on what.

Each expensive step keys its result by the digests of its inputs, so a rebuild redoes
only what an edit touched and the output stays byte-identical to a clean build. The
state lives in memory (serve, build --watch) and between runs in the user's own cache
folder, never in the site: a pull request can add any file to the site, and a pickle
read from there could run any code it likes."""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .output import MARKER as OUTPUT_MARKER



CACHE_FILE = "state.pickle"
INDEX_FILE = "index.pickle"  # just enough to tell that nothing changed, read without the rest
FORMAT = 12


def digest(*parts: Any) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


def code_stats() -> list[list]:
    """[name, size, mtime] of each of sitegen's modules: changes whenever its code does."""
    package = os.path.dirname(os.path.abspath(__file__))
    with os.scandir(package) as entries:
        modules = [entry for entry in entries if entry.name.endswith(".py")]
    return sorted([entry.name, entry.stat().st_size, entry.stat().st_mtime_ns] for entry in modules)


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
    sources: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # stat of content/ and templates/
    racy: dict[str, str] = field(default_factory=dict)  # path -> digest, where the stat was too recent to prove
    files: dict[str, Any] = field(default_factory=dict)  # rel -> (stat, SourceFile, problems)
    layout: Any = None  # load.Layout: which content files there are, while none is added or removed
    checked: dict[str, Any] = field(default_factory=dict)  # rel -> (key, data, problems)
    bodies: dict[str, Any] = field(default_factory=dict)  # source -> (digest, {target: url}, html, text, problems)
    records: Any = None  # deps.RenderRecords: what each page read when it was last rendered
    outputs: dict[str, int] = field(default_factory=dict)  # output path -> size, as last written
    output_token: str = ""  # the output marker's text: which build wrote the output folder
    search_paths: list[str] = field(default_factory=list)  # the search index's files, as last written
    search_index: Any = None  # search.SearchCache, made by the first build that needs one
    summary: dict[str, Any] = field(default_factory=dict)  # page count, next change, warnings
    # In memory only (never pickled), for serve and build --watch: the Jinja environment with
    # its compiled templates while the templates' digest holds, and the linked model (a
    # model.Site) while the files without their Markdown bodies are unchanged.
    templates_key: str = ""
    environment: Any = None
    model_key: str = ""
    site: Any = None
    documents: Any = None  # the search documents of that model

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.update(environment=None, model_key="", site=None, documents=None)
        return state

    @classmethod
    def load(cls, source: Path, key: str) -> "BuildCache":
        """The state the last build of this site left, or an empty one: a cache that is
        missing, corrupt, of another version or of other options means a full build."""
        cache = _read(cache_folder(source) / CACHE_FILE)
        if not isinstance(cache, cls) or cache.key != key:
            return cls(key=key)
        return cache

    def save(self, source: Path) -> None:
        """Write the whole cache; a cache folder that cannot be written only costs the next build time."""
        folder = cache_folder(source)
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            _write(folder, CACHE_FILE, self)
            index = {"key": self.key, "sources": self.sources, "outputs": self.outputs, "summary": self.summary,
                     "token": self.output_token, "saved_at": self.saved_at, "racy": self.racy}
            _write(folder, INDEX_FILE, index)
        except OSError:
            pass


def cache_root() -> Path:
    """The user's cache folder for sitegen ($XDG_CACHE_HOME/sitegen, or ~/.cache/sitegen)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sitegen"


def cache_folder(source: Path) -> Path:
    """Where the state of builds of this site lives: outside the site, one folder per site."""
    return cache_root() / digest(str(Path(source).resolve()))


def _read(path: Path) -> Any:
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - any unreadable cache is no cache
        return None


def _write(folder: Path, name: str, value: Any) -> None:
    temporary = folder / f"{name}.{os.getpid()}"
    with open(temporary, "wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, folder / name)


def unchanged_summary(source: Path, output: Path, key: str) -> dict | None:
    """The last build's summary when no source changed and its output is still in place."""
    index = _read(cache_folder(source) / INDEX_FILE)
    if not isinstance(index, dict) or index.get("key") != key:
        return None
    if not stats_prove_unchanged(source_stats(source), index["sources"], index.get("saved_at", 0),
                                                          index.get("racy", {})) or not output_intact(output, index["outputs"], index.get("token", "")):
        return None
    return {**index["summary"], "files": len(index["outputs"])}


def source_stats(source: Path, links: set[str] | None = None) -> dict[str, tuple[int, int, int, int]]:
    """(mtime, size, ctime, inode) of every file under content/ and templates/ (of a symbolic link itself,
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
                    # ctime and inode too: `cp -p` and `rsync -a` keep the mtime (and often the size)
                    # of an edit, but no user program can set the ctime, and a rename gives a new inode
                    state[entry.path] = (info.st_mtime_ns, info.st_size, info.st_ctime_ns, info.st_ino)
                    if links is not None and entry.is_symlink():
                        links.add(entry.path)
    return state


def stats_prove_unchanged(stats: dict, previous: dict, saved_at: int, racy: dict[str, str]) -> bool:
    """The sources are the ones the last build read: same stats, and those changed so shortly
    before that build that a second edit in the same clock tick would not show in their
    stats (`racy`, see racy_digests) still have the content digest they had then."""
    if stats != previous:
        return False
    trusted_before = saved_at - TRUST_WINDOW_NS
    for path, stat in stats.items():
        if stat[0] >= trusted_before or stat[2] >= trusted_before:
            if path not in racy or racy[path] != _file_digest(path):
                return False
    return True


def racy_digests(stats: dict, saved_at: int) -> dict[str, str]:
    """Content digests of the files whose stats alone cannot prove them unchanged later."""
    trusted_before = saved_at - TRUST_WINDOW_NS
    return {path: _file_digest(path) for path, stat in stats.items()
            if stat[0] >= trusted_before or stat[2] >= trusted_before}


def _file_digest(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return digest(handle.read())
    except OSError:
        return ""


TRUST_WINDOW_NS = 2_000_000_000


def output_intact(output: Path, outputs: dict[str, int], token: str) -> bool:
    """The output folder still holds what the last build wrote (nobody deleted or changed it,
    and no build that was killed before it saved this cache swapped in another)."""
    if not outputs or not token or output.is_symlink() or not output.is_dir():
        return False
    try:
        with open(os.path.join(output, OUTPUT_MARKER), "rb") as handle:
            if handle.readline().strip() != token.encode("ascii"):
                return False
    except OSError:
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

"""Stage 5, write: put the rendered files into output/ atomically.

Refuses two files on one path and any path outside the output folder, builds into a
staging folder and swaps it into place, so a failed build leaves the old output intact."""

from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import Problems


@dataclass
class OutputFile:
    path: str  # relative to the output folder, forward slashes
    content: bytes | None  # None: unchanged since the last build, keep the file that is there
    sources: tuple[str, ...] = ()


def safe_relative_path(path: str) -> str | None:
    """Normalised relative path, or None when it would leave the output folder."""
    if "\\" in path or "\x00" in path or path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return None
    normal = posixpath.normpath(path)
    if normal in (".", "..") or normal.startswith("../"):
        return None
    return normal


def check_paths(files: list[OutputFile], problems: Problems) -> list[OutputFile]:
    """Drop (and report) files that leave the output folder or share a path."""
    owners: dict[str, OutputFile] = {}
    accepted = []
    for file in files:
        where = file.sources[0] if file.sources else "content"
        normal = safe_relative_path(file.path)
        if normal is None:
            problems.error(where, 1, 1, f"pad '{file.path}' ligt buiten de uitvoermap en wordt geweigerd")
            continue
        if normal in owners:
            first = owners[normal]
            names = " en ".join(dict.fromkeys((*first.sources, *file.sources))) or "twee pagina's"
            problems.error(where, 1, 1, f"twee pagina's op hetzelfde adres '/{normal}': {names}",
                           "geef één van beide een andere bestandsnaam of alias")
            continue
        owners[normal] = file
        accepted.append(OutputFile(normal, file.content, file.sources))
    return accepted


def update_output(files: list[OutputFile], output: Path, previous: set[str]) -> WriteStats:
    """Bring an output folder that holds the previous build up to date, file by file.

    Used for rebuilds: only files whose bytes changed are written (each atomically, by
    renaming a finished temporary file), and files the site no longer has are removed.
    Every check ran before this point, so a failed build never gets here."""
    output = output.resolve()
    stats = WriteStats()
    current = set()
    for file in files:
        current.add(file.path)
        if file.content is None:
            stats.unchanged += 1
            continue
        target = output / file.path
        # resolve(), not just the path's text: the old output may hold a link to elsewhere
        if not target.resolve().is_relative_to(output):
            raise ValueError(f"refusing to write outside the output folder: {file.path}")
        if _same_bytes(target, file.content):
            stats.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(file.content)
        os.replace(temporary, target)
        stats.written += 1
    for stale in sorted(previous - current, reverse=True):
        path = output / stale
        if path.resolve().is_relative_to(output):
            path.unlink(missing_ok=True)
            _remove_empty_parents(path.parent, output)
            stats.removed += 1
    return stats


def _remove_empty_parents(folder: Path, output: Path) -> None:
    while folder != output and folder.is_relative_to(output):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


class Staging:
    """A new output folder, filled file by file and swapped into place only by `commit`.

    Files can be added from forked render workers too; a file whose bytes equal the one in
    the current output is hard-linked instead of written, which keeps timestamps stable."""

    def __init__(self, output: Path):
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.staging-", dir=self.output.parent))
        self.stats = WriteStats()

    def put(self, path: str, content: bytes | None) -> bool:
        """Add a file; True when it was written, False when linked from the old output."""
        # The staging folder is new and only ever gets folders and files, never links, so
        # the path's text decides whether it stays inside.
        if safe_relative_path(path) != path:
            raise ValueError(f"refusing to write outside the output folder: {path}")
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        previous = self.output / path
        if content is None or _same_bytes(previous, content):
            try:
                os.link(previous, target)
                self.stats.unchanged += 1
                return False
            except OSError:
                if content is None:
                    raise
        target.write_bytes(content)
        self.stats.written += 1
        return True

    def commit(self) -> WriteStats:
        _swap(self.root, self.output)
        return self.stats

    def abort(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def write_output(files: list[OutputFile], output: Path) -> WriteStats:
    """Write `files` as the new contents of `output`, swapping it in at the end."""
    staging = Staging(output)
    try:
        for file in files:
            staging.put(file.path, file.content)
        return staging.commit()
    except BaseException:
        staging.abort()
        raise


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def _same_bytes(path: Path, content: bytes) -> bool:
    try:
        if path.is_symlink() or path.stat().st_size != len(content):
            return False
        return path.read_bytes() == content
    except OSError:
        return False


def _swap(staging: Path, output: Path) -> None:
    old = None
    if output.exists():
        old = output.with_name(f".{output.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.rename(output, old)
    os.rename(staging, output)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)

"""Stage 5, write: put the rendered files into output/ atomically.

Refuses an output folder that is not sitegen's, two files on one path and any path outside
it; every build fills a fresh folder and swaps it in whole, so a failed or killed build
leaves the old output intact."""

from __future__ import annotations

import ctypes
import errno
import os
import posixpath
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

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
        long_part = next((part for part in normal.split("/") if len(part.encode("utf-8")) > MAX_NAME_BYTES), None)
        if long_part is not None:
            problems.error(where, 1, 1, f"adres '/{normal}' heeft een deel van meer dan {MAX_NAME_BYTES} tekens",
                           "kies een kortere naam of alias")
            continue
        owners[normal] = file
        accepted.append(OutputFile(normal, file.content, file.sources))
    return _portable(accepted, problems)


MAX_NAME_BYTES = 200  # file systems stop at 255 bytes per name; sitegen adds suffixes of its own


def _portable(files: list[OutputFile], problems: Problems) -> list[OutputFile]:
    """Drop (and report) files that would overwrite one another on some file system: names
    that differ only in case (macOS, Windows), and a file where another needs a folder
    (an alias '/robots.txt/' next to the file robots.txt)."""
    by_fold: dict[str, OutputFile] = {}
    folders: dict[str, OutputFile] = {}
    for file in files:
        parts = file.path.split("/")
        for depth in range(1, len(parts)):
            folders.setdefault("/".join(parts[:depth]).casefold(), file)
    accepted = []
    for file in files:
        folded = file.path.casefold()
        other = by_fold.get(folded) or folders.get(folded)
        if other is not None:
            where = (*file.sources, *other.sources, "content")[0]  # a content file, not a generated one
            names = " en ".join(dict.fromkeys((*other.sources, *file.sources))) or "twee pagina's"
            problems.error(where, 1, 1, f"'/{file.path}' botst met '/{other.path}' ({names}): op een schijf die "
                           f"geen verschil ziet tussen hoofd- en kleine letters, of als bestand en map, "
                           f"overschrijft het ene het andere", "geef één van beide een andere naam of alias")
            continue
        by_fold[folded] = file
        accepted.append(file)
    return accepted


def update_output(files: list[OutputFile], output: Path, previous: set[str]) -> WriteStats:
    """Bring an output folder that holds the previous build up to date, as one swap.

    Used for rebuilds: the spare tree (see Staging) is made equal to the new site, hard links
    to every file whose bytes did not change and new files for the rest, and is then swapped
    in whole, so a kill or a full disk at any moment leaves the old site or the new one, never
    a mix. Every check ran before this point."""
    staging = Staging(output)
    try:
        for file in files:
            staging.put(file.path, file.content)
        stats = staging.commit([file.path for file in files])
    except BaseException:
        staging.abort()
        raise
    stats.removed = len(previous - {file.path for file in files})
    return stats


class OutputError(Exception):
    """Writing the output failed (a full disk, no permission): one Dutch line for the user."""


class OutputRefused(OutputError):
    """The output folder is not sitegen's to write: nothing was touched."""


# Every folder sitegen writes as output holds this file; its text names that one build, so
# the cache can tell whether the output is still the one it describes.
MARKER = ".sitegen-output"


def output_refusal(source: Path, output: Path) -> str | None:
    """Why `output` must not be written (a Dutch sentence), or None when it is sitegen's.

    A build replaces the whole folder, so it must be one that only sitegen uses: never the
    site itself or its sources, never a link to elsewhere, never a folder someone else made."""
    given = Path(os.path.abspath(output))
    if given.is_symlink():
        return f"uitvoermap {output} is een symbolische link; sitegen schrijft alleen in een gewone map"
    for parent in (given, *given.parents):
        if parent.exists() and not parent.is_dir():
            return f"uitvoermap {output} kan niet gemaakt worden: {parent} is een bestand"
    real, real_source = Path(os.path.realpath(given)), Path(os.path.realpath(source))
    if real_source.is_relative_to(real):
        return f"uitvoermap {output} is de bronmap of bevat die; de bouw zou je bronnen vervangen"
    for name in ("content", "templates"):
        folder = real_source / name
        if real.is_relative_to(folder) or folder.is_relative_to(real):
            return f"uitvoermap {output} overlapt met {name}/; de bouw zou je bronnen vervangen"
    if real.is_dir() and not (real / MARKER).is_file():
        try:
            with os.scandir(real) as entries:
                empty = next(entries, None) is None
        except OSError:
            empty = False
        if not empty:
            return (f"uitvoermap {output} bestaat al en is niet door sitegen gemaakt; kies een andere map "
                    f"of maak deze leeg als je niets nodig hebt wat erin staat")
    return None


def refuse_foreign_output(source: Path, output: Path) -> None:
    reason = output_refusal(source, output)
    if reason is not None:
        raise OutputRefused(reason)


def output_token(output: Path) -> str:
    """The first line of the output's marker: which build wrote this folder ('' when none did)."""
    try:
        with open(output / MARKER, "rb") as handle:
            return handle.readline().strip().decode("ascii")
    except (OSError, UnicodeDecodeError):
        return ""


def written_before(output: Path) -> set[str]:
    """The files the build that wrote `output` put there, as its marker lists them."""
    try:
        return set((output / MARKER).read_text("utf-8").splitlines()[1:])
    except (OSError, UnicodeDecodeError):
        return set()


def _files_under(folder: Path) -> set[str]:
    """Paths (forward slashes) of everything but folders under `folder`."""
    found, stack, cut = set(), [str(folder)], len(str(folder)) + 1
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    found.add(entry.path[cut:].replace(os.sep, "/"))
    return found


def disk_error(error: OSError) -> OutputError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = "de schijf is vol"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "geen toestemming om te schrijven"
    else:
        reason = error.strerror or type(error).__name__
    return OutputError(f"de uitvoer kon niet geschreven worden: {reason}; de vorige versie van de site staat er nog")


class Staging:
    """The next output folder, filled file by file and swapped into place only by `commit`.

    It is the spare: the folder the previous output became at the last swap, kept beside the
    output (same file system, so the swap is a rename). Every file it shares with the current
    output is one inode, hard-linked, so bringing it up to date touches only what changed in
    the last two builds; files are replaced by rename, never written in place, since the
    current output shares them. Without a usable spare (the first build, or one a kill left
    half-updated) it is a new folder, made with the umask's mode. Files can be added from
    forked render workers too."""

    def __init__(self, output: Path):
        self.output = Path(os.path.abspath(output))
        self.stats = WriteStats()
        self.folders: set[Path] = set()
        self.token = secrets.token_hex(16)
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            remove_leftovers(self.output)
            spare = self.output.with_name(f".{self.output.name}.spare")
            self.held: set[str] | None = None  # what the spare holds, when this build reuses it
            if self.output.is_dir() and _usable(spare):
                self.root, self.held = spare, written_before(spare)
                (spare / MARKER).write_text("dirty\n", "ascii")  # until commit: a kill leaves it untrusted
            else:
                if spare.is_dir() and not spare.is_symlink() and (spare / MARKER).is_file():
                    shutil.rmtree(spare)
                self.root = self.output.with_name(f".{self.output.name}.staging-{os.getpid()}-{secrets.token_hex(4)}")
                os.mkdir(self.root)  # not mkdtemp: its 0700 would keep a web server of another user out
                (self.root / MARKER).write_text("dirty\n", "ascii")
        except OSError as error:
            raise disk_error(error) from None

    def put(self, path: str, content: bytes | None) -> bool:
        """Add a file; True when it was written, False when it is the old output's file."""
        # The staging folder only ever gets folders and files from sitegen, never links, so
        # the path's text decides whether it stays inside.
        if safe_relative_path(path) != path or path == MARKER:
            raise ValueError(f"refusing to write outside the output folder: {path}")
        target = self.root / path
        previous = self.output / path
        if content is None and self.held is not None and _same_file(target, previous):
            self.stats.unchanged += 1  # kept, and the spare holds it already: its folder is there too
            return False
        try:
            if target.parent not in self.folders:
                _make_folder(target.parent, self.root)
                self.folders.add(target.parent)
            if content is None or _same_bytes(previous, content):
                if self.held is not None and _same_file(target, previous):
                    self.stats.unchanged += 1
                    return False
                try:
                    self._replace(target, lambda temporary: os.link(previous, temporary))
                    self.stats.unchanged += 1
                    return False
                except OSError:
                    if content is None:
                        raise
            self._replace(target, lambda temporary: temporary.write_bytes(content))
        except OSError as error:
            raise disk_error(error) from None
        self.stats.written += 1
        return True

    def _replace(self, target: Path, make: Callable[[Path], object]) -> None:
        if self.held is None:
            make(target)  # a new folder: nothing there yet
            return
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)  # a folder once, a file now
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.unlink(missing_ok=True)
        make(temporary)
        os.replace(temporary, target)

    def commit(self, paths: Iterable[str] | None = None) -> WriteStats:
        """Swap the new tree in; `paths` are every file the build put (all of them, when
        forked workers put some). Files in the old output that no build wrote (someone put
        them there) are linked into the new one: sitegen never deletes what it did not write."""
        try:
            ours = set(paths) if paths is not None else _files_under(self.root) - {MARKER}
            if self.held is not None:
                for rel in sorted(self.held - ours, reverse=True):
                    stale = self.root / rel
                    try:
                        if not stale.is_dir() or stale.is_symlink():
                            stale.unlink()
                    except (FileNotFoundError, NotADirectoryError):
                        continue  # gone with a folder that became a file
                    _remove_empty_parents(stale.parent, self.root)
            if self.output.is_dir():
                foreign = _files_under(self.output) - written_before(self.output) - {MARKER}
                for rel in sorted(foreign):
                    if rel in ours:
                        raise OutputError(f"{self.output / rel} is niet door sitegen geschreven en zou overschreven "
                                          f"worden; verplaats het bestand uit de uitvoermap")
                    if not _same_file(self.root / rel, self.output / rel):
                        _make_folder((self.root / rel).parent, self.root)
                        self._replace(self.root / rel, lambda temporary: os.link(self.output / rel, temporary,
                                                                               follow_symlinks=False))
            (self.root / MARKER).write_text("\n".join([self.token, *sorted(ours)]) + "\n", "utf-8")
            _swap(self.root, self.output)
        except OSError as error:
            raise disk_error(error) from None
        return self.stats

    def abort(self) -> None:
        if self.held is None:
            shutil.rmtree(self.root, ignore_errors=True)
        # a half-updated spare keeps its 'dirty' marker: the next build starts a new folder


def _usable(spare: Path) -> bool:
    """A spare a complete commit left (its marker names a build), not one a kill cut short."""
    if spare.is_symlink() or not spare.is_dir():
        return False
    token = output_token(spare)
    return len(token) == 32 and all(char in "0123456789abcdef" for char in token)


def _same_file(first: Path, second: Path) -> bool:
    try:
        one, other = os.stat(first, follow_symlinks=False), os.stat(second, follow_symlinks=False)
    except OSError:
        return False
    return (one.st_ino, one.st_dev) == (other.st_ino, other.st_dev)


def _make_folder(folder: Path, root: Path) -> None:
    """mkdir -p inside `root`, replacing a file of the spare where a folder is needed now."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        for parent in reversed([folder, *folder.parents]):
            if parent.is_relative_to(root) and parent != root and (parent.is_file() or parent.is_symlink()):
                parent.unlink()
        folder.mkdir(parents=True, exist_ok=True)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def write_output(files: list[OutputFile], output: Path) -> WriteStats:
    """Write `files` as the new contents of `output`, swapping it in at the end."""
    staging = Staging(output)
    try:
        for file in files:
            staging.put(file.path, file.content)
        return staging.commit([file.path for file in files])
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


def remove_leftovers(output: Path) -> None:
    """Remove the staging and old folders that a killed build of `output` left beside it.

    Only folders that hold sitegen's marker and whose process is gone: a build running at the
    same time keeps its own. An output that a kill between two renames left missing (where
    the system cannot exchange two folders in one step) gets its old folder back."""
    prefix = f".{output.name}."
    try:
        with os.scandir(output.parent) as scan:
            entries = sorted((entry for entry in scan if entry.name.startswith(prefix)), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        kind, _, rest = entry.name[len(prefix):].partition("-")
        pid = rest.split("-")[0]
        if kind not in ("staging", "old") or not pid.isdigit() or _alive(int(pid)):
            continue
        if not entry.is_dir(follow_symlinks=False) or not os.path.isfile(os.path.join(entry.path, MARKER)):
            continue
        if kind == "old" and not output.exists():
            os.rename(entry.path, output)
        else:
            shutil.rmtree(entry.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process is the one building now: what it left is over
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_cwd, exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _swap(staging: Path, output: Path) -> None:
    """Put `staging` in the place of `output`; the old output becomes the next build's spare."""
    spare = output.with_name(f".{output.name}.spare")
    if not output.exists():
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        if staging != spare:
            if spare.is_dir() and not spare.is_symlink():
                shutil.rmtree(spare)
            os.rename(staging, spare)  # the old site now
        return
    old = output.with_name(f".{output.name}.old-{os.getpid()}-{secrets.token_hex(4)}")
    os.rename(output, old)
    os.rename(staging, output)
    if spare.exists() and not spare.is_symlink():
        shutil.rmtree(spare, ignore_errors=True)  # never the staging itself: that is the output now
    os.rename(old, spare)

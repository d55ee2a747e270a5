"""Helpers for tests that build small sites: copy the fixture, break it, run the CLI."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from sitegen.cli import main

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"
# A fixed "today" keeps golden output and date-dependent pages stable.
FIXED_TODAY = dt.date(2026, 11, 26)


def copy_site(destination: Path, content: Path | None = None, templates: Path | None = None) -> Path:
    """Copy a site (the repo's own by default) so a test can change it freely."""
    shutil.copytree(content or REPO / "content", destination / "content")
    shutil.copytree(templates or REPO / "templates", destination / "templates")
    return destination


def copy_mini(destination: Path) -> Path:
    shutil.copytree(MINI, destination, dirs_exist_ok=True)
    return destination


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time, to prove a folder was not touched."""
    return {path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, by path relative to `folder` (but the output marker, which names one build)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".sitegen-output"}


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def copy_calendar_site(destination: Path) -> Path:
    """The finder fixture with the calendar fixture's extra purchases (see its README)."""
    copy_site(destination, content=FIXTURES / "finder" / "content")
    shutil.copytree(FIXTURES / "calendar" / "calendar", destination / "content" / "calendar", dirs_exist_ok=True)
    return destination

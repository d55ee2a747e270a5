"""Helpers for tests that build small sites: copy the fixture, break it, run the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

from sitegen.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"
TODAY_ARGS: list[str] = []


def copy_mini(destination: Path) -> Path:
    shutil.copytree(MINI, destination, dirs_exist_ok=True)
    return destination


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time, to prove a folder was not touched."""
    return {path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err

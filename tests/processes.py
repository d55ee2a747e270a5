"""Helpers for tests that run sitegen as a process of its own and prove it left nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sites import REPO


def sitegen(*args: str, **popen) -> subprocess.Popen:
    """`python -m sitegen ARGS` in a session of its own, so that anything it starts can be found."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    popen = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, **popen}
    return subprocess.Popen([sys.executable, "-m", "sitegen", *args], env=env, start_new_session=True, **popen)


def session_of(pid: int) -> int | None:
    """A process's session id from /proc/PID/stat, None when it has gone (or is a zombie)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()  # the command name may hold spaces
    return None if fields[0] in "ZX" else int(fields[3])


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def left_behind(session: int, mentioning: Path) -> list[str]:
    """Living processes in `session`, or whose command line mentions `mentioning`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        pid = int(entry.name)
        in_session = session_of(pid) == session
        line = command_line(pid)
        if (in_session or str(mentioning) in line) and session_of(pid) is not None:
            found.append(f"{pid}: {line}")
    return found

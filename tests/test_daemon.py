"""The build server: `sitegen build` hands a rebuild to the process the previous build left
behind, with the bytes a clean build writes, and that process never outstays its welcome."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitegen import daemon
from sites import REPO, copy_site, read_tree

pytestmark = pytest.mark.skipif(not daemon.enabled(False, {}), reason="no fork or Unix sockets here")

STORY = "content/cases/drie-beken-perceel-schoonmaak.md"


def sitegen(site: Path, *args: str, server: bool = True, idle: float = 60) -> subprocess.CompletedProcess:
    """`sitegen build` as an editor runs it, in a process of its own (the server is forked
    from it). The timeout also proves the server does not hold on to the caller's output."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "SITEGEN_DAEMON": "1" if server else "0",
           "SITEGEN_DAEMON_IDLE_SECONDS": str(idle)}
    env.pop("CI", None)
    return subprocess.run([sys.executable, "-m", "sitegen", "build", "--source", str(site), *args],
                          capture_output=True, text=True, env=env, timeout=120)


def server_pid(site: Path) -> int | None:
    try:
        return int((site / ".sitegen-cache" / daemon.PID_NAME).read_text())
    except (OSError, ValueError):
        return None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; only its parent (not us) can reap it.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


def wait_until_gone(pid: int, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def site(tmp_path):
    root = copy_site(tmp_path / "site")
    yield root
    pid = server_pid(root)
    if pid is not None and alive(pid):
        os.kill(pid, signal.SIGTERM)
        wait_until_gone(pid)


def append(site: Path, rel: str, text: str) -> None:
    with open(site / rel, "a", encoding="utf-8") as file:
        file.write(text)


def clean_build(site: Path, tmp_path: Path) -> dict[str, bytes]:
    """What a build from scratch writes for the same sources, elsewhere."""
    copy = copy_site(tmp_path / "clean", site / "content", site / "templates")
    done = sitegen(copy, server=False)
    assert done.returncode == 0, done.stderr
    return read_tree(copy / "output")


def test_a_rebuild_is_answered_by_the_server_with_the_bytes_of_a_clean_build(site, tmp_path):
    first = sitegen(site)
    assert first.returncode == 0, first.stderr
    assert "bouwserver" in first.stdout
    pid = server_pid(site)
    assert pid is not None and alive(pid)
    cache = site / ".sitegen-cache"
    assert (cache / "state.pickle").is_file()
    assert os.stat(cache / daemon.SOCKET_NAME).st_mode & 0o777 == 0o600

    append(site, STORY, "\nEen zin die er net bij kwam.\n")
    second = sitegen(site)
    assert second.returncode == 0, second.stderr
    assert "1 opnieuw gemaakt" in second.stdout
    assert "bouwserver" not in second.stdout  # no new server: the one there answered
    assert server_pid(site) == pid and alive(pid)
    # The server holds a newer cache than the disk had, so it removed that one (renamed
    # before the build, deleted after the reply).
    assert not (cache / "state.pickle").exists()
    deadline = time.monotonic() + 10
    while list(cache.glob(".state.pickle.outdated-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(cache.glob(".state.pickle.outdated-*"))
    assert read_tree(site / "output") == clean_build(site, tmp_path)

    third = sitegen(site)
    assert third.returncode == 0 and "Niets veranderd" in third.stdout


def test_errors_come_back_from_the_server_and_leave_the_output_alone(site):
    assert sitegen(site).returncode == 0
    before = read_tree(site / "output")
    story = (site / STORY).read_text(encoding="utf-8")
    (site / STORY).write_text(story.replace("title:", "titel:", 1), encoding="utf-8")
    broken = sitegen(site)
    assert broken.returncode == 1
    assert f"{STORY}:" in broken.stderr and "error:" in broken.stderr
    assert "niets geschreven" in broken.stderr
    assert read_tree(site / "output") == before
    assert alive(server_pid(site))

    (site / STORY).write_text(story, encoding="utf-8")
    fixed = sitegen(site)
    assert fixed.returncode == 0, fixed.stderr


def test_other_options_get_a_build_and_a_server_of_their_own(site):
    assert sitegen(site).returncode == 0
    first = server_pid(site)
    drafts = sitegen(site, "--drafts")
    assert drafts.returncode == 0, drafts.stderr
    assert "bouwserver" in drafts.stdout  # the first declined, so this build ran here
    second = server_pid(site)
    assert second != first
    assert wait_until_gone(first)
    assert alive(second)


def test_deleting_the_cache_stops_the_server_and_the_next_build_starts_afresh(site):
    assert sitegen(site).returncode == 0
    pid = server_pid(site)
    subprocess.run(["rm", "-rf", str(site / ".sitegen-cache")], check=True)
    assert wait_until_gone(pid)
    again = sitegen(site, server=False)
    assert again.returncode == 0
    assert "0 bestanden geschreven" in again.stdout  # built from scratch; the bytes were there already
    assert not (site / ".sitegen-cache" / daemon.SOCKET_NAME).exists()


def test_a_build_without_the_server_makes_the_server_leave(site):
    assert sitegen(site).returncode == 0
    pid = server_pid(site)
    append(site, STORY, "\nNog een zin.\n")
    assert sitegen(site).returncode == 0  # the server builds and drops the disk's cache
    append(site, STORY, "\nEn nog een.\n")
    assert sitegen(site, server=False).returncode == 0  # writes a cache of its own
    assert wait_until_gone(pid)


def test_an_idle_server_saves_what_it_holds_and_leaves(site):
    assert sitegen(site, idle=1).returncode == 0
    pid = server_pid(site)
    append(site, STORY, "\nEen zin.\n")
    assert sitegen(site, idle=1).returncode == 0
    assert wait_until_gone(pid, seconds=15)
    cache = site / ".sitegen-cache"
    assert (cache / "state.pickle").is_file()
    assert not (cache / daemon.SOCKET_NAME).exists() and not (cache / daemon.PID_NAME).exists()
    append(site, STORY, "\nEn nog een.\n")
    warm = sitegen(site, server=False)
    assert "1 opnieuw gemaakt" in warm.stdout, warm.stdout  # the saved cache was used


def test_stopped_with_sigterm_the_server_cleans_up(site):
    assert sitegen(site).returncode == 0
    pid = server_pid(site)
    os.kill(pid, signal.SIGTERM)
    assert wait_until_gone(pid)
    assert not (site / ".sitegen-cache" / daemon.SOCKET_NAME).exists()
    assert sitegen(site, server=False).returncode == 0


def test_a_request_from_another_code_version_is_declined(site):
    assert sitegen(site).returncode == 0
    pid = server_pid(site)
    reply = daemon.ask(site / ".sitegen-cache", {"options": {}, "code": [["cli.py", 1, 1]], "package": "elsewhere",
                                                  "python": sys.executable})
    assert reply is None
    assert wait_until_gone(pid)


def test_garbage_on_the_socket_does_not_stop_the_server(site):
    assert sitegen(site).returncode == 0
    pid = server_pid(site)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect(str(site / ".sitegen-cache" / daemon.SOCKET_NAME))
        connection.sendall(b"\xff not json\n")
        connection.shutdown(socket.SHUT_WR)
        assert connection.recv(100) == b""
    assert alive(pid)
    append(site, STORY, "\nEen zin.\n")
    assert "1 opnieuw gemaakt" in sitegen(site).stdout


@pytest.mark.parametrize("refused, environ, expected", [
    (False, {}, True),
    (True, {}, False),
    (False, {"SITEGEN_DAEMON": "0"}, False),
    (False, {"CI": "true"}, False),
    (False, {"CI": "true", "SITEGEN_DAEMON": "1"}, True),
])
def test_when_a_server_may_be_used(refused, environ, expected):
    assert daemon.enabled(refused, environ) is expected


def test_a_long_cache_path_means_no_server(tmp_path):
    deep = tmp_path / ("d" * 120) / ".sitegen-cache"
    assert daemon.socket_path(deep) is None
    assert daemon.ask(deep, {}) is None


def test_the_client_side_imports_nothing_heavy():
    """`sitegen build` with a server running is mostly Python starting; the pipeline's imports
    (Jinja, YAML, Markdown, the model) would double that."""
    probe = ("import sys, sitegen.cli; "
             "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('jinja2', 'yaml', 'markdown_it', 'segno', 'tornado') or m in "
             "('sitegen.build', 'sitegen.model', 'sitegen.config', 'sitegen.cache'))))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.stdout.strip() == ""
    # Nor the lighter ones only the server needs (-S: without site-packages, whose start-up
    # hooks may import them before sitegen does).
    probe = ("import sys; before = set(sys.modules); import sitegen.cli; "
             "print(' '.join(sorted({'pathlib', 'typing', 'signal', 'struct'} & (set(sys.modules) - before))))")
    done = subprocess.run([sys.executable, "-S", "-c", probe], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.stdout.strip() == ""

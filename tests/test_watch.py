"""The watcher of serve and `build --watch` sees edits under content/ and templates/, with and
without file events; `build --watch` rebuilds on them until stopped."""

from __future__ import annotations

import os
import signal
import time

import pytest

from sitegen import watch
from sitegen.watch import SourceWatcher


def wait_for(watcher: SourceWatcher, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if watcher.changed():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture(params=["events", "scanning"])
def watcher(request, tmp_path, monkeypatch):
    for folder in ("content/cases", "templates", "output"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "content/cases/verhaal.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    if request.param == "scanning":
        monkeypatch.setattr(SourceWatcher, "_start_observer", lambda self: None)
        monkeypatch.setattr(watch, "SCAN_SECONDS", 0.0)
    watcher = SourceWatcher(tmp_path)
    watcher.start()
    assert (watcher.observer is not None) == (request.param == "events")
    yield watcher
    watcher.stop()


def test_edits_additions_and_deletions_are_seen(watcher, tmp_path):
    story = tmp_path / "content/cases/verhaal.md"
    assert not watcher.changed()
    story.write_text("---\ntitle: y\n---\n", encoding="utf-8")
    os.utime(story, (time.time() + 5, time.time() + 5))  # a distinct mtime for the scanner
    assert wait_for(watcher)
    (tmp_path / "templates/base.html").write_text("<html></html>", encoding="utf-8")
    assert wait_for(watcher)
    story.unlink()
    assert wait_for(watcher)


def test_reading_sources_and_writing_output_are_not_changes(watcher, tmp_path):
    wait_for(watcher, 0.3)  # let events of the set-up pass
    (tmp_path / "content/cases/verhaal.md").read_bytes()
    (tmp_path / "output/index.html").write_text("<html></html>", encoding="utf-8")
    assert not wait_for(watcher, 0.5)


def test_serve_freezes_the_kept_model_and_collects_it_when_idle(tmp_path, monkeypatch):
    import gc

    from sites import FIXED_TODAY, copy_mini
    from sitegen.config import BuildOptions

    root = copy_mini(tmp_path / "site")
    rebuilder = watch.Rebuilder(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY, use_cache=False))
    try:
        assert rebuilder.rebuild()
        assert gc.get_freeze_count() > 0  # the collector skips the model while serving
        collected = []
        monkeypatch.setattr(gc, "collect", lambda *args: collected.append(True) or 0)
        rebuilder.collect_when_idle(rebuilder.built_at + 0.5)
        assert not collected  # too soon after the build
        rebuilder.collect_when_idle(rebuilder.built_at + watch.IDLE_SECONDS)
        assert collected and rebuilder.built_at is None and gc.get_freeze_count() > 0
        rebuilder.collect_when_idle(time.monotonic() + 60)
        assert len(collected) == 1  # once per build
    finally:
        rebuilder.watcher.stop()
        gc.unfreeze()



def test_the_first_build_runs_before_any_watching_thread(tmp_path):
    """A build forks only while no other thread runs: the watcher's thread starts after it."""
    import threading

    from sites import FIXED_TODAY, copy_mini
    from sitegen.config import BuildOptions

    root = copy_mini(tmp_path / "site")
    threads = threading.active_count()
    rebuilder = watch.Rebuilder(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY, use_cache=False))
    try:
        assert rebuilder.rebuild()
        assert threading.active_count() == threads
        rebuilder.watcher.start()
        assert rebuilder.watcher.observer is not None and threading.active_count() > threads
    finally:
        rebuilder.close()
    assert threading.active_count() == threads


def wait_until(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_build_watch_rebuilds_on_a_save_and_stops_cleanly(tmp_path, stop):
    from processes import left_behind, sitegen
    from sites import copy_mini

    root = copy_mini(tmp_path / "site")
    story = root / "content/cases/soep-op-het-stadhuis.md"
    page = root / "output/verhalen/soep-op-het-stadhuis/index.html"
    out_path, err_path = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        process = sitegen("build", "--watch", "--source", str(root), stdout=out, stderr=err)
    try:
        assert wait_until(lambda: "Ik kijk naar wijzigingen" in out_path.read_text()), err_path.read_text()
        assert "Soep op het stadhuis" in page.read_text(encoding="utf-8")
        story.write_text(story.read_text(encoding="utf-8").replace(
            "title: Soep op het stadhuis", "title: Soep op het nieuwe stadhuis"), encoding="utf-8")
        assert wait_until(lambda: "Soep op het nieuwe stadhuis" in page.read_text(encoding="utf-8"))
        assert process.poll() is None  # still watching

        story.write_text(story.read_text(encoding="utf-8").replace("buyer: gemeente-noord", "buyer: bestaat-niet"),
                         encoding="utf-8")
        assert wait_until(lambda: "bestaat-niet" in err_path.read_text())
        assert process.poll() is None  # an error is printed, and the watching goes on
        process.send_signal(stop)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output, errors = out_path.read_text(), err_path.read_text()
    assert output.count("Gebouwd in") == 2
    assert output.rstrip().endswith("Gestopt met kijken.")
    assert "Traceback" not in errors and "soep-op-het-stadhuis.md:" in errors
    assert left_behind(process.pid, root) == []

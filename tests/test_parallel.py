"""Rendering in forked workers, straight into the staging folder, gives the serial result."""

import os
import subprocess
import sys

import pytest

from sitegen import build as build_module
from sitegen import load
from sitegen.build import BuildOptions, build
from sitegen.errors import BuildFailed
from sitegen.render import PARALLEL_MINIMUM
from sites import FIXED_TODAY, REPO, read_tree


def test_parallel_rendering_equals_serial_rendering(tmp_path, monkeypatch):
    source = tmp_path / "site"
    subprocess.run([sys.executable, str(REPO / "bench/generate.py"), "--stories", "240", "--out", str(source)],
                   check=True, capture_output=True)
    # Parsing and Markdown are shared out from a few hundred files on; here from two.
    monkeypatch.setattr(load, "PARALLEL_MINIMUM", 2)
    monkeypatch.setattr(build_module, "BODIES_PARALLEL_MINIMUM", 2)
    parallel = build(BuildOptions(source=source, output=tmp_path / "parallel", today=FIXED_TODAY, workers=2,
                                  use_cache=False))
    assert parallel.page_count > PARALLEL_MINIMUM
    build(BuildOptions(source=source, output=tmp_path / "serial", today=FIXED_TODAY, workers=1, use_cache=False))
    assert read_tree(tmp_path / "parallel") == read_tree(tmp_path / "serial")
    assert parallel.written == len(read_tree(tmp_path / "parallel"))


def test_a_planned_purchase_lists_at_most_eight_matches_and_links_to_the_rest(tmp_path):
    import re

    source = tmp_path / "site"
    subprocess.run([sys.executable, str(REPO / "bench/generate.py"), "--stories", "240", "--out", str(source)],
                   check=True, capture_output=True)
    result = build(BuildOptions(source=source, output=tmp_path / "out", today=FIXED_TODAY, use_cache=False))
    crowded = [p for p in result.site.procurements if len(p.matches) > 8 and p.open]
    assert crowded, "the generated site should have a purchase with many matches"
    html = (tmp_path / "out/kalender/index.html").read_text(encoding="utf-8")
    card = html[html.index(f'id="{crowded[0].slug}"'):]
    card = card[:card.index("</tr>")]
    assert len(re.findall(r"<li><a href=\"\.\./ondernemers/", card)) == 8
    assert f'href="../categorieen/{crowded[0].category}/">Bekijk alle ondernemers voor' in card


def test_problems_found_in_workers_are_those_found_serially(tmp_path, monkeypatch):
    source = tmp_path / "site"
    subprocess.run([sys.executable, str(REPO / "bench/generate.py"), "--stories", "60", "--out", str(source)],
                   check=True, capture_output=True)
    stories = sorted((source / "content/cases").glob("*.md"))
    page = sorted((source / "content/pages").glob("*.md"))[-1]  # pages come last: a worker's share
    for path in (stories[-1], page):
        path.write_text(path.read_text(encoding="utf-8") + "\n[weg](bestaat-niet.md)\n", encoding="utf-8")
    middle = sorted((source / "content/enterprises").glob("*.yaml"))[-1]
    middle.write_text(middle.read_text(encoding="utf-8") + "name: dubbel\n", encoding="utf-8")
    monkeypatch.setattr(load, "PARALLEL_MINIMUM", 2)
    monkeypatch.setattr(build_module, "BODIES_PARALLEL_MINIMUM", 2)

    def problems(workers):
        with pytest.raises(BuildFailed) as failure:
            build(BuildOptions(source=source, output=tmp_path / f"out-{workers}", today=FIXED_TODAY,
                               workers=workers, use_cache=False))
        return [problem.format() for problem in failure.value.problems]

    serial = problems(1)
    assert any("dubbele sleutel 'name'" in line for line in serial)
    assert problems(2) == serial
    middle.write_text(middle.read_text(encoding="utf-8").removesuffix("name: dubbel\n"), encoding="utf-8")
    serial = problems(1)
    assert any(line.startswith(page.relative_to(source).as_posix()) and "bestaat-niet.md" in line for line in serial)
    assert problems(2) == serial


def test_workers_are_forked_only_within_the_memory_budget(monkeypatch):
    from sitegen import workers

    monkeypatch.setattr(workers, "resident_mb", lambda: 250.0)
    assert workers.affordable(2, 1000) == 2  # 250 MB and a worker: about 490 MB
    assert workers.affordable(4, 1000) == 4
    monkeypatch.setattr(workers, "resident_mb", lambda: 560.0)
    assert workers.affordable(2, 1000) == 1  # a worker would take the build past 1 GB
    assert workers.affordable(2, 4000) == 2
    monkeypatch.setattr(workers, "resident_mb", lambda: 2000.0)
    assert workers.affordable(1, 1000) == 1  # always at least this process


def test_max_memory_reaches_the_build_options():
    from sitegen.cli import _options
    import argparse

    args = argparse.Namespace(output=None, source=".", base_url=None, drafts=False, strict=False, file_links=False,
                              max_memory=3000)
    assert _options(args).memory_budget_mb == 3000


def test_a_background_job_runs_in_another_process():
    from sitegen.workers import Background

    assert Background(os.getpid).result() != os.getpid()


def fails_in_a_child(parent: int, calls: list):
    """A job that records where it ran and raises anywhere but in `parent`."""
    def job(chunk):
        calls.append((os.getpid(), chunk))
        if os.getpid() != parent:
            raise ValueError(f"kapot in deel {chunk}")
        return chunk
    return job


def test_a_failing_child_fails_fork_map_with_its_error_and_is_not_redone_here():
    from sitegen.workers import WorkerFailed, fork_map

    parent, calls = os.getpid(), []
    with pytest.raises(WorkerFailed) as failure:
        fork_map(fails_in_a_child(parent, calls), [1, 2])
    assert str(failure.value) == "ValueError: kapot in deel 2"
    assert failure.value.kind == "ValueError" and failure.value.message == "kapot in deel 2"
    assert "Traceback" in failure.value.details and "in job" in failure.value.details
    assert calls == [(parent, 1)]  # the child's chunk was not done again in this process


def test_a_failing_or_killed_background_job_raises_worker_failed():
    import signal

    from sitegen.workers import Background, WorkerFailed

    job = fails_in_a_child(os.getpid(), [])
    with pytest.raises(WorkerFailed, match="ValueError: kapot in deel 3"):
        Background(lambda: job(3)).result()
    with pytest.raises(WorkerFailed, match=r"^gestopt zonder resultaat \(exitcode -9\)$"):
        Background(lambda: os.kill(os.getpid(), signal.SIGKILL)).result()


def test_nothing_is_forked_while_another_thread_runs():
    import threading

    from sitegen.workers import Background, can_fork, fork_map

    assert can_fork()
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not can_fork()
        assert fork_map(lambda chunk: os.getpid(), [1, 2, 3]) == [os.getpid()] * 3
        assert Background(os.getpid).result() == os.getpid()
    finally:
        release.set()
        thread.join()
    assert can_fork()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="a build forks only with two cores or more")
def test_a_worker_that_fails_ends_the_build_with_one_line(tmp_path, monkeypatch, capsys):
    from sites import run_cli

    source = tmp_path / "site"
    subprocess.run([sys.executable, str(REPO / "bench/generate.py"), "--stories", "60", "--out", str(source)],
                   check=True, capture_output=True)
    monkeypatch.setattr(load, "PARALLEL_MINIMUM", 2)
    parent, load_file = os.getpid(), load._load_file

    def broken_in_a_child(*args, **kwargs):
        if os.getpid() != parent:
            raise KeyError("zoiets")
        return load_file(*args, **kwargs)

    monkeypatch.setattr(load, "_load_file", broken_in_a_child)
    # A generous memory budget: after a long test session this process is big, and the
    # build would otherwise parse in one process and never reach the broken child.
    code, out, err = run_cli(capsys, "build", "--source", str(source), "--output", str(tmp_path / "out"),
                             "--max-memory", "100000")
    assert code == 1
    assert err == "interne fout in een hulpproces: KeyError: 'zoiets'\n"
    assert not (tmp_path / "out").exists()


def test_the_search_index_is_made_alongside_the_pages_and_its_state_taken_over(tmp_path, monkeypatch):
    from sitegen import workers
    from sitegen.cache import BuildCache

    source = tmp_path / "site"
    subprocess.run([sys.executable, str(REPO / "bench/generate.py"), "--stories", "240", "--out", str(source)],
                   check=True, capture_output=True)
    started = []
    monkeypatch.setattr(build_module, "Background", lambda job: started.append(job) or workers.Background(job))
    # A budget the test process fits in however much earlier tests made it grow.
    options = BuildOptions(source=source, output=tmp_path / "out", today=FIXED_TODAY, workers=2, use_cache=False,
                           memory_budget_mb=100_000)
    cache = BuildCache(key=options.cache_key())
    build(options, cache=cache)
    assert len(started) == 1
    index = cache.search_index
    assert index.ready and index.quick is not None and index.doc_shards  # all of it, nothing to make again
    index_files = {path for path in read_tree(tmp_path / "out") if path.startswith("zoeken/")} - {"zoeken/index.html"}
    assert index_files == set(cache.search_paths)

    # A text edit after that build writes what a clean build of the edited site does.
    story = sorted((source / "content/cases").glob("*.md"))[7]
    story.write_text(story.read_text(encoding="utf-8") + "\nEen zin over zonnepanelen erbij.\n", encoding="utf-8")
    edited = build(options, cache=cache)
    assert edited.rendered == 1
    build(BuildOptions(source=source, output=tmp_path / "clean", today=FIXED_TODAY, workers=1, use_cache=False))
    assert read_tree(tmp_path / "out") == read_tree(tmp_path / "clean")

    # Without room for one more process, the index is made here after the pages: same files.
    monkeypatch.setattr(build_module, "affordable", lambda count, budget: min(count, 2))
    build(BuildOptions(source=source, output=tmp_path / "serial", today=FIXED_TODAY, workers=2, use_cache=False))
    assert len(started) == 1
    assert read_tree(tmp_path / "serial") == read_tree(tmp_path / "clean")


def test_search_text_problems_found_alongside_the_pages_are_reported(tmp_path):
    source = tmp_path / "site"
    subprocess.run([sys.executable, str(REPO / "bench/generate.py"), "--stories", "240", "--out", str(source)],
                   check=True, capture_output=True)
    import shutil

    templates = source / "templates"
    if templates.is_symlink():  # generate.py links the repository's templates: edit a copy
        linked = templates.resolve()
        templates.unlink()
        shutil.copytree(linked, templates)
    strings = templates / "strings.nl.yaml"
    text = strings.read_text(encoding="utf-8")
    strings.write_text(text.replace("\n  kinds:\n", "\n  kinds_weg:\n", 1), encoding="utf-8")
    for workers in (2, 1):
        with pytest.raises(BuildFailed) as failure:
            build(BuildOptions(source=source, output=tmp_path / f"out-{workers}", today=FIXED_TODAY,
                               workers=workers, use_cache=False))
        lines = [problem.format() for problem in failure.value.problems]
        assert any(line.startswith("templates/strings.nl.yaml:1:1: error: ontbrekende teksten voor zoeken")
                   for line in lines), lines
        assert not (tmp_path / f"out-{workers}").exists()


def test_a_cancelled_background_job_leaves_no_process():
    import multiprocessing
    import time

    from sitegen.workers import Background

    job = Background(lambda: time.sleep(60))
    started = time.monotonic()
    job.cancel()
    job.cancel()  # twice is harmless
    assert time.monotonic() - started < 10
    assert not multiprocessing.active_children()


def test_a_build_that_fails_while_writing_pages_stops_the_index_process(tmp_path, monkeypatch):
    import multiprocessing

    source = tmp_path / "site"
    subprocess.run([sys.executable, str(REPO / "bench/generate.py"), "--stories", "240", "--out", str(source)],
                   check=True, capture_output=True)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_module, "render_pages_parallel", disk_full)
    with pytest.raises(OSError):
        build(BuildOptions(source=source, output=tmp_path / "out", today=FIXED_TODAY, workers=2, use_cache=False))
    assert not multiprocessing.active_children()
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out.staging-*"))


def test_files_parsed_in_a_worker_keep_their_markdown_for_the_next_step(tmp_path, monkeypatch):
    from sitegen.errors import Problems

    source = tmp_path / "site"
    subprocess.run([sys.executable, str(REPO / "bench/generate.py"), "--stories", "60", "--out", str(source)],
                   check=True, capture_output=True)
    monkeypatch.setattr(load, "PARALLEL_MINIMUM", 2)
    loaded = load.load_content(source, Problems(), workers=2)
    stories = [file for file in loaded.files if file.kind == "case"]
    assert len(stories) == 60
    # Half of them came from the worker; none must be read and parsed again for its Markdown.
    assert all(file.body for file in stories)

"""The output folder is sitegen's alone, and every build swaps in a whole site: refusals,
the marker, the umask, kills at random moments and a full disk."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from processes import sitegen
from sites import copy_mini, read_tree, run_cli, snapshot


def site_snapshot(root: Path) -> dict:
    return {name: snapshot(root / name) for name in ("content", "templates")}


@pytest.mark.parametrize("output", [".", "content", "content/sub", "templates", "..", "templates/static"])
def test_an_output_that_overlaps_the_sources_is_refused_and_nothing_is_touched(tmp_path, capsys, output):
    root = copy_mini(tmp_path / "site")
    (root / "notes.txt").write_text("niet gecommit")
    before = site_snapshot(root)
    code, _, err = run_cli(capsys, "build", "--source", str(root), "--output", str(root / output))
    assert code == 2
    assert "fout: uitvoermap" in err and "bronnen" in err and "Traceback" not in err
    assert site_snapshot(root) == before and (root / "notes.txt").read_text() == "niet gecommit"


def test_a_symlinked_output_is_refused_and_its_target_untouched(tmp_path, capsys):
    root = copy_mini(tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "thesis.txt").write_text("belangrijk")
    (root / "output").symlink_to(elsewhere)
    code, _, err = run_cli(capsys, "build", "--source", str(root))
    assert code == 2 and "symbolische link" in err
    assert [p.name for p in elsewhere.iterdir()] == ["thesis.txt"]


def test_a_folder_sitegen_did_not_make_is_refused_an_empty_one_is_taken(tmp_path, capsys):
    root = copy_mini(tmp_path / "site")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "index.html").write_text("van iemand anders")
    code, _, err = run_cli(capsys, "build", "--source", str(root), "--output", str(foreign))
    assert code == 2 and "niet door sitegen gemaakt" in err
    assert [p.name for p in foreign.iterdir()] == ["index.html"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli(capsys, "build", "--source", str(root), "--output", str(empty))[0] == 0
    assert (empty / ".sitegen-output").is_file() and (empty / "index.html").is_file()


def test_an_output_under_a_regular_file_is_one_line_not_a_traceback(tmp_path, capsys):
    root = copy_mini(tmp_path / "site")
    (tmp_path / "file").write_text("x")
    code, _, err = run_cli(capsys, "build", "--source", str(root), "--output", str(tmp_path / "file" / "out"))
    assert code == 2 and "is een bestand" in err and "Traceback" not in err


def test_files_someone_put_into_the_output_survive_rebuilds(tmp_path, capsys):
    root = copy_mini(tmp_path / "site")
    assert run_cli(capsys, "build", "--source", str(root))[0] == 0
    (root / "output" / "google123.html").write_text("verificatie")
    story = root / "content" / "cases" / "soep-op-het-stadhuis.md"
    story.write_text(story.read_text().replace("title:", "title: Nieuw", 1))
    assert run_cli(capsys, "build", "--source", str(root))[0] == 0
    assert run_cli(capsys, "build", "--source", str(root), "--drafts")[0] == 0  # a fresh build too
    assert (root / "output" / "google123.html").read_text() == "verificatie"


@pytest.mark.parametrize("umask, mode", [(0o022, 0o755), (0o027, 0o750)])
def test_the_output_gets_the_umasks_mode(tmp_path, capsys, umask, mode):
    root = copy_mini(tmp_path / "site")
    previous = os.umask(umask)
    try:
        assert run_cli(capsys, "build", "--source", str(root))[0] == 0
    finally:
        os.umask(previous)
    assert (root / "output").stat().st_mode & 0o777 == mode


def test_gitignore_ignores_output_as_a_link_too(tmp_path):
    root = Path(__file__).resolve().parents[1]
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".gitignore").write_bytes((root / ".gitignore").read_bytes())
    (repo / "output").symlink_to(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    run = subprocess.run(["git", "check-ignore", "output"], cwd=repo, capture_output=True, text=True)
    assert run.stdout.strip() == "output"


def leftovers(root: Path) -> list[str]:
    """What lies beside the output but the sources and the spare tree the next build reuses."""
    return sorted(p.name for p in root.iterdir() if p.name not in ("content", "templates", "output", ".output.spare"))


@pytest.mark.parametrize("cache", ["warm", "cold"])
def test_builds_killed_at_random_moments_leave_the_old_or_the_new_site(tmp_path, monkeypatch, cache):
    """warm: rebuilds on the cache; cold: each killed build starts without one, so from scratch."""
    root = copy_mini(tmp_path / "site")
    story = root / "content" / "cases" / "soep-op-het-stadhuis.md"
    versions = [story.read_text(), story.read_text().replace("title:", "title: Gewijzigd", 1)]
    trees = []
    for text in versions:  # the site each version gives, from scratch
        story.write_text(text)
        out = tmp_path / f"clean{len(trees)}"
        assert sitegen("build", "--source", str(root), "--output", str(out)).wait() == 0
        trees.append(read_tree(out))
    assert trees[0] != trees[1]
    assert sitegen("build", "--source", str(root)).wait() == 0  # the second version, warm cache
    started = time.perf_counter()
    story.write_text(versions[0])
    assert sitegen("build", "--source", str(root)).wait() == 0
    duration = time.perf_counter() - started
    rng = random.Random(17)
    for attempt in range(24):
        story.write_text(versions[(attempt + 1) % 2])
        if cache == "cold":
            monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / f"cache-{attempt}"))
        process = sitegen("build", "--source", str(root), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, duration))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        assert read_tree(root / "output") in trees, f"attempt {attempt}: a mix of two sites"
    assert sitegen("build", "--source", str(root)).wait() == 0
    assert read_tree(root / "output") == trees[versions.index(story.read_text())]
    assert leftovers(root) == []
    assert not [p for p in (root / "output").rglob("*.tmp")]


def test_a_full_disk_is_one_dutch_line_and_the_old_site_stays(tmp_path, capsys, monkeypatch):
    root = copy_mini(tmp_path / "site")
    story = root / "content" / "cases" / "soep-op-het-stadhuis.md"
    assert run_cli(capsys, "build", "--source", str(root))[0] == 0
    story.write_text(story.read_text().replace("title:", "title: Eerst", 1))
    assert run_cli(capsys, "build", "--source", str(root))[0] == 0  # now there is a spare tree to update
    assert (root / ".output.spare").is_dir()
    before = snapshot(root / "output")
    story.write_text(story.read_text().replace("title: Eerst", "title: Gewijzigd", 1))
    real_write = Path.write_bytes
    writes = {"left": 1}

    def full_disk(self, data):
        if writes["left"] <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        writes["left"] -= 1
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    for args in ([], ["--drafts"]):  # a rebuild, and a build from scratch (other options)
        writes["left"] = 1
        code, out, err = run_cli(capsys, "build", "--source", str(root), *args)
        assert code == 1
        assert err.strip().splitlines() == [
            "fout: de uitvoer kon niet geschreven worden: de schijf is vol; de vorige versie van de site staat er nog"]
        assert snapshot(root / "output") == before
        assert leftovers(root) == []
    monkeypatch.setattr(Path, "write_bytes", real_write)
    assert run_cli(capsys, "build", "--source", str(root))[0] == 0
    assert "Gewijzigd" in "".join(p.read_text() for p in (root / "output").rglob("*.html"))

"""Writing: paths stay inside output/, one file per path, atomic swaps and in-place updates."""

import os

from sitegen.errors import Problems
from sitegen.output import OutputFile, check_paths, safe_relative_path, update_output, write_output


def test_paths_that_leave_the_output_folder_are_refused():
    for path in ["../x", "a/../../x", "/etc/passwd", "C:/x", "a\\b", "..", "a/\x00"]:
        assert safe_relative_path(path) is None, path
    assert safe_relative_path("verhalen/./a/index.html") == "verhalen/a/index.html"


def test_two_files_on_one_path_name_both_sources():
    problems = Problems()
    kept = check_paths([OutputFile("a/index.html", b"1", ("content/cases/a.md",)),
                        OutputFile("a/./index.html", b"2", ("content/pages/a.md",))], problems)
    assert [f.path for f in kept] == ["a/index.html"]
    assert problems.items[0].format() == (
        "content/pages/a.md:1:1: error: twee pagina's op hetzelfde adres '/a/index.html': content/cases/a.md en"
        " content/pages/a.md (geef één van beide een andere bestandsnaam of alias)")


def test_write_output_swaps_in_a_complete_folder(tmp_path):
    output = tmp_path / "output"
    write_output([OutputFile("a.html", b"a"), OutputFile("b/c.html", b"c")], output)
    (output / "a.html").chmod(0o644)
    inode = (output / "a.html").stat().st_ino
    stats = write_output([OutputFile("a.html", b"a"), OutputFile("d.html", b"d")], output)
    assert sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()) == [".sitegen-output", "a.html", "d.html"]
    assert (output / "a.html").stat().st_ino == inode  # unchanged bytes are linked, not rewritten
    assert (stats.written, stats.unchanged) == (1, 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.spare", "output"]  # no staging or old folders


def test_update_output_writes_only_changed_files_and_removes_stale_ones(tmp_path):
    output = tmp_path / "output"
    write_output([OutputFile("a.html", b"a"), OutputFile("x/b.html", b"b"), OutputFile("y/c.html", b"c")], output)
    before = {name: os.stat(output / name).st_mtime_ns for name in ["a.html", "x/b.html"]}
    stats = update_output([OutputFile("a.html", b"a"), OutputFile("x/b.html", None), OutputFile("y/d.html", b"d")],
                          output, {"a.html", "x/b.html", "y/c.html"})
    assert (stats.written, stats.unchanged, stats.removed) == (1, 2, 1)
    assert {name: os.stat(output / name).st_mtime_ns for name in before} == before
    assert not (output / "y/c.html").exists() and (output / "y/d.html").read_bytes() == b"d"


def test_the_spare_tree_follows_files_that_became_folders_and_back(tmp_path):
    output = tmp_path / "output"
    sites = [{"a": b"1", "x/y.html": b"y"}, {"b.html": b"2", "x/y.html": b"y"}, {"a/index.html": b"3", "x": b"x"},
             {"a": b"4"}, {"a": b"4", "x/y.html": b"y2"}]
    previous: set[str] = set()
    for number, site in enumerate(sites):
        files = [OutputFile(path, content) for path, content in site.items()]
        update_output(files, output, previous) if number else write_output(files, output)
        previous = set(site)
        found = {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()}
        found.pop(".sitegen-output")
        assert found == site, f"build {number}"

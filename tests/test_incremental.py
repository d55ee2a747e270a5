"""Incremental builds give exactly the bytes of a clean build, after any kind of edit."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import time
from pathlib import Path

import pytest

from sites import FIXED_TODAY, copy_site, read_tree
from sitegen.build import BuildOptions, build
from sitegen.cache import BuildCache
from sitegen.errors import BuildFailed


class Editor:
    """Seeded random edits of the kinds editors and designers make."""

    def __init__(self, root: Path, seed: int):
        self.root = root
        self.random = random.Random(seed)
        self.clock = time.time() - 3600  # edits get distinct mtimes, older than the trust window
        for path in root.rglob("*"):
            if path.is_file():
                os.utime(path, (self.clock, self.clock))

    def touch(self, path: Path) -> None:
        self.clock += 1
        os.utime(path, (self.clock, self.clock))

    def write(self, path: Path, text: str) -> None:
        path.write_text(text, encoding="utf-8")
        self.touch(path)

    def files(self, folder: str, pattern: str) -> list[Path]:
        return sorted((self.root / folder).glob(pattern))

    def unreferenced_cases(self) -> list[Path]:
        everything = "".join(p.read_text(encoding="utf-8") for p in (self.root / "content").rglob("*.*")
                             if p.suffix in (".md", ".yaml"))
        return [p for p in self.files("content/cases", "*.md") if everything.count(p.stem) == 1]

    def replace_line(self, path: Path, key: str, value: str) -> bool:
        text = path.read_text(encoding="utf-8")
        new, count = re.subn(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.MULTILINE)
        if count:
            self.write(path, new)
        return bool(count)

    def edit(self, step: int) -> str:
        r = self.random
        kind = r.choice(["case_text", "case_title", "case_date", "case_category", "enterprise_name",
                         "enterprise_place", "organisation_name", "procurement_category", "vocabulary",
                         "template", "strings", "delete_case", "rename_case", "add_case", "tip_title",
                         "enterprise_description", "case_summary"])
        if kind == "case_text":
            path = r.choice(self.files("content/cases", "*.md"))
            self.write(path, path.read_text(encoding="utf-8") + f"\nNieuwe alinea {step}.\n")
        elif kind == "case_title":
            self.replace_line(r.choice(self.files("content/cases", "*.md")), "title", f"Een nieuwe titel {step}")
        elif kind == "case_date":
            day = dt.date(2025, 1, 1) + dt.timedelta(days=r.randrange(600))
            self.replace_line(r.choice(self.files("content/cases", "*.md")), "date", day.isoformat())
        elif kind == "case_category":
            self.replace_line(r.choice(self.files("content/cases", "*.md")), "category", r.choice(["catering", "schoonmaak", "drukwerk"]))
        elif kind == "enterprise_name":
            self.replace_line(r.choice(self.files("content/enterprises", "*.yaml")), "name", f"Onderneming {step}")
        elif kind == "enterprise_place":
            path = r.choice(self.files("content/enterprises", "*.yaml"))
            text = path.read_text(encoding="utf-8")
            self.write(path, re.sub(r"municipality: [a-z-]+", f"municipality: {r.choice(['breda', 'tilburg', 'eindhoven'])}", text, count=1))
        elif kind == "organisation_name":
            self.replace_line(r.choice(self.files("content/organisations", "*.yaml")), "name", f"Organisatie {step}")
        elif kind == "procurement_category":
            self.replace_line(r.choice(self.files("content/calendar", "*.yaml")), "category", r.choice(["catering", "schoonmaak", "groenonderhoud"]))
        elif kind == "vocabulary":
            path = self.root / "content/vocabulary.yaml"
            text = path.read_text(encoding="utf-8")
            self.write(path, text.replace("label: Catering", f"label: Catering {step}", 1))
        elif kind == "template":
            path = r.choice([p for p in self.files("templates", "*.html") if p.name != "redirect.html"])
            self.write(path, path.read_text(encoding="utf-8") + f"\n{{# edit {step} #}}<!-- {step} -->\n")
        elif kind == "strings":
            path = self.root / "templates/strings.nl.yaml"
            text = path.read_text(encoding="utf-8")
            self.write(path, re.sub(r"^footer_text: .*$", f"footer_text: Voettekst {step}", text, count=1, flags=re.MULTILINE))
        elif kind == "delete_case":
            candidates = self.unreferenced_cases()
            if len(candidates) > 2:
                r.choice(candidates).unlink()
        elif kind == "rename_case":
            candidates = self.unreferenced_cases()
            if candidates:
                path = r.choice(candidates)
                target = path.with_name(f"hernoemd-{step}.md")
                path.rename(target)
                self.touch(target)
        elif kind == "add_case":
            source = r.choice(self.files("content/cases", "*.md"))
            target = source.with_name(f"nieuw-{step}.md")
            text = re.sub(r"^aliases: .*$\n", "", source.read_text(encoding="utf-8"), flags=re.MULTILINE)
            self.write(target, text.replace("title: ", f"title: Kopie {step} van ", 1))
        elif kind == "enterprise_description":  # the enterprise's Markdown body, a YAML field
            path = r.choice(self.files("content/enterprises", "*.yaml"))
            text = path.read_text(encoding="utf-8")
            self.write(path, re.sub(r"^description: \|\n", f"description: |\n  Nieuwe eerste zin {step}.\n", text,
                                    count=1, flags=re.MULTILINE))
        elif kind == "case_summary":
            self.replace_line(r.choice(self.files("content/cases", "*.md")), "summary", f"Een nieuwe samenvatting {step}")
        elif kind == "tip_title":
            self.replace_line(r.choice(self.files("content/tips", "*.md")), "title", f"Tip met nieuwe titel {step}")
        return kind


def build_or_problems(options: BuildOptions, cache: BuildCache | None = None):
    try:
        return build(options, cache=cache)
    except BuildFailed as error:
        return [p.format() for p in error.problems]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("memory", [False, True], ids=["cache-on-disk", "cache-in-memory"])
def test_incremental_output_equals_a_clean_build_after_random_edits(tmp_path, seed, memory):
    """On disk, as `sitegen build` runs; in memory, as `sitegen serve` and `build --watch` run."""
    root = copy_site(tmp_path / "site")
    editor = Editor(root, seed)
    incremental = BuildOptions(source=root, output=root / "output", today=FIXED_TODAY, use_cache=not memory)
    cache = BuildCache(key=incremental.cache_key()) if memory else None
    build(incremental, cache=cache)
    kinds = []
    for step in range(14):
        kinds.append(editor.edit(step))
        clean_output = tmp_path / f"clean-{step}"
        clean = BuildOptions(source=root, output=clean_output, today=FIXED_TODAY, use_cache=False)
        expected_problems = build_or_problems(clean)
        expected_problems = expected_problems if isinstance(expected_problems, list) else None
        outcome = build_or_problems(incremental, cache)
        if expected_problems is None:
            assert not isinstance(outcome, list), (kinds, outcome)
            if memory and kinds[-1] in ("case_text", "enterprise_description"):
                assert outcome.rendered <= 2, kinds  # the own page (and a list whose template shows the text)
        else:
            assert outcome == expected_problems, kinds
        if expected_problems is None:
            assert read_tree(root / "output") == read_tree(clean_output), f"after edits {kinds}"
        shutil.rmtree(clean_output, ignore_errors=True)


def test_an_edit_re_renders_only_the_pages_that_show_it(tmp_path):
    root = copy_site(tmp_path / "site")
    editor = Editor(root, 0)
    options = BuildOptions(source=root, output=root / "output", today=FIXED_TODAY)
    first = build(options)
    assert first.rendered == first.page_count

    unchanged = build(options)
    assert unchanged.site is None and unchanged.written == 0  # nothing to do at all

    story = sorted((root / "content/cases").glob("*.md"))[0]
    before = {p: p.stat().st_mtime_ns for p in (root / "output").rglob("*.html")}
    editor.write(story, story.read_text(encoding="utf-8") + "\nEen extra zin.\n")
    after_edit = build(options)
    assert after_edit.rendered == 1  # only the story's own page shows its text
    changed = [p for p in (root / "output").rglob("*.html") if p.stat().st_mtime_ns != before.get(p)]
    assert root / "output/verhalen" / story.stem / "index.html" in changed
    assert len(changed) <= after_edit.rendered

    summary_edit = build_after(editor, story, options, lambda text: re.sub(r"^summary: .*$", "summary: Anders samengevat",
                                                                          text, count=1, flags=re.MULTILINE))
    assert 1 < summary_edit.rendered < first.page_count / 3  # its cards show the summary


def build_after(editor: Editor, path: Path, options: BuildOptions, change):
    editor.write(path, change(path.read_text(encoding="utf-8")))
    return build(options)


def test_text_edits_in_memory_re_render_only_the_pages_that_show_the_text(tmp_path):
    """Serve keeps its state in memory; edits to nothing but Markdown text re-render only the
    pages that read that text (the item's own page), with the bytes of a clean build."""
    root = copy_site(tmp_path / "site")
    editor = Editor(root, 0)
    options = BuildOptions(source=root, output=root / "output", today=FIXED_TODAY, use_cache=False)
    cache = BuildCache(key=options.cache_key())
    build(options, cache=cache)
    content = root / "content"
    story, linking = content / "cases/vlierbes-kerstpakket-soep.md", content / "cases/koffiepakketten-lindendal.md"
    edits = [
        ("story text", story, lambda text: text + "\nEen nieuwe alinea met **nadruk**.\n", 1),
        ("story text with a link", linking, lambda text: text + "\nZie ook [dit verhaal](vlierbes-kerstpakket-soep.md).\n", 1),
        ("event text", content / "events/lunchlezing-klein-beginnen.md", lambda text: text + "\nMeld je op tijd aan.\n", 1),
        ("enterprise description", content / "enterprises/soepatelier-overschot.yaml",
         lambda text: text.replace("description: |\n", "description: |\n  Een nieuwe eerste zin.\n", 1), 1),
        ("a broken link", story, lambda text: text + "\n[weg](bestaat-niet.md)\n", None),
        ("the link fixed", story, lambda text: text.replace("[weg](bestaat-niet.md)", "weg"), 1),
        ("same bytes again", story, lambda text: text, 0),
    ]
    for name, path, change, rendered in edits:
        editor.write(path, change(path.read_text(encoding="utf-8")))
        clean_output = tmp_path / f"clean-{name}"
        expected = build_or_problems(BuildOptions(source=root, output=clean_output, today=FIXED_TODAY, use_cache=False))
        outcome = build_or_problems(options, cache)
        if rendered is None:
            assert isinstance(expected, list) and outcome == expected, name
            continue
        assert outcome.rendered == rendered, name
        assert read_tree(root / "output") == read_tree(clean_output), name
        shutil.rmtree(clean_output)


@pytest.mark.parametrize("memory", [False, True], ids=["cache-on-disk", "cache-in-memory"])
def test_an_unchanged_file_that_breaks_is_reported_where_a_clean_build_reports_it(tmp_path, memory):
    """Checked files forget their positions; a message about one must still point at its line."""
    root = copy_site(tmp_path / "site")
    Editor(root, 0)
    options = BuildOptions(source=root, output=root / "output", today=FIXED_TODAY, use_cache=not memory)
    cache = BuildCache(key=options.cache_key()) if memory else None
    build(options, cache=cache)
    (root / "content/enterprises/soepatelier-overschot.yaml").unlink()  # stories still name it
    expected = build_or_problems(BuildOptions(source=root, output=tmp_path / "clean", today=FIXED_TODAY, use_cache=False))
    assert any(line.startswith("content/cases/vlierbes-kerstpakket-soep.md:6:") for line in expected)
    assert build_or_problems(options, cache) == expected


@pytest.mark.parametrize("memory", [False, True], ids=["cache-on-disk", "cache-in-memory"])
def test_a_body_whose_link_target_comes_back_is_rendered_from_its_file_again(tmp_path, memory):
    """Built bodies forget their Markdown; one that must be rendered again reads its file."""
    root = copy_site(tmp_path / "site")
    editor = Editor(root, 0)
    options = BuildOptions(source=root, output=root / "output", today=FIXED_TODAY, use_cache=not memory)
    cache = BuildCache(key=options.cache_key()) if memory else None
    build(options, cache=cache)
    target = root / "content/cases/vlierbes-kerstpakket-soep.md"
    moved = target.with_name("elders.md")
    target.rename(moved)
    editor.touch(moved)
    assert any("vlierbes-binnentuinen-klaverdrie.md" in line and "vlierbes-kerstpakket-soep.md" in line
               for line in build_or_problems(options, cache))
    moved.rename(target)
    editor.touch(target)
    outcome = build_or_problems(options, cache)
    assert not isinstance(outcome, list), outcome
    clean = tmp_path / "clean"
    build(BuildOptions(source=root, output=clean, today=FIXED_TODAY, use_cache=False))
    assert read_tree(root / "output") == read_tree(clean)


def test_a_template_edit_re_renders_only_the_pages_made_with_it(tmp_path):
    root = copy_site(tmp_path / "site")
    editor = Editor(root, 0)
    options = BuildOptions(source=root, output=root / "output", today=FIXED_TODAY)
    first = build(options)
    terms = sum(1 for spec_path in (root / "output").rglob("index.html")
                if spec_path.relative_to(root / "output").parts[0] in ("themas", "categorieen", "gemeenten", "regios", "routes")
                and len(spec_path.relative_to(root / "output").parts) == 3)
    term = root / "templates/term.html"
    editor.write(term, term.read_text(encoding="utf-8") + "{# een opmerking #}\n")
    assert build(options).rendered == terms  # each theme, category, municipality, region and route page
    macros = root / "templates/macros.html"  # imported by nearly every page
    editor.write(macros, macros.read_text(encoding="utf-8") + "{# een opmerking #}\n")
    assert build(options).rendered > first.page_count / 2

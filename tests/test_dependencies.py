"""Rebuilds are right by construction: whatever a template reads through the model, an
incremental build (from the disk cache, or from the state serve and build --watch keep in
memory) gives the bytes of a clean build after any content or template edit."""

from __future__ import annotations

import os
import pickle
import random
import re
import shutil
from pathlib import Path

import pytest

from sites import FIXED_TODAY, copy_site, read_tree
from sitegen.build import BuildOptions, build
from sitegen.cache import BuildCache, cache_folder
from sitegen.errors import BuildFailed
from test_incremental import Editor

# Reads a template author might plausibly add: linked items' fields, bodies, collections,
# through attributes, subscripts and filters. (macro, text) for cards; (template, text) for pages.
CARD_READS = [
    ("_enterprise_card", "{% for b in enterprise.buyers %}{{ b.name }}{% endfor %}"),
    ("_case_card", "{{ case.body_text[:60] }}"),
    ("_case_card", "{% for e in case.enterprises %}{{ e.name }} {{ e.municipality }}{% endfor %}"),
    ("_case_card", "{% if case.buyer %}{{ case.buyer.cases | length }} {{ case.buyer['name'] }}{% endif %}"),
    ("_procurement_card", "{% for e in procurement.matches %}{{ e.summary[:20] }}{% endfor %}"),
    ("_event_card", "{% for c in event.cases %}{{ c.title }}{{ c.buyer.name if c.buyer else '' }}{% endfor %}"),
    ("_enterprise_card", "{{ enterprise.cases | map(attribute='title') | join(', ') }}"),
]
PAGE_READS = [
    ("home.html", "{% for c in site.cases %}{{ c.summary[:10] }}{% endfor %}"),
    ("case.html", "{% for r in item.related %}{{ r.body_text[:30] }}{% endfor %}"),
    ("enterprise.html", "{{ item.opportunities | map(attribute='title') | join(',') }}"),
    ("term.html", "{{ (site.enterprises | sort(attribute='name') | first).name }}"),
    ("organisation.html", "{% for e in item.enterprises %}{{ e.body_html[:40] }}{% endfor %}"),
    ("tip.html", "{{ site.organisations | selectattr('cases') | map(attribute='name') | join }}"),
    ("events.html", "{% for e in site.events %}{{ e.body_text[:15] }}{% endfor %}"),
    ("cases.html", "{{ site.taxonomies.category.values() | map(attribute='label') | join }}"),
]


def add_card_read(root: Path, macro: str, text: str) -> None:
    path = root / "templates/macros.html"
    source = path.read_text(encoding="utf-8")
    opening = re.search(rf"{{% macro {macro}\(.*?%}}\n", source)
    assert opening, macro
    path.write_text(source[:opening.end()] + f"<p class=\"extra\">{text}</p>\n" + source[opening.end():], encoding="utf-8")


def add_page_read(root: Path, template: str, text: str) -> None:
    path = root / "templates" / template
    source = path.read_text(encoding="utf-8")
    assert "{% block main %}\n" in source, template
    path.write_text(source.replace("{% block main %}\n", f"{{% block main %}}\n<p class=\"extra\">{text}</p>\n", 1),
                    encoding="utf-8")


def outcome(options: BuildOptions, cache: BuildCache | None = None):
    try:
        return build(options, cache=cache)
    except BuildFailed as error:
        return [problem.format() for problem in error.problems]


def assert_equals_clean(root: Path, tmp_path: Path, options: BuildOptions, cache: BuildCache | None, what) -> None:
    clean_output = tmp_path / "clean"
    shutil.rmtree(clean_output, ignore_errors=True)
    expected = outcome(BuildOptions(source=root, output=clean_output, today=FIXED_TODAY, use_cache=False))
    got = outcome(options, cache)
    if isinstance(expected, list):
        assert got == expected, what
        return
    assert not isinstance(got, list), (what, got)
    incremental, clean = read_tree(root / "output"), read_tree(clean_output)
    stale = sorted(path for path in clean if incremental.get(path) != clean[path])
    assert incremental.keys() == clean.keys() and not stale, (what, stale[:10])


def sample_site(tmp_path: Path, memory: bool, seed: int = 0) -> tuple[Path, Editor, BuildOptions, BuildCache | None]:
    """A copy of the sample site, its editor, and the options and state of its incremental
    builds: on disk as `sitegen build` keeps them, or in memory as serve and --watch do."""
    root = copy_site(tmp_path / "site")
    editor = Editor(root, seed)
    options = BuildOptions(source=root, output=root / "output", today=FIXED_TODAY, use_cache=not memory)
    return root, editor, options, BuildCache(key=options.cache_key()) if memory else None


def edit_with_editor(editor: Editor, path: Path, change) -> None:
    editor.write(path, change(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("memory", [False, True], ids=["cache-on-disk", "cache-in-memory"])
def test_an_enterprise_card_that_names_its_buyers_follows_a_renamed_organisation(tmp_path, memory):
    root, editor, options, cache = sample_site(tmp_path, memory)
    add_card_read(root, "_enterprise_card", "{% for b in enterprise.buyers %}{{ b.name }}{% endfor %}")
    build(options, cache=cache)
    organisation = root / "content/organisations/gemeente-lindendal.yaml"
    editor.replace_line(organisation, "name", "Gemeente Lindendal-Oost")
    assert_equals_clean(root, tmp_path, options, cache, "renamed organisation")
    assert "Gemeente Lindendal-Oost" in (root / "output/ondernemers/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("memory", [False, True], ids=["cache-on-disk", "cache-in-memory"])
def test_a_case_card_that_shows_the_story_text_follows_a_text_edit(tmp_path, memory):
    root, editor, options, cache = sample_site(tmp_path, memory)
    add_card_read(root, "_case_card", "{{ case.body_text[:60] }}")
    first = build(options, cache=cache)
    story = root / "content/cases/koffiepakketten-lindendal.md"
    edit_with_editor(editor, story, lambda text: text.replace("## Aanleiding\n\n", "## Aanleiding\n\nHeel nieuw begin. ", 1))
    result = build(options, cache=cache)
    assert 1 < result.rendered < first.page_count  # the story's own page and every page with its card
    assert_equals_clean(root, tmp_path, options, cache, "story text")


@pytest.mark.parametrize("seed", [11, 12, 13])
@pytest.mark.parametrize("memory", [False, True], ids=["cache-on-disk", "cache-in-memory"])
def test_random_template_reads_and_content_edits_equal_a_clean_build(tmp_path, seed, memory):
    """Templates gain reads of linked items, bodies and collections; content is renamed,
    retitled, rewritten, deleted and relinked; after every step, incremental equals clean."""
    root, editor, options, cache = sample_site(tmp_path, memory, seed)
    rng = random.Random(seed)
    build(options, cache=cache)
    organisations = sorted(p.stem for p in (root / "content/organisations").glob("*.yaml"))
    enterprises = sorted(p.stem for p in (root / "content/enterprises").glob("*.yaml"))
    card_reads, page_reads = CARD_READS[:], PAGE_READS[:]
    rng.shuffle(card_reads)
    rng.shuffle(page_reads)
    steps = []
    for step in range(10):
        if step % 2 == 0 and (card_reads or page_reads):
            if card_reads and (not page_reads or rng.random() < 0.5):
                macro, text = card_reads.pop()
                add_card_read(root, macro, text)
                steps.append(f"card {macro}: {text}")
            else:
                template, text = page_reads.pop()
                add_page_read(root, template, text)
                steps.append(f"page {template}: {text}")
            editor.touch(root / "templates/macros.html")
            assert_equals_clean(root, tmp_path, options, cache, steps)
        kind = rng.choice(["relink_buyer", "relink_enterprise", "editor"])
        cases = editor.files("content/cases", "*.md")
        if kind == "relink_buyer":
            editor.replace_line(rng.choice(cases), "buyer", rng.choice(organisations))
        elif kind == "relink_enterprise":
            editor.replace_line(rng.choice(cases), "enterprises", f"[{rng.choice(enterprises)}]")
        else:
            kind = editor.edit(step)
        steps.append(kind)
        assert_equals_clean(root, tmp_path, options, cache, steps)


def test_a_pickle_planted_in_the_site_runs_nothing(tmp_path):
    """A pull request may add any file to the site, .sitegen-cache/ included (git add -f)."""
    root = copy_site(tmp_path / "site")
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    for folder in (root / ".sitegen-cache",):  # a folder planted in output/ makes it foreign: refused
        folder.mkdir(parents=True)
        for name in ("state.pickle", "index.pickle", "cache.pickle"):
            (folder / name).write_bytes(pickle.dumps(Payload()))
    (root / ".sitegen-cache/templates").mkdir()
    options = BuildOptions(source=root, output=root / "output", today=FIXED_TODAY)
    build(options)
    build(options)  # the second build reads the cache it finds
    assert not marker.exists()
    assert not str(cache_folder(root)).startswith(str(root))


def test_a_corrupt_cache_means_a_full_build(tmp_path):
    root = copy_site(tmp_path / "site")
    options = BuildOptions(source=root, output=root / "output", today=FIXED_TODAY)
    build(options)
    for path in cache_folder(root).glob("*.pickle"):
        path.write_bytes(b"\x80\x05garbage" + path.read_bytes()[:100])
    story = root / "content/cases/koffiepakketten-lindendal.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nNog een zin.\n", encoding="utf-8")
    result = build(options)
    assert result.rendered == result.page_count
    clean = tmp_path / "clean"
    build(BuildOptions(source=root, output=clean, today=FIXED_TODAY, use_cache=False))
    assert read_tree(root / "output") == read_tree(clean)


def test_only_fields_marked_derived_change_after_an_item_is_made_from_its_file(tmp_path):
    """Rebuilds take an unchanged file's own fields as unchanged (deps.FILE); that holds only
    while link_site writes nothing but the fields marked derived (items.derived)."""
    from sitegen.config import site_config
    from sitegen.deps import file_fields
    from sitegen.errors import Problems
    from sitegen.load import load_content
    from sitegen.model import all_items, make_item, make_site
    from sitegen.schema import validate_content

    root = copy_site(tmp_path / "site")
    problems = Problems()
    loaded = load_content(root, problems)
    valid = validate_content(loaded.files, loaded.media, problems)
    assert not problems.errors
    fresh = {entry.file.rel: make_item(entry.file.kind, entry.file.slug, entry.file.rel, entry.data) for entry in valid.items}
    site = make_site(valid.items, site_config(valid.site, None, False), valid.vocabulary, FIXED_TODAY, True)
    items = all_items(site)
    assert len(items) > 40
    for item in items:
        before = fresh[item.source]
        for name in file_fields(type(item)) - {"meta_digest"}:
            assert getattr(item, name) == getattr(before, name), (item.source, name)


def test_a_build_that_fails_in_memory_leaves_no_half_updated_model(tmp_path):
    """serve keeps the model while only bodies change; a build that fails after taking up a
    body edit must not leave that model to the next build as if it were the last good one."""
    root, editor, options, cache = sample_site(tmp_path, memory=True)
    build(options, cache=cache)
    story = root / "content/cases/koffiepakketten-lindendal.md"
    template = root / "templates/case.html"
    good = template.read_text(encoding="utf-8")
    edit_with_editor(editor, story, lambda text: text + "\nEen nieuwe slotzin.\n")
    editor.write(template, good.replace("{% block main %}", "{% block main %}{% if %}", 1))
    assert isinstance(outcome(options, cache), list)  # the template is broken
    editor.write(template, good)
    assert_equals_clean(root, tmp_path, options, cache, "template fixed after a body edit")
    assert "Een nieuwe slotzin." in (root / "output/verhalen/koffiepakketten-lindendal/index.html").read_text(encoding="utf-8")


CROSSING = re.compile(r"^categorieen/[^/]+/[^/]+/index\.html$")


@pytest.mark.parametrize("edit", ["service_area", "reach", "municipality"])
@pytest.mark.parametrize("memory", [False, True], ids=["cache-on-disk", "cache-in-memory"])
def test_where_an_enterprise_delivers_rerenders_exactly_the_pages_that_list_it(tmp_path, memory, edit):
    """service_area, reach and municipality decide the category-in-region, municipality and
    region pages an enterprise is on: an edit renders those again, and no other such page."""
    root, editor, options, cache = sample_site(tmp_path, memory)
    build(options, cache=cache)
    before = read_tree(root / "output")
    kansenpan = root / "content/enterprises/de-kansenpan.yaml"  # catering, Tilburg, three regions
    if edit == "service_area":
        assert editor.replace_line(kansenpan, "service_area", "[midden-brabant]")
    elif edit == "reach":
        assert editor.replace_line(kansenpan, "reach", "landelijk")
    else:
        edit_with_editor(editor, kansenpan, lambda text: text.replace("  municipality: tilburg", "  municipality: breda", 1))
    result = build(options, cache=cache)
    rendered = {file.path for file in result.files[:result.rendered]}
    assert_equals_clean(root, tmp_path, options, cache, edit)
    after = read_tree(root / "output")
    changed = {path for path in after if before.get(path) != after[path]}
    crossings = {path for path in before.keys() | after.keys() if CROSSING.match(path)}
    # a cross page is rendered again exactly when its bytes change (or it is new)
    assert {path for path in crossings if path in rendered} == {path for path in crossings if path in changed}
    assert {path for path in crossings if path in changed}, edit
    places = {path for path in changed if path.startswith(("gemeenten/", "regios/")) and path.endswith(".html")}
    assert places and places <= rendered
    assert "ondernemers/filters.js" in changed and "ondernemers/filters.js" in rendered

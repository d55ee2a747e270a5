"""The content-type registry: every stage finds each type's facts in its one entry.

These tests fail when an entry and the code or content it describes drift apart, and show
that a type added to the registry alone is loaded, checked, modelled and built."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
import yaml

from sitegen import fields as f
from sitegen.build import BuildOptions, build
from sitegen.errors import BuildFailed, Problems
from sitegen.items import Item, Page
from sitegen.load import load_content
from sitegen.model import Site, make_item
from sitegen.registry import CONTENT_TYPES, ContentType, SearchFields
from sitegen.render import plan_pages
from sitegen.scaffold import new_kinds
from sitegen.schema import VOCABULARY_LISTS, validate_content
from sites import FIXED_TODAY, MINI, REPO, copy_mini, run_cli

TYPES = list(CONTENT_TYPES.values())


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory) -> Site:
    root = copy_mini(tmp_path_factory.mktemp("mini"))
    return build(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY), write=False).site


def test_every_type_is_loaded_from_its_folder():
    loaded = load_content(MINI, Problems())
    found = {(file.kind, file.rel.rsplit("/", 1)[0], "." + file.rel.rpartition(".")[2]) for file in loaded.files}
    for content_type in TYPES:
        assert (content_type.name, content_type.source_folder, content_type.suffix) in found, content_type.name


def test_every_type_lands_in_its_own_site_list(mini_site):
    for content_type in TYPES:
        items = getattr(mini_site, content_type.site_list)
        assert items, content_type.name
        assert all(type(item) is content_type.model for item in items), content_type.name
        assert all(item.url == content_type.item_url(item.slug) for item in items)


def test_every_type_with_a_template_gets_one_page_per_item(mini_site):
    own_pages: dict[int, list[str]] = {}
    for spec in plan_pages(mini_site):
        item = spec.context.get("item")
        if isinstance(item, Item) and spec.template != "redirect.html":
            own_pages.setdefault(id(item), []).append(spec.template)
    for content_type in TYPES:
        for item in getattr(mini_site, content_type.site_list):
            expected = [content_type.template] if content_type.template else []
            assert own_pages.get(id(item), []) == expected, item
        if content_type.template:
            assert (REPO / "templates" / content_type.template).is_file()


def _sample(field_type: f.FieldType, name: str):
    """A value the field type accepts, different for each field where the type allows."""
    if isinstance(field_type, f.Obj):
        return {key: _sample(part, f"{name}-{key}") for key, part in field_type.fields.items()}
    if isinstance(field_type, f.ListOf):
        return [_sample(field_type.item, name)]
    if isinstance(field_type, f.Media):
        return {"src": f"media/{name}.svg", "alt": name}
    if isinstance(field_type, f.Integer):
        return field_type.minimum if field_type.minimum is not None else len(name)
    if isinstance(field_type, (f.Number, f.Money)):
        return float(len(name))
    if isinstance(field_type, f.Boolean):
        return True
    if isinstance(field_type, f.Date):
        return dt.date(2026, 1, 1 + len(name) % 28)
    if isinstance(field_type, f.DateTime):
        return dt.datetime(2026, 1, 1, len(name) % 24)
    if isinstance(field_type, f.Choice):
        return field_type.values[0]
    return f"{name}-value"  # text, slugs, patterns, vocabulary words, references, quarters


def _values(value) -> list:
    """Every value stored in an item, looking into dataclasses, lists and dicts."""
    if dataclasses.is_dataclass(value):
        return [value, *(v for field in dataclasses.fields(value) for v in _values(getattr(value, field.name)))]
    if isinstance(value, list):
        return [value, *(v for element in value for v in _values(element))]
    if isinstance(value, dict):
        return [value, *(v for element in value.values() for v in _values(element))]
    return [value]


@pytest.mark.parametrize("content_type", TYPES, ids=lambda t: t.name)
def test_every_schema_field_reaches_the_dataclass(content_type):
    data = {name: _sample(field_type, name) for name, field_type in content_type.schema.fields.items()}
    item = make_item(content_type.name, "een-item", f"{content_type.source_folder}/een-item{content_type.suffix}", data)
    stored = _values(item)
    for name, value in data.items():
        if name == content_type.body_field:
            continue  # the markdown stage turns it into body_html and body_text
        parts = _values(value)
        # A group may be spread over attributes (an enterprise's location); its parts must all arrive.
        assert any(value == other for other in stored) or all(
            any(part == other for other in stored) for part in parts if not isinstance(part, (dict, list))), name
    for attribute in content_type.attributes.values():
        assert attribute in {field.name for field in dataclasses.fields(content_type.model)}


@pytest.mark.parametrize("content_type", TYPES, ids=lambda t: t.name)
def test_search_fields_name_what_the_item_and_the_strings_have(content_type, mini_site):
    strings = yaml.safe_load((REPO / "templates/strings.nl.yaml").read_text(encoding="utf-8"))
    search_strings = next(value for value in _values(strings) if isinstance(value, dict) and "kinds" in value)
    assert content_type.search.kind in search_strings["kinds"]
    item = getattr(mini_site, content_type.site_list)[0]
    for facet, lists, values in content_type.search.facets:
        assert facet in search_strings["facets"]
        assert set((lists,) if isinstance(lists, str) else lists) <= set(VOCABULARY_LISTS)
        if callable(values):
            assert isinstance(values(item, mini_site), (set, frozenset))
        else:
            assert isinstance(getattr(item, values), (str, list, type(None)))


def test_sitegen_new_offers_the_types_with_a_scaffold(capsys):
    with pytest.raises(SystemExit):
        run_cli(capsys, "new", "--help")
    text = " ".join(capsys.readouterr().out.split())
    offered = re.search(r"soort inhoud: ((?:[a-z]+, )*[a-z]+)", text)[1].split(", ")
    assert offered == new_kinds()
    for name in new_kinds():
        examples = CONTENT_TYPES[name].scaffold.examples
        shared = {"image", "logo", "aliases", "website", "online_url", "registration_url", "tender_url",
                  "mvi_policy", "procurement_calendar"}
        assert set(examples) - shared <= set(CONTENT_TYPES[name].schema.fields), name


NOTE = ContentType(
    name="note", folder="notes", suffix=".md", model=Page, site_list="pages", url="notities/{slug}/",
    template="page.html", search=SearchFields("pagina"),
    schema=f.Obj("Notitie (content/notes/<naam>.md)", fields={
        "title": f.Text("Titel", required=True),
        "summary": f.Text("Korte beschrijving"),
        "story": f.Ref("Het verhaal waar de notitie bij hoort", target="case"),
    }))


def test_a_type_added_to_the_registry_alone_is_loaded_checked_and_built(tmp_path, monkeypatch):
    monkeypatch.setitem(CONTENT_TYPES, "note", NOTE)
    root = copy_mini(tmp_path / "site")
    story = sorted((root / "content/cases").glob("*.md"))[0].stem
    (root / "content/notes").mkdir()
    (root / "content/notes/goed.md").write_text(f"---\ntitle: Goed\nstory: {story}\n---\nTekst van de notitie.\n",
                                                encoding="utf-8")
    (root / "content/notes/fout.md").write_text("---\nstory: bestaat-niet\n---\n", encoding="utf-8")
    problems = Problems()
    loaded = load_content(root, problems)
    assert {file.rel: file.kind for file in loaded.files if file.kind == "note"} == {
        "content/notes/fout.md": "note", "content/notes/goed.md": "note"}
    validate_content(loaded.files, loaded.media, problems)
    assert [(p.path, p.line, p.message) for p in problems.errors] == [
        ("content/notes/fout.md", 2, "verplicht veld 'title' ontbreekt"),
        ("content/notes/fout.md", 2, "onbekende verwijzing 'bestaat-niet' in 'story': "
                                     "content/cases/bestaat-niet.* bestaat niet")]

    (root / "content/notes/fout.md").unlink()
    options = BuildOptions(source=root, output=root / "output", today=FIXED_TODAY)
    try:
        result = build(options)
    except BuildFailed as error:  # pragma: no cover - shows the problems when it fails
        pytest.fail(str([problem.message for problem in error.problems]))
    note = next(page for page in result.site.pages if page.source == "content/notes/goed.md")
    assert note.url == "notities/goed/"
    assert "Tekst van de notitie." in (root / "output/notities/goed/index.html").read_text(encoding="utf-8")


def test_the_committed_vscode_schemas_are_what_sitegen_schema_writes(tmp_path, capsys):
    code, _, err = run_cli(capsys, "schema", "--source", str(REPO), "--output", str(tmp_path))
    assert code == 0, err
    written = {path.name: path.read_text(encoding="utf-8") for path in tmp_path.glob("*.schema.json")}
    assert set(written) == {"site.schema.json"} | {f"{name}.schema.json" for name in CONTENT_TYPES}
    for name, text in written.items():
        assert (REPO / ".vscode/schemas" / name).read_text(encoding="utf-8") == text, f"run: sitegen schema ({name})"

"""Loading: YAML with positions, front matter, encodings, what is refused."""

import pytest

from sitegen.errors import Problems
from sitegen.load import _YamlError, load_content, parse_yaml, split_front_matter


def test_positions_of_keys_and_values():
    data, positions = parse_yaml("name: Soep\noffers:\n  - category: catering\n", line_offset=1)
    assert data == {"name": "Soep", "offers": [{"category": "catering"}]}
    assert positions[("name",)] == (2, 7)
    assert positions[("key", "offers")] == (3, 1)
    assert positions[("offers", 0, "category")] == (4, 15)


def test_dates_stay_text_for_the_schema_to_check():
    data, _ = parse_yaml("date: 2026-03-01\nbad: 2024-13-45\n")
    assert data == {"date": "2026-03-01", "bad": "2024-13-45"}


@pytest.mark.parametrize("text, line, column, message", [
    ("a: 1\na: 2\n", 2, 1, "dubbele sleutel 'a'"),
    ("a: &x [1]\nb: *x\n", 2, 1, "YAML-verwijzingen (&anker en *alias) worden niet ondersteund"),
    ("a: !!python/name:os.system\n", 1, 4, "onbekende of onveilige YAML-tag 'tag:yaml.org,2002:python/name:os.system'"),
    ("a:\n\tb: 1\n", 2, 1, "ongeldige YAML: tab gevonden"),
    ("a: b: c\n", 1, 5, "ongeldige YAML: onverwachte dubbele punt"),
    ("a:\n  - x\n - y\n", 3, 2, "ongeldige YAML: het lijstitem springt 1 spatie te weinig in"),
    ("a: b\n#c\n  d: e\n", 3, 3, "ongeldige YAML: 'd' springt 2 spaties te ver in"),
    ("a: \"\\q\"\n", 1, 6, "ongeldige YAML: onbekende code na een backslash (\\)"),
])
def test_refused_yaml(text, line, column, message):
    with pytest.raises(_YamlError) as error:
        parse_yaml(text)
    assert (error.value.line, error.value.column, error.value.message) == (line, column, message)


def test_front_matter():
    assert split_front_matter("---\ntitle: x\n---\nBody\n") == ("title: x", "Body\n", 4)
    assert split_front_matter("title: x\n").startswith("de kop (front matter) ontbreekt")
    assert split_front_matter("---\ntitle: x\n").startswith("de kop (front matter) is niet afgesloten")


def test_discovery_skips_unknown_files_with_a_warning(tmp_path):
    (tmp_path / "content/cases").mkdir(parents=True)
    (tmp_path / "content/cases/notes.txt").write_text("x")
    (tmp_path / "content/cases/.hidden.md").write_text("x")
    (tmp_path / "content/losse-notitie.md").write_text("x")
    problems = Problems()
    loaded = load_content(tmp_path, problems)
    assert loaded.files == []
    assert sorted(p.format() for p in problems.items) == [
        "content/cases/notes.txt:1:1: warning: bestand wordt overgeslagen: verwacht een '.md'-bestand",
        "content/losse-notitie.md:1:1: warning: bestand hoort niet bij een bekend inhoudstype en wordt overgeslagen",
    ]


def test_a_symlink_inside_content_is_followed(tmp_path):
    (tmp_path / "content/organisations").mkdir(parents=True)
    real = tmp_path / "content/organisations/echt.yaml"
    real.write_text("name: Echt\ntype: gemeente\n")
    (tmp_path / "content/organisations/alias.yaml").symlink_to(real)
    problems = Problems()
    loaded = load_content(tmp_path, problems)
    assert sorted(f.slug for f in loaded.files) == ["alias", "echt"] and not problems.items


def test_positions_come_back_after_being_forgotten_or_pickled(tmp_path):
    """Checked files drop their positions (memory); a later message parses them again."""
    import pickle

    (tmp_path / "content/enterprises").mkdir(parents=True)
    (tmp_path / "content/enterprises/bakkerij.yaml").write_text(
        "name: Bakkerij\nmunicipality: breda\ndescription: |\n  Wij bakken brood.\nwebsite: x\n", encoding="utf-8")
    file = load_content(tmp_path, Problems()).files[0]
    assert file.body_line == 4 and file.position(("website",)) == (5, 10)
    file.forget_details()
    assert file.positions is None
    assert file.position(("website",)) == (5, 10) and file.key_position(("municipality",)) == (2, 1)
    restored = pickle.loads(pickle.dumps(file))
    assert restored.positions is None and restored.position(("municipality",)) == (2, 15)


def test_parsing_keeps_no_yaml_nodes_alive():
    """The shared constructor must not remember the nodes of every file it ever read."""
    import gc

    import yaml

    for number in range(50):
        parse_yaml(f"title: Verhaal {number}\nthemes: [a, b]\nimpact:\n  - {{value: {number}}}\n")
    gc.collect()
    assert not [node for node in gc.get_objects() if isinstance(node, yaml.Node)]


def _scan(root):
    from sitegen.cache import source_stats
    links: set[str] = set()
    return source_stats(root, links), links


def test_files_are_read_folder_by_folder_own_files_first_and_the_layout_is_kept_until_one_is_added(tmp_path):
    for rel in ("site.yaml", "vocabulary.yaml", "cases/b.md", "cases/a.md", "tips/1-kort.md", "media/x/logo.svg"):
        (tmp_path / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "content" / rel).write_text("title: x\n---\ntekst\n" if rel.endswith(".md") else "a: 1\n")
    stats, links = _scan(tmp_path)
    first = load_content(tmp_path, Problems(), stats=stats, links=links)
    # The order a walk gives: a folder's own files by name, then its subfolders by name.
    assert [f.rel for f in first.files] == ["content/site.yaml", "content/vocabulary.yaml", "content/cases/a.md",
                                           "content/cases/b.md", "content/tips/1-kort.md"]
    assert first.media == {"media/x/logo.svg"}

    (tmp_path / "content/cases/a.md").write_text("title: y\n---\nandere tekst\n")  # an edit: same files
    stats, links = _scan(tmp_path)
    again = load_content(tmp_path, Problems(), stats=stats, links=links, layout=first.layout)
    assert again.layout is first.layout

    (tmp_path / "content/cases/c.md").write_text("title: z\n---\ntekst\n")  # a new file: a new layout
    stats, links = _scan(tmp_path)
    added = load_content(tmp_path, Problems(), stats=stats, links=links, layout=first.layout)
    assert added.layout is not first.layout
    assert "content/cases/c.md" in [f.rel for f in added.files]


def test_a_layout_with_links_is_made_again_each_time(tmp_path):
    """Where a link points can change while the link itself does not: it is checked every build."""
    (tmp_path / "content/organisations").mkdir(parents=True)
    outside = tmp_path / "buiten.yaml"
    outside.write_text("name: Buiten\ntype: gemeente\n")
    inside = tmp_path / "content/organisations/echt.yaml"
    inside.write_text("name: Echt\ntype: gemeente\n")
    (tmp_path / "content/organisations/alias.yaml").symlink_to(inside)
    stats, links = _scan(tmp_path)
    first = load_content(tmp_path, Problems(), stats=stats, links=links)
    assert sorted(f.slug for f in first.files) == ["alias", "echt"]

    inside.unlink()
    inside.symlink_to(outside)  # same path, now a link that leaves content/
    stats, links = _scan(tmp_path)
    problems = Problems()
    again = load_content(tmp_path, problems, stats=stats, links=links, layout=first.layout)
    assert again.layout is not first.layout
    assert any("buiten de map content/" in p.message for p in problems.items)

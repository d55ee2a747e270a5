"""The command line: exit codes, drafts and future dates, scaffolding and JSON Schemas."""

from __future__ import annotations

import json
import re
import datetime as dt

import jsonschema
import pytest
import yaml

from sitegen import __version__
from sitegen.build import BuildOptions, build
from sitegen.load import parse_yaml, split_front_matter
from sitegen.scaffold import scaffold_text
from sites import copy_mini, run_cli

from sites import REPO


def test_version_and_usage_errors(capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(capsys, "--version")
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"sitegen {__version__}"
    with pytest.raises(SystemExit) as exit_info:
        run_cli(capsys, "build", "--no-such-option")
    assert exit_info.value.code == 2
    assert run_cli(capsys)[0] == 2


@pytest.mark.parametrize("command", ["build", "check", "new", "schema", "serve", "links"])
def test_every_command_has_help(capsys, command):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(capsys, command, "--help")
    assert exit_info.value.code == 0
    assert "gebruik: sitegen " + command in capsys.readouterr().out


def test_drafts_and_future_stories_are_left_out_and_the_next_change_is_announced(tmp_path, capsys):
    root = copy_mini(tmp_path / "site")
    result = build(BuildOptions(source=root, today=dt.date(2026, 11, 26)))
    slugs = {case.slug for case in result.site.cases}
    assert slugs == {"soep-op-het-stadhuis", "schoonmaak-via-de-hoofdaannemer"}
    assert result.site.next_change == dt.date(2026, 12, 15)
    with_drafts = build(BuildOptions(source=root, drafts=True, today=dt.date(2026, 11, 26)), write=False)
    assert {case.slug for case in with_drafts.site.cases} == slugs | {"nog-niet-klaar", "verhaal-uit-de-toekomst"}
    code, out, _ = run_cli(capsys, "build", "--source", str(root))
    assert code == 0 and "De uitvoer verandert op " in out


def test_base_url_with_sub_path_and_file_links(tmp_path, capsys):
    root = copy_mini(tmp_path / "site")
    code, _, err = run_cli(capsys, "build", "--source", str(root), "--base-url", "https://x.example.nl/a/b/", "--file-links")
    assert code == 0, err
    html = (root / "output/verhalen/soep-op-het-stadhuis/index.html").read_text()
    assert '<link rel="canonical" href="https://x.example.nl/a/b/verhalen/soep-op-het-stadhuis/">' in html
    assert 'href="../../organisaties/gemeente-noord/index.html"' in html
    assert '="/' not in html.replace('="/a/b/', "")  # no root-relative link escapes the sub-path


def test_the_sample_site_checks_clean(capsys):
    code, out, err = run_cli(capsys, "check", "--source", str(REPO), "--strict")
    assert code == 0, err
    assert "Alles in orde" in out


@pytest.mark.parametrize("kind", ["case", "enterprise", "organisation", "procurement", "event"])
def test_new_writes_every_field_with_a_comment_and_refuses_to_overwrite(tmp_path, capsys, kind):
    root = copy_mini(tmp_path / "site")
    code, out, err = run_cli(capsys, "new", kind, "Koffie bij de Gemeente!", "--source", str(root))
    assert code == 0, err
    path = root / out.split(": ", 1)[1].strip()
    assert path.stem == "koffie-bij-de-gemeente"
    text = path.read_text(encoding="utf-8")
    front = split_front_matter(text)[0] if path.suffix == ".md" else text
    data, _ = parse_yaml(front)
    assert data  # the file parses as YAML
    assert "(verplicht)" in text
    code, _, err = run_cli(capsys, "new", kind, "Koffie bij de Gemeente!", "--source", str(root))
    assert code == 1 and "bestaat al" in err


def test_new_case_is_a_draft_that_validates_after_filling_in_references(tmp_path, capsys):
    root = copy_mini(tmp_path / "site")
    text = scaffold_text("case", "Nieuwe soep", dt.date(2026, 11, 1))
    assert "draft: true" in text
    # Every example is a comment: only what the editor fills in is there.
    text = text.replace("summary:  #", "summary: Een korte samenvatting.  #")
    text = text.replace("buyer:  #", "buyer: gemeente-noord  #")
    text = text.replace("enterprises:  #", "enterprises: [de-soeppan]  #")
    text = text.replace("category:  #", "category: catering  #")
    text = text.replace("route:  #", "route: onderaanneming  #")
    text = text.replace("themes:  #", "themes: [duurzame-productie]  #")
    for heading in ("Aanleiding", "Aanpak", "Resultaat", "Wat werkte en wat schuurde", "Tip voor collega's"):
        text = text.replace(f"## {heading}\n", f"## {heading}\n\nTekst.\n")
    (root / "content/cases/nieuwe-soep.md").write_text(text, encoding="utf-8")
    code, _, err = run_cli(capsys, "check", "--source", str(root), "--strict", "--drafts")
    assert code == 0, err


def test_json_schemas_accept_the_sample_content_and_reject_a_broken_file(tmp_path, capsys):
    code, _, err = run_cli(capsys, "schema", "--source", str(REPO), "--output", str(tmp_path))
    assert code == 0, err
    checked = 0
    for kind, folder in [("enterprise", "enterprises"), ("organisation", "organisations"), ("procurement", "calendar")]:
        schema = json.loads((tmp_path / f"{kind}.schema.json").read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        for path in sorted((REPO / "content" / folder).glob("*.yaml")):
            jsonschema.validate(_as_json(yaml.safe_load(path.read_text())), schema)
            checked += 1
    case_schema = json.loads((tmp_path / "case.schema.json").read_text())
    for path in sorted((REPO / "content/cases").glob("*.md")):
        jsonschema.validate(_as_json(yaml.safe_load(split_front_matter(path.read_text())[0])), case_schema)
        checked += 1
    assert checked > 20
    broken = yaml.safe_load((REPO / "content/enterprises").glob("*.yaml").__next__().read_text())
    broken["size"] = "reusachtig"
    del broken["summary"]
    errors = list(jsonschema.Draft202012Validator(json.loads((tmp_path / "enterprise.schema.json").read_text()))
                  .iter_errors(_as_json(broken)))
    assert len(errors) == 2
    descriptions = json.loads((tmp_path / "enterprise.schema.json").read_text())["properties"]["summary"]["description"]
    assert descriptions.startswith("Wat de onderneming doet")


def test_sample_site_wires_schemas_into_vscode():
    settings = json.loads((REPO / ".vscode/settings.json").read_text())
    mapping = settings["yaml.schemas"]
    assert mapping["./.vscode/schemas/enterprise.schema.json"] == "content/enterprises/*.yaml"
    for schema in mapping:
        assert (REPO / schema).is_file()


def _as_json(value):
    """YAML dates become strings, as an editor's JSON Schema validator sees them."""
    return json.loads(json.dumps(value, default=str))


@pytest.mark.parametrize("command", ["build", "links"])
@pytest.mark.parametrize("bad", ["intranet.example.nl/sociaal-inkopen/", "ftp://x", "https://"])
def test_a_bad_base_url_flag_is_a_usage_error_with_the_site_yaml_message(tmp_path, capsys, command, bad):
    root = copy_mini(tmp_path / "site")
    with pytest.raises(SystemExit) as exit_info:
        run_cli(capsys, command, "--source", str(root), "--base-url", bad)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (f"sitegen {command}: fout: argument --base-url: "
                                    f"'{bad}' in '--base-url' is geen geldig webadres (begin met https://)")
    assert not (root / "output").exists()
    # The same value in site.yaml gets the same words from the content check.
    site_yaml = root / "content" / "site.yaml"
    site_yaml.write_text(re.sub(r"(?m)^base_url: .*$", f"base_url: {bad}", site_yaml.read_text()))
    code, _, err = run_cli(capsys, "check", "--source", str(root))
    assert code == 1
    assert f"'{bad}' in 'base_url' is geen geldig webadres (begin met https://)" in err


def test_a_base_url_flag_without_a_slash_gets_one(tmp_path, capsys):
    root = copy_mini(tmp_path / "site")
    code, _, err = run_cli(capsys, "build", "--source", str(root), "--base-url", "https://intranet.example.nl/sociaal-inkopen")
    assert code == 0, err
    html = (root / "output/index.html").read_text()
    assert '<link rel="canonical" href="https://intranet.example.nl/sociaal-inkopen/">' in html

"""The editor's path through sitegen (issue 14): every mistake in one run, in Dutch, with
the fix; scaffolds that do not publish placeholders; drafts of every type; help and set-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from sites import copy_mini, run_cli

CASE = "content/cases/soep-op-het-stadhuis.md"
OTHER_CASE = "content/cases/schoonmaak-via-de-hoofdaannemer.md"
ENTERPRISE = "content/enterprises/de-soeppan.yaml"
ORGANISATION = "content/organisations/gemeente-noord.yaml"


@pytest.fixture
def site(tmp_path):
    return copy_mini(tmp_path / "site")


def replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check_fails(root: Path, capsys, *extra: str) -> tuple[list[str], str]:
    """Run `sitegen check`; the problem lines and the last line (the summary)."""
    code, out, err = run_cli(capsys, "check", "--source", str(root), *extra)
    assert code == 1, out + err
    assert "Traceback" not in err
    lines = err.splitlines()
    return [line for line in lines if ": error: " in line or ": warning: " in line], lines[-1]


# ---------------------------------------------------------------- 1. all errors at once

def test_ten_mistakes_over_five_files_in_one_run(site, capsys):
    replace(site, CASE, "category: catering", "category: cateringg")  # validate
    replace(site, CASE, "tips: [1]", "tips: [9]")  # validate
    replace(site, CASE, "(schoonmaak-via-de-hoofdaannemer.md)", "(schoonmaak-via-hoofdaannemer.md)")  # body link
    replace(site, OTHER_CASE, "example: true", "image: {src: media/schoonmaak.jpg}\nexample: true")  # image, alt
    replace(site, OTHER_CASE, "(../enterprises/schoon-en-zo.yaml)", "(../enterprises/schoon-zo.yaml)")  # body link
    replace(site, OTHER_CASE, "themes: [inclusieve-arbeidsmarkt]", "themes: [inclusief]")  # validate
    replace(site, ENTERPRISE, "size: startup", "size: startup\nsize: groot")  # load: a key twice
    replace(site, ORGANISATION, "enterprise: schoon-en-zo", "enterprise: schoon-en-zoo")  # cross-reference
    replace(site, ORGANISATION, "region: west-brabant", "region: west-brabnt")  # vocabulary
    (site / "content/media/kapot.png").write_bytes(b"GIF89a not a png at all")  # media
    problems, summary = check_fails(site, capsys)
    assert problems == [
        f"{OTHER_CASE}:12:10: error: onbekende waarde 'inclusief' in 'themes[0]' (zie de lijst 'themes' in content/vocabulary.yaml)",
        f"{OTHER_CASE}:14:8: error: verplicht veld 'image.alt' ontbreekt",
        f"{OTHER_CASE}:14:14: error: afbeelding 'media/schoonmaak.jpg' niet gevonden in content/media/",
        f"{OTHER_CASE}:17:34: error: link naar '../enterprises/schoon-zo.yaml': dat bestand bestaat niet in content/"
        " (bedoelde je '../enterprises/schoon-en-zo.yaml'?)",
        f"{CASE}:7:11: error: onbekende waarde 'cateringg' in 'category' (bedoelde je 'catering'?)",
        f"{CASE}:14:8: error: 'tips[0]' moet tussen 1 en 5 liggen, niet 9",
        f"{CASE}:20:46: error: link naar 'schoonmaak-via-hoofdaannemer.md': dat bestand bestaat niet in content/"
        " (bedoelde je 'schoonmaak-via-de-hoofdaannemer.md'?)",
        f"{ENTERPRISE}:10:1: error: dubbele sleutel 'size' (staat ook op regel 9)",
        "content/media/kapot.png:1:1: error: de inhoud van dit bestand is geen PNG (sla het bestand opnieuw op in het juiste formaat)",
        f"{ORGANISATION}:3:9: error: onbekende waarde 'west-brabnt' in 'region' (bedoelde je 'west-brabant'?)",
        f"{ORGANISATION}:7:18: error: onbekende verwijzing 'schoon-en-zoo' in 'suppliers[0].enterprise':"
        " content/enterprises/schoon-en-zoo.* bestaat niet (bedoelde je 'schoon-en-zo'?)",
    ]
    assert summary == ("11 fout(en) gevonden; er is niets geschreven. Los eerst deze fouten op; daarna controleert "
                       "sitegen ook of elke pagina een eigen adres heeft en of alle pagina's met de templates gemaakt "
                       "kunnen worden.")


def test_link_and_media_errors_come_with_the_model_stage(site, capsys):
    """With every file valid, broken links and a broken media file are reported together."""
    replace(site, CASE, "(schoonmaak-via-de-hoofdaannemer.md)", "(schoonmaak.md)")
    (site / "content/media/kapot.png").write_bytes(b"not a png")
    problems, summary = check_fails(site, capsys)
    assert problems == [
        f"{CASE}:20:46: error: link naar 'schoonmaak.md': dat bestand bestaat niet in content/"
        " (bedoelde je 'schoonmaak-via-de-hoofdaannemer.md'?)",
        "content/media/kapot.png:1:1: error: de inhoud van dit bestand is geen PNG (sla het bestand opnieuw op in het juiste formaat)",
    ]
    assert summary == ("2 fout(en) gevonden; er is niets geschreven. Los eerst deze fouten op; daarna controleert "
                       "sitegen ook of alle pagina's met de templates gemaakt kunnen worden.")


def test_a_link_on_a_later_line_of_a_paragraph_points_at_itself(site, capsys):
    replace(site, CASE, "Drie mensen hebben nu werk.",
            "Drie mensen hebben nu werk,\nmeer dan [ooit](oude-soep.md) en [nu](../tips/1-inventariseer.md).")
    problems, _ = check_fails(site, capsys)
    assert problems == [f"{CASE}:25:10: error: link naar 'oude-soep.md': dat bestand bestaat niet in content/"
                        " (controleer de bestandsnaam)"]


def test_missing_alt_does_not_hide_a_missing_image(site, capsys):
    replace(site, ENTERPRISE, "logo: {src: media/soeppan.svg, alt: Logo van De Soeppan}", "logo: {src: media/soep.svg}")
    problems, _ = check_fails(site, capsys)
    assert problems == [
        f"{ENTERPRISE}:16:7: error: verplicht veld 'logo.alt' ontbreekt",
        f"{ENTERPRISE}:16:13: error: afbeelding 'media/soep.svg' niet gevonden in content/media/"
        " (bedoelde je 'media/soeppan.svg'?)"]


# ---------------------------------------------------------------- 2. YAML indentation, in Dutch

def test_one_space_too_many_in_a_mapping(site, capsys):
    replace(site, CASE, "example: true", 'quote:\n  text: "Goede soep."\n   by: "Kok"\nexample: true')
    problems, _ = check_fails(site, capsys)
    assert problems == [f"{CASE}:18:4: error: ongeldige YAML: 'by' springt 1 spatie te ver in"
                        " (haal 1 spatie weg, zodat 'by' recht onder 'text' staat)"]


def test_a_list_item_key_one_space_short(site, capsys):
    replace(site, CASE, "  - {label: Voedsel gered, value: 800, unit: kg}",
            "  - label: Voedsel gered\n    value: 800\n   unit: kg")
    problems, _ = check_fails(site, capsys)
    assert problems == [f"{CASE}:14:4: error: ongeldige YAML: 'unit' springt 1 spatie te weinig in"
                        " (hoort 'unit' bij 'impact', zet 4 spaties voor 'unit', net als voor 'label')"]


def test_a_dedented_key_is_named_on_its_own_line(site, capsys):
    replace(site, CASE, "example: true", "contact:\n role: Inkoopadviseur\n  email: inkoop@gemeente-noord.nl\nexample: true")
    problems, _ = check_fails(site, capsys)
    assert problems == [f"{CASE}:17:2: error: ongeldige YAML: 'role' springt 1 spatie te weinig in"
                        " (zet 2 spaties voor 'role', net als voor 'email')"]


def test_a_list_item_without_its_dash(site, capsys):
    replace(site, ENTERPRISE, "    description: Soep en broodjes voor vergaderingen.",
            "    description: Soep en broodjes voor vergaderingen.\n  category: schoonmaak\n    description: Ramen.")
    problems, _ = check_fails(site, capsys)
    assert problems == [f"{ENTERPRISE}:7:3: error: ongeldige YAML: 'category' staat in de lijst 'offerings', maar zonder"
                        " '- ' (begint hier een nieuw item, schrijf dan '- category:'; hoort 'category' bij het item"
                        " erboven, zet er dan 4 spaties voor)"]


def test_a_key_outside_its_block(site, capsys):
    replace(site, ENTERPRISE, "  municipality: breda", "  municipality: breda\naddress: Markt 1")
    problems, _ = check_fails(site, capsys)
    assert problems == [f"{ENTERPRISE}:9:1: error: 'address' staat buiten het blok 'location'"
                        " (zet er 2 spaties voor, zodat 'address' bij 'location' hoort)"]


BROKEN_YAML = [
    "title: x\n  y: z\n", "a: @b\n", 'a: "open\n', "a: [1, 2\n", "a: {b: 1\n", "a: b\n- c\n", "a:\n  b: 1\n c: 2\n",
    "a: `b`\n", 'a: "\\q"\n', "a: *nothing\n", "a: &x 1\nb: &x 2\n", "- a\nb: c\n", "a: b\n---\nc: d\n",
    "a: !!binary 'not base64 ??'\n", "? [a\n", "a: 'x\n  b: 1\n", "a: 1\n...\nb: 2\n", "a:\n  - b\n  c: 1\n",
    "%YAML 9.9\n---\na: 1\n", "a: b: c\n", "[a, b]: c\n", "a:\n- b\n - c\n", "a: |\n b\nc\n", "a: >-\n  x\n y: 1\n",
]
# Words of PyYAML's and libyaml's messages; none may reach an editor.
ENGLISH = ("found", "expected", "while", "mapping", "scanning", "parsing", "token", "character", "could not",
           "allowed", "indicator", "stream", "node", "block end", "directive", "the ")


@pytest.mark.parametrize("text", BROKEN_YAML)
def test_no_pyyaml_english_reaches_an_editor(site, capsys, text):
    (site / "content/organisations/kapot.yaml").write_text(text, encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "--source", str(site))
    assert code == 1 and "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("content/organisations/kapot.yaml:")]
    assert lines, err
    for line in lines:
        said = line.split(": ", 2)[2].lower()
        assert not [word for word in ENGLISH if word in said], line

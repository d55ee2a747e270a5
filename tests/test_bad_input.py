"""Every kind of bad input gives `path:line:col: error: message`, exit 1, and no output change."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sites import copy_mini, run_cli, snapshot


@pytest.fixture
def site(tmp_path, capsys):
    """A copy of the mini fixture, built once so there is a previous output to protect."""
    root = copy_mini(tmp_path / "site")
    code, _, err = run_cli(capsys, "build", "--source", str(root))
    assert code == 0, err
    return root


def write(root: Path, rel: str, text: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def build_fails(root: Path, capsys, *extra: str) -> list[str]:
    """Build, assert it failed cleanly without touching output/, return the error lines."""
    before = snapshot(root / "output")
    code, out, err = run_cli(capsys, "build", "--source", str(root), *extra)
    assert code == 1, out + err
    assert "Traceback" not in err
    assert snapshot(root / "output") == before
    assert not [p for p in root.iterdir() if ".staging-" in p.name or ".old-" in p.name]
    return [line for line in err.splitlines() if ": error: " in line or ": warning: " in line]


CASE = "content/cases/soep-op-het-stadhuis.md"
ENTERPRISE = "content/enterprises/de-soeppan.yaml"


def replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_tab_indentation(site, capsys):
    replace(site, ENTERPRISE, "location:\n  municipality: breda", "location:\n\tmunicipality: breda")
    assert build_fails(site, capsys) == [
        "content/enterprises/de-soeppan.yaml:8:1: error: ongeldige YAML: tab gevonden"
        " (gebruik spaties om in te springen, geen tabs)"]


def test_colon_in_an_unquoted_value(site, capsys):
    replace(site, ENTERPRISE, "summary: Een keuken", "summary: Let op: een keuken")
    assert build_fails(site, capsys) == [
        f"{ENTERPRISE}:2:16: error: ongeldige YAML: onverwachte dubbele punt (zet tekst met ': ' erin tussen aanhalingstekens)"]


def test_front_matter_not_closed(site, capsys):
    text = (site / CASE).read_text(encoding="utf-8").replace("example: true\n---\n", "example: true\n", 1)
    write(site, CASE, text)
    assert build_fails(site, capsys) == [
        f"{CASE}:1:1: error: de kop (front matter) is niet afgesloten met '---'"
        " (begin en eindig de kop met een regel met alleen '---')"]


def test_unknown_key_is_a_warning_and_an_error_under_strict(site, capsys):
    replace(site, ENTERPRISE, "size: startup", "size: startup\nwebsite_url: https://example.nl")
    code, out, err = run_cli(capsys, "build", "--source", str(site))
    assert code == 0
    assert f"{ENTERPRISE}:10:1: warning: onbekend veld 'website_url' wordt genegeerd (bedoelde je 'website'?)" in err
    assert build_fails(site, capsys, "--strict") == [
        f"{ENTERPRISE}:10:1: error: onbekend veld 'website_url' wordt genegeerd (bedoelde je 'website'?)"]


def test_a_yearly_figure_whose_unit_does_not_say_so_is_a_warning(site, capsys):
    replace(site, CASE, "unit: kg}", "unit: kg, source: Weeglijst (per jaar)}")
    code, out, err = run_cli(capsys, "build", "--source", str(site))
    assert code == 0
    assert (f"{CASE}:12:46: warning: dit cijfer is 'per jaar', maar de eenheid 'kg' zegt dat niet "
            "(schrijf bijvoorbeeld unit: kg per jaar; de impactpagina telt alleen cijfers met dezelfde eenheid op)") in err
    replace(site, CASE, "unit: kg,", "unit: kg per jaar,")
    code, out, err = run_cli(capsys, "build", "--source", str(site))
    assert code == 0 and "warning" not in err


def test_a_long_headline_or_one_with_a_full_stop_is_a_warning(site, capsys):
    long_title = "De gemeente koopt de lunchsoep voor het stadhuis voortaan bij een sociale keuken uit de eigen wijk"
    replace(site, CASE, "title: Soep op het stadhuis", f"title: {long_title}")
    code, out, err = run_cli(capsys, "build", "--source", str(site))
    assert code == 0
    assert (f"{CASE}:2:8: warning: de titel is {len(long_title)} tekens lang; een kop leest het best onder de 90 tekens "
            "(zet de kleine winst in een korte kop, bijvoorbeeld: Gemeente koopt koffie bij sociale onderneming; "
            "de rest kan in summary)") in err
    replace(site, CASE, f"title: {long_title}", "title: Soep op het stadhuis.")
    code, out, err = run_cli(capsys, "check", "--source", str(site), "--strict")
    assert code == 1
    assert (f"{CASE}:2:8: error: de titel eindigt op een punt; een kop heeft geen punt aan het eind "
            "(haal de punt aan het eind van de titel weg)") in err
    replace(site, CASE, "title: Soep op het stadhuis.", "title: Soep op het stadhuis")
    code, out, err = run_cli(capsys, "check", "--source", str(site), "--strict")
    assert code == 0 and "warning" not in err


def test_missing_required_field(site, capsys):
    replace(site, ENTERPRISE, "summary: Een keuken die soep maakt van groente die anders weggaat.\n", "")
    assert build_fails(site, capsys) == [f"{ENTERPRISE}:1:1: error: verplicht veld 'summary' ontbreekt"]


def test_wrong_type(site, capsys):
    replace(site, CASE, "value: 12000", "value: twaalfduizend")
    assert build_fails(site, capsys) == [
        f"{CASE}:9:8: error: 'value' moet een getal zijn, niet 'twaalfduizend'"
        " (schrijf alleen cijfers, zonder euroteken of punten)"]


def test_value_not_in_vocabulary(site, capsys):
    replace(site, CASE, "category: catering", "category: cateirng")
    assert build_fails(site, capsys) == [
        f"{CASE}:7:11: error: onbekende waarde 'cateirng' in 'category' (bedoelde je 'catering'?)"]


def test_impossible_date(site, capsys):
    replace(site, CASE, "date: 2026-03-01", "date: 2024-13-45")
    assert build_fails(site, capsys) == [
        f"{CASE}:3:7: error: ongeldige datum '2024-13-45' in 'date' (schrijf JJJJ-MM-DD, bijvoorbeeld 2026-03-12)"]


def test_unknown_enterprise_and_buyer(site, capsys):
    replace(site, CASE, "buyer: gemeente-noord", "buyer: gemeente-nord")
    replace(site, CASE, "enterprises: [de-soeppan]", "enterprises: [de-soep-pan]")
    assert build_fails(site, capsys) == [
        f"{CASE}:5:8: error: onbekende verwijzing 'gemeente-nord' in 'buyer': content/organisations/gemeente-nord.* bestaat niet"
        " (bedoelde je 'gemeente-noord'?)",
        f"{CASE}:6:15: error: onbekende verwijzing 'de-soep-pan' in 'enterprises[0]': content/enterprises/de-soep-pan.* bestaat niet"
        " (bedoelde je 'de-soeppan'?)"]


def test_bytes_that_are_not_utf8(site, capsys):
    write(site, ENTERPRISE, (site / ENTERPRISE).read_bytes().replace(b"Een keuken", b"Een k\xe9uken"))
    assert build_fails(site, capsys) == [
        f"{ENTERPRISE}:2:15: error: ongeldige tekens: dit bestand is geen UTF-8 (byte 0xe9) (sla het bestand op als UTF-8)"]


def test_empty_file(site, capsys):
    write(site, "content/organisations/leeg.yaml", "")
    assert build_fails(site, capsys) == ["content/organisations/leeg.yaml:1:1: error: het bestand is leeg"]


def test_duplicate_keys(site, capsys):
    replace(site, ENTERPRISE, "size: startup", "size: startup\nsize: gevestigd")
    assert build_fails(site, capsys) == [f"{ENTERPRISE}:10:1: error: dubbele sleutel 'size' (staat ook op regel 9)"]


def test_python_tag_is_refused_and_never_runs(site, capsys, tmp_path):
    marker = tmp_path / "ran"
    replace(site, ENTERPRISE, "size: startup", f"size: !!python/object/apply:os.system ['touch {marker}']")
    assert build_fails(site, capsys) == [
        f"{ENTERPRISE}:9:7: error: onbekende of onveilige YAML-tag 'tag:yaml.org,2002:python/object/apply:os.system'"
        " (haal de tag weg)"]
    assert not marker.exists()


def test_alias_bomb(site, capsys):
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for index in range(1, 10):
        previous, name = chr(ord("a") + index - 1), chr(ord("a") + index)
        levels.append(f"{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]")
    write(site, "content/organisations/bom.yaml", "name: Bom\ntype: gemeente\n" + "\n".join(levels) + "\n")
    assert build_fails(site, capsys) == [
        "content/organisations/bom.yaml:4:1: error: YAML-verwijzingen (&anker en *alias) worden niet ondersteund"
        " (schrijf de waarde voluit)"]


def test_link_to_missing_content_file(site, capsys):
    replace(site, CASE, "[de schoonmaak](schoonmaak-via-de-hoofdaannemer.md)", "[de schoonmaak](schoonmaak.md)")
    assert build_fails(site, capsys) == [
        f"{CASE}:20:46: error: link naar 'schoonmaak.md': dat bestand bestaat niet in content/"
        " (bedoelde je 'schoonmaak-via-de-hoofdaannemer.md'?)"]


def test_missing_image(site, capsys):
    replace(site, ENTERPRISE, "media/soeppan.svg", "media/soeppan.png")
    assert build_fails(site, capsys) == [
        f"{ENTERPRISE}:16:13: error: afbeelding 'media/soeppan.png' niet gevonden in content/media/ (bedoelde je 'media/soeppan.svg'?)"]


def test_image_without_alt_text(site, capsys):
    replace(site, ENTERPRISE, ", alt: Logo van De Soeppan", "")
    assert build_fails(site, capsys) == [f"{ENTERPRISE}:16:7: error: verplicht veld 'logo.alt' ontbreekt"]


def test_two_items_on_one_url(site, capsys):
    replace(site, CASE, "aliases: [/verhalen/oude-soep/]", "aliases: [/verhalen/schoonmaak-via-de-hoofdaannemer/]")
    errors = build_fails(site, capsys)
    assert errors == [
        f"{CASE}:1:1: error: twee pagina's op hetzelfde adres '/verhalen/schoonmaak-via-de-hoofdaannemer/index.html':"
        f" content/cases/schoonmaak-via-de-hoofdaannemer.md en {CASE} (geef één van beide een andere bestandsnaam of alias)"]


def test_alias_outside_the_output_folder(site, capsys, tmp_path):
    replace(site, CASE, "aliases: [/verhalen/oude-soep/]", "aliases: [../../buiten/]")
    assert build_fails(site, capsys) == [
        f"{CASE}:1:1: error: pad '../../buiten/index.html' ligt buiten de uitvoermap en wordt geweigerd"]
    assert not (tmp_path / "buiten").exists()


def test_symlink_out_of_content(site, capsys, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("name: Geheim\ntype: gemeente\n", encoding="utf-8")
    os.symlink(secret, site / "content/organisations/geheim.yaml")
    assert build_fails(site, capsys) == [
        "content/organisations/geheim.yaml:1:1: error: symbolische link wijst buiten de map content/ en wordt geweigerd"]


def test_undefined_variable_in_template(site, capsys):
    replace(site, "templates/case.html", "<h1>{{ item.title }}</h1>", "<h1>{{ item.titel }}</h1>")
    assert build_fails(site, capsys) == [
        "templates/case.html:3:1: error: onbekende variabele: 'sitegen.model.Case object' has no attribute 'titel'"
        " (bij het maken van /verhalen/schoonmaak-via-de-hoofdaannemer/)"]


def test_template_syntax_error(site, capsys):
    replace(site, "templates/tips.html", "{% endfor %}", "{% endfro %}")
    errors = build_fails(site, capsys)
    assert len(errors) == 1 and errors[0].startswith("templates/tips.html:2:1: error: ")


def test_two_broken_files_are_both_reported(site, capsys):
    replace(site, CASE, "category: catering", "category: cateirng")
    replace(site, ENTERPRISE, "municipality: breda", "municipality: bredaa")
    assert build_fails(site, capsys) == [
        f"{CASE}:7:11: error: onbekende waarde 'cateirng' in 'category' (bedoelde je 'catering'?)",
        f"{ENTERPRISE}:8:17: error: onbekende waarde 'bredaa' in 'location.municipality' (bedoelde je 'breda'?)"]


def test_github_annotations(site, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    replace(site, CASE, "category: catering", "category: cateirng")
    code, _, err = run_cli(capsys, "build", "--source", str(site))
    assert code == 1
    assert (f"::error file={CASE},line=7,col=11::onbekende waarde 'cateirng' in 'category'"
            " (bedoelde je 'catering'?)") in err.splitlines()


def test_check_reports_the_same_and_writes_nothing(site, capsys):
    replace(site, CASE, "category: catering", "category: cateirng")
    before = snapshot(site / "output")
    code, _, err = run_cli(capsys, "check", "--source", str(site))
    assert code == 1
    assert f"{CASE}:7:11: error: onbekende waarde 'cateirng' in 'category' (bedoelde je 'catering'?)" in err
    assert snapshot(site / "output") == before


# ------------------------------------------------------------------ input that builds fine

def test_byte_order_mark_and_crlf(site, capsys):
    text = (site / ENTERPRISE).read_text(encoding="utf-8")
    write(site, ENTERPRISE, b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    case = (site / CASE).read_text(encoding="utf-8")
    write(site, CASE, case.replace("\n", "\r\n").encode("utf-8"))
    code, _, err = run_cli(capsys, "build", "--source", str(site))
    assert code == 0, err
    html = (site / "output/ondernemers/de-soeppan/index.html").read_text(encoding="utf-8")
    assert "<h1>De Soeppan</h1>" in html
    assert '<h2 id="h-aanleiding">Aanleiding</h2>' in (site / "output/verhalen/soep-op-het-stadhuis/index.html").read_text()


def test_script_and_javascript_links_come_out_inert(site, capsys):
    replace(site, CASE, "title: Soep op het stadhuis", "title: '\"><script>alert(1)</script>'")
    replace(site, CASE, "Drie mensen hebben nu werk.",
            "<script>alert(2)</script> [klik](javascript:alert(3)) [ook](JAVA&#x53;CRIPT:alert(4))"
            " [data](data:text/html;base64,PHNjcmlwdD4=) <img src=x onerror=alert(5)>")
    code, _, err = run_cli(capsys, "build", "--source", str(site))
    assert code == 0, err
    html = (site / "output/verhalen/soep-op-het-stadhuis/index.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert 'href="javascript' not in html.lower() and 'href="data:' not in html.lower()
    assert "<title>&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in html


def test_raw_html_can_be_turned_on(site, capsys):
    write(site, "content/site.yaml", (site / "content/site.yaml").read_text() + "features:\n  raw_html: true\n")
    replace(site, CASE, "Drie mensen hebben nu werk.", "Drie <em>mensen</em> [x](javascript:alert(1))")
    code, _, err = run_cli(capsys, "build", "--source", str(site))
    assert code == 0, err
    html = (site / "output/verhalen/soep-op-het-stadhuis/index.html").read_text(encoding="utf-8")
    assert "Drie <em>mensen</em>" in html and 'href="javascript' not in html


def test_broken_strings_file_reads_as_pyyaml_words_it(site, capsys):
    """The strings are parsed with libyaml when it is there, which words its errors its own
    way; the error still reads as the pure-Python parser's, with its position."""
    strings = site / "templates" / "strings.nl.yaml"
    strings.write_text("kapot: a: b\n" + strings.read_text(encoding="utf-8"), encoding="utf-8")
    assert build_fails(site, capsys) == [
        "templates/strings.nl.yaml:1:9: error: ongeldige YAML: mapping values are not allowed here"]


@pytest.mark.parametrize("command", [
    ["build"], ["check"], ["serve", "--port", "8799"], ["schema"], ["links"], ["new", "case", "Soep"],
    ["inventaris", "lijst.csv", "--organisatie", "gemeente-noord"],
    ["import", "kalender", "plan.xlsx", "--organisatie", "gemeente-noord"],
    ["bouw"], ["new", "verhaal", "Soep"], ["serve", "--port", "0"], ["build", "--max-memory", "veel"],
])
def test_no_command_shows_a_traceback_for_a_folder_without_a_site(tmp_path, command):
    """Every command, pointed at a folder that holds no site or given a wrong argument,
    says what is wrong in Dutch and stops with 1 or 2."""
    import subprocess
    import sys

    from sites import REPO
    result = subprocess.run([sys.executable, "-m", "sitegen", *command, "--source", str(tmp_path)],
                            capture_output=True, text=True, timeout=60, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode in (1, 2), result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "error:" not in result.stderr.replace(": error: ", "")
    assert result.stderr.strip()

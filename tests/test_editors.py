"""The editor's path through sitegen (issue 14): every mistake in one run, in Dutch, with
the fix; scaffolds that do not publish placeholders; drafts of every type; help and set-up.

Sections are numbered as the cases under "Why" in the issue; case 10 (the committed JSON
Schemas) is tests/test_registry.py::test_the_committed_vscode_schemas_are_what_sitegen_schema_writes."""

from __future__ import annotations

import re
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


# ---------------------------------------------------------------- 6, 7. serve: a busy port, drafts outside output/

def test_a_busy_port_is_one_dutch_line(site):
    import socket

    from processes import sitegen

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = sitegen("serve", "--source", str(site), "--port", str(port))
        out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert err.splitlines() == [f"fout: poort {port} is al in gebruik, misschien door een andere 'sitegen serve' "
                                f"(stop dat programma, of kies een andere poort: sitegen serve --port {port + 1})"]
    assert not (site / "output").exists()  # said before anything was built


def test_a_port_that_is_no_port(site, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(capsys, "serve", "--source", str(site), "--port", "99999")
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "sitegen serve: fout: argument --port: '99999' is geen poort: kies een getal van 1 tot 65535, bijvoorbeeld 8000")


def test_serve_with_drafts_leaves_output_publishable(site, capsys):
    import signal
    import socket
    import urllib.request

    from processes import sitegen
    from sites import snapshot

    assert run_cli(capsys, "build", "--source", str(site))[0] == 0
    before = snapshot(site / "output")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = sitegen("serve", "--source", str(site), "--port", str(port), "--drafts")
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if "De site staat op" in line:
                break
        assert "niet in output/" in lines[0], lines
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/verhalen/nog-niet-klaar/", timeout=10) as response:
            assert response.status == 200  # the draft is shown
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    assert process.returncode == 0
    assert snapshot(site / "output") == before
    assert not (site / "output/verhalen/nog-niet-klaar").exists()


# ---------------------------------------------------------------- 8. help in Dutch, with examples

COMMANDS = [["build"], ["check"], ["new"], ["schema"], ["serve"], ["links"], ["inventaris"], ["import"],
            ["import", "kalender"]]


@pytest.mark.parametrize("command", [[]] + COMMANDS, ids=lambda c: " ".join(c) or "sitegen")
def test_help_is_dutch_with_an_example(capsys, command):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(capsys, *command, "--help")
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("gebruik: sitegen")
    assert "voorbeeld:\n  sitegen " + (command[0] if command else "") in text
    assert "-h, --help" in text and "toon deze hulp en stop" in text
    for english in ("usage:", "positional arguments", "options:", "show this help", "SOURCE", "OUTPUT", "PORT"):
        assert english not in text


def test_an_unknown_command_gets_did_you_mean(capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(capsys, "bouw")
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "sitegen: fout: 'bouw' ken ik niet; kies uit build, check, new, schema, serve, links, inventaris, import"
        " (bedoelde je 'build'?)")
    with pytest.raises(SystemExit):
        run_cli(capsys, "chek")
    assert capsys.readouterr().err.splitlines()[-1].endswith("(bedoelde je 'check'?)")
    with pytest.raises(SystemExit):
        run_cli(capsys, "new", "verhaal", "Soep")
    assert capsys.readouterr().err.splitlines()[-1] == (
        "sitegen new: fout: 'verhaal' ken ik niet; kies uit case, enterprise, organisation, procurement, event, tip,"
        " page (bedoelde je 'case'?)")
    with pytest.raises(SystemExit):
        run_cli(capsys, "new")
    assert capsys.readouterr().err.splitlines()[-1] == "sitegen new: fout: dit ontbreekt nog: SOORT, TITEL"


def test_the_kinds_of_new_are_the_scaffolds():
    from sitegen.cli import NEW_KINDS
    from sitegen.scaffold import new_kinds
    assert list(NEW_KINDS) == new_kinds()


# ---------------------------------------------------------------- 3. scaffolds publish no placeholder

def new_file(site: Path, capsys, kind: str, title: str) -> Path:
    code, out, err = run_cli(capsys, "new", kind, title, "--source", str(site))
    assert code == 0, err
    return site / out.strip().removeprefix("Nieuw bestand: ")


def fill(path: Path, **values: str) -> None:
    """Put a value after `field:` on its line, as an editor types it before the comment."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for name, value in values.items():
        at = next(n for n, line in enumerate(lines) if line.startswith(f"{name}:"))
        lines[at] = f"{name}: {value}  #" + lines[at].split("#", 1)[1] if "#" in lines[at] else f"{name}: {value}"
    path.write_text("\n".join(lines), encoding="utf-8")


def test_a_new_case_with_only_summary_buyer_enterprises_and_draft_changed_fails_strict(site, capsys):
    path = new_file(site, capsys, "case", "Soep in de kantine")
    fill(path, summary="De kantine koopt soep.", buyer="gemeente-noord", enterprises="[de-soeppan]", draft="false")
    problems, _ = check_fails(site, capsys, "--strict")
    rel = "content/cases/soep-in-de-kantine.md"
    filled = "(vul het in; achter het veld staat wat erin hoort)"
    empty = "heeft nog geen tekst (schrijf er tekst onder, of haal de kop weg)"
    assert problems == [
        f"{rel}:7:1: error: verplicht veld 'category' is nog leeg {filled}",
        f"{rel}:8:1: error: verplicht veld 'route' is nog leeg {filled}",
        f"{rel}:32:1: error: de kop 'Aanleiding' {empty}",
        f"{rel}:35:1: error: de kop 'Aanpak' {empty}",
        f"{rel}:38:1: error: de kop 'Resultaat' {empty}",
        f"{rel}:41:1: error: de kop 'Wat werkte en wat schuurde' {empty}",
        f"{rel}:44:1: error: de kop 'Tip voor collega's' {empty}",
    ]


def test_new_event_and_new_organisation_unchanged_fail_check(site, capsys):
    new_file(site, capsys, "event", "Lunch over inkoop")
    new_file(site, capsys, "organisation", "Gemeente West")
    problems, _ = check_fails(site, capsys, "--strict")
    filled = "(vul het in; achter het veld staat wat erin hoort)"
    assert problems == [
        f"content/events/lunch-over-inkoop.md:3:1: error: verplicht veld 'kind' is nog leeg {filled}",
        f"content/events/lunch-over-inkoop.md:4:1: error: verplicht veld 'start' is nog leeg {filled}",
        f"content/organisations/gemeente-west.yaml:2:1: error: verplicht veld 'type' is nog leeg {filled}",
    ]


@pytest.mark.parametrize("kind", ["case", "enterprise", "organisation", "procurement", "event", "tip", "page"])
def test_a_new_file_filled_in_only_where_required_publishes_no_example(site, capsys, kind):
    import datetime as dt

    from sitegen.build import BuildOptions, build

    before = build(BuildOptions(source=site, today=dt.date.today()), write=False).site
    path = new_file(site, capsys, kind, "Nieuw stuk")
    required = {"case": dict(summary="Kort.", buyer="gemeente-noord", enterprises="[de-soeppan]", category="catering",
                             route="enkelvoudig-onderhands"),
                "enterprise": dict(summary="Kort.", impact="[inclusieve-arbeidsmarkt]",
                                   offerings="[{category: catering, description: Soep}]", location="{municipality: breda}"),
                "organisation": dict(type="gemeente"),
                "procurement": dict(organisation="gemeente-noord", category="catering", expected="2027-Q3"),
                "event": dict(kind="lunchlezing", start="2027-02-01T12:00"),
                "tip": dict(summary="Kort."), "page": dict()}[kind]
    fill(path, draft="false", **required)
    if kind == "case":
        text = path.read_text(encoding="utf-8")
        for heading in ("Aanleiding", "Aanpak", "Resultaat", "Wat werkte en wat schuurde", "Tip voor collega's"):
            text = text.replace(f"## {heading}\n", f"## {heading}\n\nTekst.\n")
        path.write_text(text, encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "--source", str(site), "--strict")
    assert code == 0, err
    after = build(BuildOptions(source=site, today=dt.date.today()), write=False)
    assert after.warnings == []
    assert [(t.label, t.unit, t.total) for t in after.site.impact_overall] == \
        [(t.label, t.unit, t.total) for t in before.impact_overall]  # no example figure in the totals
    pages = b"".join(f.content for f in after.files if f.path.endswith(".html") and b"Nieuw stuk" in (f.content or b""))
    assert pages  # it is published
    for example in ("inkoop@organisatie.nl", "Werkplekken", "10.000", "Opgave leverancier", "Schrijf hier",
                    "Beschrijf de onderneming", "Redactie", "Stadhuis, zaal 2", "Rolstoeltoegankelijk", "[//]"):
        assert example.encode() not in pages, example


# ---------------------------------------------------------------- 4. drafts of every type

DRAFTS = {"enterprise": ("content/enterprises/schoon-en-zo.yaml", "ondernemers/schoon-en-zo/", "Schoon &amp; Zo"),
          "organisation": ("content/organisations/provincie-midden.yaml", "organisaties/provincie-midden/",
                           "Provincie Midden"),
          "event": ("content/events/lunchlezing-soep.md", "bijeenkomsten/lunchlezing-soep/", "Lunchlezing over soep"),
          "procurement": ("content/calendar/drukwerk-jaarverslag.yaml", "", "Drukwerk jaarverslag"),
          "tip": ("content/tips/1-inventariseer.md", "tips/1-inventariseer/", None),
          "page": ("content/pages/over.md", "over/", None)}


@pytest.mark.parametrize("kind", sorted(DRAFTS))
def test_draft_true_works_for_every_type(site, capsys, kind):
    import datetime as dt

    from sitegen.build import BuildOptions, build
    from sitegen.registry import CONTENT_TYPES

    rel, url, name = DRAFTS[kind]
    path = site / rel
    if kind == "organisation":
        path.write_text("name: Provincie Midden\ntype: gemeente\nexample: true\n", encoding="utf-8")
    if kind == "enterprise":  # the story names it in a link of its text too
        replace(site, OTHER_CASE, "[Schoon & Zo](../enterprises/schoon-en-zo.yaml)", "een sociale onderneming")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("example: true", "example: true\ndraft: true", 1) if "example: true" in text
                    else text.replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    with_drafts = build(BuildOptions(source=site, drafts=True, today=dt.date(2026, 11, 26)), write=False)
    listed = getattr(with_drafts.site, CONTENT_TYPES[kind].site_list)
    assert any(item.source == rel for item in listed)
    result = build(BuildOptions(source=site, today=dt.date(2026, 11, 26)))
    assert result.warnings == []
    assert not [item for item in getattr(result.site, CONTENT_TYPES[kind].site_list) if item.source == rel]
    output = site / "output"
    if url:
        assert not (output / url).exists()
    everything = b"".join(p.read_bytes() for p in output.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".js", ".ics"))
    if name:
        assert name.encode() not in everything, f"{rel} is still shown"
    if url:
        assert f'/{url}"'.encode() not in everything and f"/{url}<".encode() not in everything
    if kind == "enterprise":  # no matches, no place in the totals
        assert all(item.slug != "schoon-en-zo" for p in result.site.procurements for item in p.matches)


def test_a_required_reference_may_not_be_a_draft(site, capsys):
    replace(site, "content/organisations/waterschap-zuid.yaml", "example: true", "example: true\ndraft: true")
    replace(site, ENTERPRISE, "example: true", "example: true\ndraft: true")
    problems, _ = check_fails(site, capsys)
    hint = "(zet draft: false in content/organisations/waterschap-zuid.yaml, of maak ook dit bestand een concept)"
    assert problems == [
        f"content/calendar/drukwerk-jaarverslag.yaml:2:15: error: 'organisation' verwijst naar 'waterschap-zuid',"
        f" maar dat is een concept (draft: true) {hint}",
        f"{OTHER_CASE}:5:8: error: 'buyer' verwijst naar 'waterschap-zuid', maar dat is een concept (draft: true) {hint}",
        f"{CASE}:6:14: error: 'enterprises' verwijst naar 'de-soeppan', maar dat is een concept (draft: true)"
        " (zet draft: false in content/enterprises/de-soeppan.yaml, of maak ook dit bestand een concept)",
        "content/cases/verhaal-uit-de-toekomst.md:6:14: error: 'enterprises' verwijst naar 'de-soeppan', maar dat is"
        " een concept (draft: true) (zet draft: false in content/enterprises/de-soeppan.yaml, of maak ook dit bestand"
        " een concept)",
    ]
    assert run_cli(capsys, "check", "--source", str(site), "--drafts")[0] == 0


def test_a_link_to_a_draft_says_so(site, capsys):
    replace(site, "content/enterprises/schoon-en-zo.yaml", "example: true", "example: true\ndraft: true")
    problems, _ = check_fails(site, capsys)
    assert problems == [
        f"{OTHER_CASE}:16:34: error: link naar '../enterprises/schoon-en-zo.yaml': dat is een concept of een verhaal"
        " met een datum in de toekomst, en dat wordt nog niet gepubliceerd (haal de link weg tot het klaar is, of zet"
        " draft: false in dat bestand)"]


# ---------------------------------------------------------------- 8. build says how long, and where it is

class Terminal:
    """A stream that says it is a terminal, and keeps what was written to it."""

    def __init__(self, tty: bool = True):
        self.tty, self.parts = tty, []

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.parts.append(text)

    def flush(self) -> None:
        pass

    @property
    def text(self) -> str:
        return "".join(self.parts)


@pytest.mark.parametrize("tty", [True, False])
def test_a_long_build_shows_its_stage_in_a_terminal_only(site, monkeypatch, tty):
    import sitegen.cli as cli
    from sitegen.config import BuildOptions

    monkeypatch.setattr(cli, "PROGRESS_AFTER", 0.0)  # as if each stage began after two seconds
    out, err = Terminal(tty=False), Terminal(tty=tty)
    assert cli.build_and_report(BuildOptions(source=site), out, err) == 0
    if tty:
        assert err.parts[0].startswith("\rbestanden inlezen: ")
        shown = [part.split(": ")[0].strip("\r ") for part in err.parts if ": " in part]
        assert shown == ["bestanden inlezen", "inhoud controleren", "verbanden en teksten", "pagina's en zoekindex maken",
                         "bestanden schrijven"]
        assert err.text.endswith("\r")  # the line is wiped before the summary
    else:
        assert "\r" not in err.text
    assert re.search(r"0 ongewijzigd; klaar in [0-9]+,[0-9] s\.\n", out.text), out.text


def test_a_quick_build_in_a_terminal_shows_no_progress(site):
    import sitegen.cli as cli
    from sitegen.config import BuildOptions

    out, err = Terminal(tty=False), Terminal()
    assert cli.build_and_report(BuildOptions(source=site), out, err) == 0
    assert err.text == ""


def test_check_counts_its_warnings(site, capsys):
    replace(site, ENTERPRISE, "size: startup", "size: startup\nwebsite_url: https://example.nl\nfax: 1")
    code, out, err = run_cli(capsys, "check", "--source", str(site))
    assert code == 0
    assert out.strip() == ("Geen fouten: 41 pagina's gecontroleerd, met 2 waarschuwingen (zie hierboven; met --strict"
                           " tellen ze als fout).")
    assert len(err.strip().splitlines()) == 2


# ---------------------------------------------------------------- 6. other expected failures: one Dutch line

@pytest.mark.parametrize("command", ["build", "check", "serve"])
def test_a_folder_without_a_site_is_one_line(tmp_path, capsys, command):
    code, out, err = run_cli(capsys, command, "--source", str(tmp_path / "nergens"))
    assert code == 1
    assert err.splitlines() == [f"fout: de map {tmp_path / 'nergens'} bestaat niet (ga in de terminal naar de map van"
                                " de site, of geef die op met --source)"]
    (tmp_path / "leeg").mkdir()
    code, out, err = run_cli(capsys, command, "--source", str(tmp_path / "leeg"))
    assert code == 1 and err.splitlines() == [f"fout: de map {tmp_path / 'leeg'} heeft geen map content/ (ga in de"
                                              " terminal naar de map van de site, of geef die op met --source)"]


def test_an_address_that_is_not_this_computers_is_one_line(site):
    from processes import sitegen

    process = sitegen("serve", "--source", str(site), "--host", "10.255.255.1", "--port", "8000")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert err.splitlines() == ["fout: het adres '10.255.255.1' hoort niet bij deze computer (laat --host weg, dan is het"
                                " 127.0.0.1)"]


# ---------------------------------------------------------------- 5. sitegen new page, sitegen new tip

def test_new_page_and_new_tip(site, capsys):
    code, out, err = run_cli(capsys, "new", "page", "Over ons", "--source", str(site))
    assert (code, out, err) == (0, "Nieuw bestand: content/pages/over-ons.md\n", "")
    code, out, err = run_cli(capsys, "new", "tip", "Begin klein", "--source", str(site))
    assert (code, out, err) == (0, "Nieuw bestand: content/tips/2-begin-klein.md\n", "")
    assert (site / "content/tips/2-begin-klein.md").read_text(encoding="utf-8").startswith(
        "---\nnumber: 2  # Nummer van de tip, 1 tot 5 (verplicht)\ntitle: \"Begin klein\"")
    for number in (3, 4, 5):
        assert run_cli(capsys, "new", "tip", f"Tip {number}", "--source", str(site))[0] == 0
    code, out, err = run_cli(capsys, "new", "tip", "Nog een", "--source", str(site))
    assert code == 1
    assert err == "fout: er zijn al 5 tips (1 tot 5); pas een bestaande tip aan in content/tips\n"


def test_a_file_system_refusal_is_one_line(site, capsys, monkeypatch):
    import errno

    def refuse(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_text", refuse)
    code, out, err = run_cli(capsys, "new", "case", "Soep", "--source", str(site))
    assert code == 1
    assert err.splitlines() == [f"fout: je hebt geen toestemming om hier te schrijven of te lezen ({site}/content/cases/"
                                "soep.md); controleer de map, of kies een andere met --source of --output"]


# ---------------------------------------------------------------- 9. the guide's set-up

def test_the_guides_set_up_covers_powershell_macos_and_linux_without_a_beheerder():
    from sites import REPO

    guide = (REPO / "content/pages/bijdragen.md").read_text(encoding="utf-8")
    set_up = guide.split("## Eenmalig: je computer klaarmaken", 1)[1].split("\n## ", 1)[0]
    for system in ("### Windows (PowerShell)", "### macOS", "### Linux", "### Elke keer dat je een nieuwe terminal opent"):
        assert system in set_up
    windows = set_up.split("### Windows (PowerShell)", 1)[1].split("### macOS", 1)[0]
    assert "py -m venv .venv" in windows and ".venv\\Scripts\\Activate.ps1" in windows
    assert "source .venv/bin/activate" not in windows  # that is for macOS and Linux only
    linux = set_up.split("### Linux", 1)[1].split("###", 1)[0]
    # the commands followed, in this order, in a fresh clone on Linux (see the report of issue 14)
    steps = ["python3 -m venv .venv", "source .venv/bin/activate", "python -m pip install -e .", "sitegen --version",
             "sitegen check"]
    at = [linux.index(step) for step in steps]
    assert at == sorted(at)
    needs = guide.split("## Wat heb je nodig?", 1)[1].split("\n## ", 1)[0]
    assert "beheerder" not in needs + set_up and "python -m sitegen" not in guide


def test_empty_sections_are_headings_with_nothing_under_them():
    from sitegen.load import empty_sections

    body = "## A\n\n## B\ntekst\n### C\n```\n## geen kop\n```\n## D\n\n# E\n"
    assert empty_sections(body) == [(1, "A"), (9, "D"), (11, "E")]
    assert empty_sections("## Kop\n\n### Onder\nTekst.\n#hashtag\n") == []

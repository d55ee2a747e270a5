"""sitegen inventaris: creditor exports matched against the enterprises, and what it writes."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
import yaml

from sitegen.build import BuildOptions, build
from sites import FIXTURES, REPO, copy_mini, copy_site, read_tree, run_cli

EXPORTS = FIXTURES / "exports"
ORGANISATION = "content/organisations/gemeente-noord.yaml"


def test_a_windows_1252_export_with_semicolons_matches_by_kvk_and_by_name(tmp_path, capsys):
    site = copy_mini(tmp_path / "site")
    before = (site / ORGANISATION).read_bytes()
    code, out, err = run_cli(capsys, "inventaris", str(EXPORTS / "crediteuren-2025.csv"), "--organisatie", "gemeente-noord",
                             "--source", str(site))
    assert (code, err) == (0, "")
    assert "  De Soeppan (de-soeppan): op KvK-nummer 90000017; € 1.250,50, 1,3 % van het totaal; 2025" in out
    assert ("  Schoon & Zo (schoon-en-zo): op naam 'Stichting Schoon & Zo' (gelijk zonder rechtsvorm en leestekens); "
            "€ 3.000, 3,0 % van het totaal; 2025") in out
    assert "crediteuren-2025.csv:5:2: 'Schoon en Zoo Café' lijkt op Schoon & Zo (" in out  # read as Windows-1252
    assert "Bouwbedrijf" not in out
    assert "2 sociale ondernemingen, € 4.250,50, 4,3 % van de bestedingen" in out
    assert (site / ORGANISATION).read_bytes() == before  # a dry run by default


def test_a_comma_export_with_dates_and_decimal_points(tmp_path, capsys):
    site = copy_mini(tmp_path / "site")
    code, out, _ = run_cli(capsys, "inventaris", str(EXPORTS / "creditors-2025.csv"), "--organisatie", "gemeente-noord",
                           "--source", str(site))
    assert code == 0
    assert "De Soeppan (de-soeppan): op naam 'De Soeppan' (gelijk zonder rechtsvorm en leestekens); € 2.000, 20,0 % " \
           "van het totaal; 2024, 2025" in out
    assert "1 sociale onderneming, € 2.000, 20,0 % van de bestedingen" in out


def _xlsx(path, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Blad1"
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_an_xlsx_export_with_numbers_and_a_kvk_that_lost_its_leading_zero(tmp_path, capsys):
    site = copy_mini(tmp_path / "site")
    text = (site / "content/enterprises/schoon-en-zo.yaml").read_text()
    (site / "content/enterprises/schoon-en-zo.yaml").write_text(text.replace("name: Schoon & Zo", 'name: Schoon & Zo\nkvk: "01234567"'))
    export = _xlsx(tmp_path / "crediteuren.xlsx", [["Leverancier", "KvK", "Totaal", "Jaar"],
                                                   ["Schoonmaakbedrijf SZ", 1234567, 4000, 2025],
                                                   ["Andere leverancier", None, 6000.0, 2025]])
    code, out, _ = run_cli(capsys, "inventaris", str(export), "--organisatie", "gemeente-noord", "--source", str(site))
    assert code == 0
    assert "Schoon & Zo (schoon-en-zo): op KvK-nummer 01234567; € 4.000, 40,0 % van het totaal; 2025" in out


def test_an_ambiguous_name_is_listed_and_not_written(tmp_path, capsys):
    site = copy_mini(tmp_path / "site")
    text = (site / "content/enterprises/de-soeppan.yaml").read_text().replace("name: De Soeppan", "name: Soeppan B.V.")
    (site / "content/enterprises/soeppan-tilburg.yaml").write_text(text.replace('kvk: "90000017"', 'kvk: "90000024"'))
    export = tmp_path / "c.csv"
    export.write_text("Naam;Bedrag;Jaar\nStichting De Soeppan;100,00;2025\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "inventaris", str(export), "--organisatie", "gemeente-noord", "--source", str(site),
                           "--schrijf")
    assert code == 0
    assert "c.csv:2:1: 'Stichting De Soeppan' past bij meer dan één onderneming: De Soeppan (100 %), Soeppan B.V. (100 %)" in out
    assert "\n0 sociale ondernemingen\n" in out
    suppliers = yaml.safe_load((site / ORGANISATION).read_text())["suppliers"]
    assert suppliers == [{"enterprise": "schoon-en-zo", "year": 2024, "amount": 1500}]


def test_schrijf_updates_only_the_suppliers_block_and_amounts_only_with_bedragen(tmp_path, capsys):
    site = copy_mini(tmp_path / "site")
    path = site / ORGANISATION
    path.write_text("# Door de redactie bijgehouden\n" + path.read_text().replace("region: west-brabant",
                                                                                  "region: west-brabant  # regio"))
    args = ("inventaris", str(EXPORTS / "crediteuren-2025.csv"), "--organisatie", "gemeente-noord", "--source", str(site))
    code, out, _ = run_cli(capsys, *args, "--schrijf")
    assert code == 0
    assert "Bijgewerkt: content/organisations/gemeente-noord.yaml (suppliers: 2 nieuw, 0 bijgewerkt, 1 ongewijzigd, " \
           "zonder bedragen)." in out
    text = path.read_text()
    assert text.startswith("# Door de redactie bijgehouden\nname: Gemeente Noord\n")
    assert "region: west-brabant  # regio\n" in text
    assert text.endswith("suppliers:\n  - {enterprise: de-soeppan, year: 2025}\n"
                         "  - {enterprise: schoon-en-zo, year: 2025}\n  - {enterprise: schoon-en-zo, year: 2024, amount: 1500}\n")
    code, out, _ = run_cli(capsys, *args, "--schrijf", "--bedragen")
    assert "(suppliers: 0 nieuw, 2 bijgewerkt, 1 ongewijzigd, met bedragen)" in out
    assert yaml.safe_load(path.read_text())["suppliers"][0] == {"enterprise": "de-soeppan", "year": 2025, "amount": 1251}
    code, out, _ = run_cli(capsys, *args, "--schrijf", "--bedragen")
    assert "(suppliers: 0 nieuw, 0 bijgewerkt, 3 ongewijzigd, met bedragen)" in out


def test_bad_exports_are_errors_with_their_row_and_column(tmp_path, capsys):
    site = copy_mini(tmp_path / "site")
    before = (site / ORGANISATION).read_bytes()
    cases = {
        "geen-naam.csv": ("KvK-nummer;Bedrag\n90000017;12,00\n",
                          "geen-naam.csv:1:1: fout: de kolom 'Naam' ontbreekt in de kopregel"),
        "bedrag.csv": ("Naam;Bedrag\nDe Soeppan;12,00\nSchoon & Zo;twaalf euro\n",
                       "bedrag.csv:3:2: fout: onleesbaar bedrag 'twaalf euro' (schrijf een bedrag zoals 1234,50 of "
                       "1.234,50, zonder tekst erbij)"),
        "leeg.csv": ("", "leeg.csv:1:1: fout: het bestand is leeg (exporteer de lijst opnieuw, met een kopregel en "
                         "daaronder de regels)"),
        "alleen-kop.csv": ("Naam;Bedrag\n", "alleen-kop.csv:1:1: fout: er staan geen regels onder de kopregel"),
    }
    for name, (text, message) in cases.items():
        export = tmp_path / name
        export.write_text(text, encoding="utf-8")
        code, out, err = run_cli(capsys, "inventaris", str(export), "--organisatie", "gemeente-noord",
                                 "--source", str(site), "--schrijf")
        assert code == 1, name
        assert message in err, name
        assert out == ""
    export = _xlsx(tmp_path / "bedrag.xlsx", [["Naam", "Bedrag"], ["De Soeppan", "abc"]])
    code, _, err = run_cli(capsys, "inventaris", str(export), "--organisatie", "gemeente-noord", "--source", str(site))
    assert code == 1
    assert "bedrag.xlsx:Blad1!B2: fout: onleesbaar bedrag 'abc'" in err
    (tmp_path / "kapot.xlsx").write_text("geen Excel", encoding="utf-8")
    code, _, err = run_cli(capsys, "inventaris", str(tmp_path / "kapot.xlsx"), "--organisatie", "gemeente-noord",
                           "--source", str(site))
    assert (code, err.splitlines()[0]) == (1, "kapot.xlsx: fout: kan het bestand niet lezen als Excel-bestand (.xlsx) "
                                              "(open het in Excel en sla het opnieuw op, of exporteer het als CSV)")
    export = tmp_path / "kvk-naam.csv"
    export.write_text("Naam;Kvk\nDe Soeppan;90000017\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "inventaris", str(export), "--organisatie", "gemeente-nord", "--source", str(site))
    assert code == 1
    assert "--organisatie: fout: onbekende organisatie 'gemeente-nord': content/organisations/gemeente-nord.yaml " \
           "bestaat niet (bedoelde je 'gemeente-noord'?)" in err
    assert (site / ORGANISATION).read_bytes() == before


def test_a_kvk_number_is_checked_and_unique_across_enterprises_and_organisations(tmp_path, capsys):
    site = copy_mini(tmp_path / "site")
    path = site / ORGANISATION
    path.write_text(path.read_text().replace("type: gemeente", 'type: gemeente\nkvk: "90000017"'))
    enterprise = site / "content/enterprises/schoon-en-zo.yaml"
    enterprise.write_text(enterprise.read_text().replace("name: Schoon & Zo", "name: Schoon & Zo\nkvk: 1234"))
    code, _, err = run_cli(capsys, "check", "--source", str(site))
    assert code == 1
    assert ("content/enterprises/schoon-en-zo.yaml:2:6: error: '1234' in 'kvk' is geen geldig KvK-nummer (zet het "
            "nummer tussen aanhalingstekens, zeker als het met een 0 begint: kvk: \"01234567\")") in err
    assert ("content/organisations/gemeente-noord.yaml:3:6: error: KvK-nummer 90000017 staat ook in "
            "content/enterprises/de-soeppan.yaml") in err


def test_the_organisation_page_shows_koopt_al_bij_and_amounts_only_with_bedragen(tmp_path, capsys):
    site = copy_site(tmp_path / "site")
    export = tmp_path / "crediteuren.csv"
    export.write_bytes("Naam;KvK-nummer;Bedrag;Jaar\nStichting Soepatelier Overschot;;2.500,00;2025\n"
                       "Poetsploeg Sterrenschoon B.V.;;7.500,00;2025\n".encode("cp1252"))
    page = site / "output/organisaties/gemeente-kempenhoeve/index.html"
    for flags, amount_shown in (((), False), (("--bedragen",), True)):
        code, _, err = run_cli(capsys, "inventaris", str(export), "--organisatie", "gemeente-kempenhoeve",
                               "--source", str(site), "--schrijf", *flags)
        assert code == 0, err
        build(BuildOptions(source=site, today=dt.date(2026, 11, 26), use_cache=False))
        html = page.read_text()
        assert '<h2 id="suppliers-title">Koopt al bij</h2>' in html
        assert "Poetsploeg Sterrenschoon</a>" in html and "Soepatelier Overschot</a>" in html
        assert ("€ 7.500" in html) is amount_shown
    assert not (REPO / "content/organisations/gemeente-kempenhoeve.yaml").read_text().count("suppliers")


def test_a_rebuild_after_schrijf_and_after_renaming_a_supplier_equals_a_clean_build(tmp_path, capsys):
    site = copy_site(tmp_path / "site")
    today = dt.date(2026, 11, 26)
    build(BuildOptions(source=site, today=today))
    export = tmp_path / "crediteuren.csv"
    export.write_text("Naam,Bedrag,Jaar\nKlusbedrijf Timmerkracht B.V.,\"1,000.00\",2026\n", encoding="utf-8")
    assert run_cli(capsys, "inventaris", str(export), "--organisatie", "gemeente-kempenhoeve", "--source", str(site),
                   "--schrijf", "--bedragen")[0] == 0
    page = "organisaties/gemeente-kempenhoeve/index.html"
    for step in ("schrijf", "rename"):
        if step == "rename":
            path = site / "content/enterprises/klusbedrijf-timmerkracht.yaml"
            path.write_text(path.read_text().replace("name: Klusbedrijf Timmerkracht", "name: Timmerkracht Klussen"))
        build(BuildOptions(source=site, today=today))
        clean = tmp_path / f"clean-{step}"
        build(BuildOptions(source=site, output=clean, today=today, use_cache=False))
        assert read_tree(site / "output") == read_tree(clean)
        html = (clean / page).read_text()
        assert ("Timmerkracht Klussen</a>" in html) is (step == "rename")
        assert "(€ 1.000)" in html


def test_the_enterprise_profile_shows_its_kvk_number(tmp_path):
    output = tmp_path / "output"
    build(BuildOptions(source=REPO, output=output, today=dt.date(2026, 11, 26), use_cache=False))
    html = (output / "ondernemers/de-kansenpan/index.html").read_text()
    assert "<div><dt>KvK-nummer</dt><dd>90002222</dd></div>" in html


def test_a_name_that_fits_but_a_kvk_number_that_does_not_is_a_doubt(tmp_path, capsys):
    site = copy_mini(tmp_path / "site")
    export = tmp_path / "c.csv"
    export.write_text("Naam;KvK;Bedrag\nDe Soeppan;99999999;10\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "inventaris", str(export), "--organisatie", "gemeente-noord", "--source", str(site))
    assert code == 0
    assert ("c.csv:2:1: 'De Soeppan' heeft KvK-nummer 99999999, maar De Soeppan (100 %) heeft 90000017 "
            "(controleer welk nummer klopt)") in out


@pytest.mark.parametrize("command", [("inventaris",), ("import", "kalender")])
def test_the_commands_have_dutch_help_with_an_example(capsys, command):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(capsys, *command, "--help")
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "voorbeeld:\n  sitegen " + " ".join(command) in out and "--organisatie SLUG" in out

"""sitegen import kalender: a procurement plan turned into calendar files, and imported again."""

from __future__ import annotations

import datetime as dt

import openpyxl
import yaml

from sitegen.build import BuildOptions, build
from sites import FIXTURES, copy_mini, run_cli

PLAN = FIXTURES / "exports" / "inkoopplanning.csv"
SLUG = "gemeente-noord-soep-voor-de-raadsvergaderingen"


def test_a_plan_is_a_dry_run_first_then_written_built_and_updated(tmp_path, capsys):
    site = copy_mini(tmp_path / "site")
    args = ("import", "kalender", str(PLAN), "--organisatie", "gemeente-noord", "--source", str(site))
    code, out, err = run_cli(capsys, *args)
    assert (code, err) == (0, "")
    assert f"Zou maken: content/calendar/{SLUG}.yaml\n    title: Soep voor de raadsvergaderingen\n" in out
    assert "Dit was een proefrun: er is niets geschreven." in out
    assert not (site / f"content/calendar/{SLUG}.yaml").exists()

    assert run_cli(capsys, *args, "--schrijf")[0] == 0
    data = yaml.safe_load((site / f"content/calendar/{SLUG}.yaml").read_text())
    assert data["category"] == "catering" and data["expected"] == "2027-Q3" and data["procedure"] == "onbekend"
    assert data["estimated_value"] == {"min": 20000, "max": 30000} and data["area"] == "west-brabant"
    assert data["contact"] == {"role": "Inkoopadviseur", "email": "inkoop@noord.example.nl"}
    second = yaml.safe_load((site / "content/calendar/gemeente-noord-schoonmaak-van-de-bibliotheek.yaml").read_text())
    assert second["expected"] == dt.date(2028, 3, 1) and second["estimated_value"] == 45000

    output = tmp_path / "output"
    build(BuildOptions(source=site, output=output, today=dt.date(2026, 11, 26), use_cache=False))
    calendar = (output / "kalender/index.html").read_text()
    assert f'<p id="{SLUG}">Soep voor de raadsvergaderingen: € 20.000 tot € 30.000; past bij de-soeppan schoon-en-zo' in calendar
    assert '<p id="gemeente-noord-schoonmaak-van-de-bibliotheek">Schoonmaak van de bibliotheek: € 45.000; past bij schoon-en-zo' in calendar

    path = site / f"content/calendar/{SLUG}.yaml"
    path.write_text(path.read_text() + "description: Door de redactie geschreven.\n")
    changed = tmp_path / "inkoopplanning-2.csv"
    changed.write_text(PLAN.read_text().replace("Q3 2027", "2027-Q4").replace("20.000 - 30.000", "25.000 - 35.000"))
    code, out, _ = run_cli(capsys, "import", "kalender", str(changed), "--organisatie", "gemeente-noord",
                           "--source", str(site), "--schrijf")
    assert code == 0
    assert (f"Bijgewerkt: content/calendar/{SLUG}.yaml\n    expected: 2027-Q3 -> 2027-Q4\n"
            "    estimated_value: {min: 20000, max: 30000} -> {min: 25000, max: 35000}\n") in out
    assert "2 inkopen in inkoopplanning-2.csv: 0 nieuw, 1 bijgewerkt, 1 ongewijzigd." in out
    assert "Niet in dit plan: content/calendar/catering-stadskantoor.yaml" in out
    data = yaml.safe_load(path.read_text())
    assert data["expected"] == "2027-Q4" and data["description"] == "Door de redactie geschreven."


def test_plan_errors_name_the_sheet_and_cell_with_a_did_you_mean(tmp_path, capsys):
    site = copy_mini(tmp_path / "site")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Blad1"
    sheet.append(["Titel", "Categorie", "Verwacht", "Procedure"])
    sheet.append(["Drukwerk jaarverslag", "Drukwerkk", dt.datetime(2027, 5, 1), "onbekend"])
    sheet.append(["Koffie", "Catering", "volgend jaar", "Nog onbekent"])
    workbook.save(tmp_path / "plan.xlsx")
    code, out, err = run_cli(capsys, "import", "kalender", str(tmp_path / "plan.xlsx"), "--organisatie", "gemeente-noord",
                             "--source", str(site), "--schrijf")
    assert code == 1 and out == ""
    assert "plan.xlsx:Blad1!B2: fout: onbekende categorie 'Drukwerkk' (bedoelde je 'Drukwerk'?)" in err
    assert "plan.xlsx:Blad1!C3: fout: onleesbare datum of kwartaal 'volgend jaar'" in err
    assert "plan.xlsx:Blad1!D3: fout: onbekende procedure 'Nog onbekent' (bedoelde je 'Nog onbekend'?)" in err
    assert sorted(p.name for p in (site / "content/calendar").iterdir()) == ["catering-stadskantoor.yaml",
                                                                           "drukwerk-jaarverslag.yaml"]

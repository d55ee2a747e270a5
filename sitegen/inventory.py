"""Tip 1, the inventory: a creditor export (a `sheets.Table`) matched against the enterprises.

Hands the CLI an `Inventory` (matches by KvK number or name, doubts for the editor, totals)
and the organisation file's text with its `suppliers:` block updated (`update_suppliers`)."""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml

from .fields import normal_kvk
from .sheets import (Column, SheetError, SheetProblem, Table, find_columns, fold, format_euro, format_share,
                     organisation_file, parse_amount, parse_year, read_table, write_text)

CREDITOR_COLUMNS = {
    # The first name in each list wins when a file has more than one of them.
    "name": Column("Naam", ("Crediteurnaam", "Naam crediteur", "Leveranciersnaam", "Naam leverancier", "Relatienaam",
                            "Bedrijfsnaam", "Crediteur", "Leverancier", "Relatie", "Name", "Supplier name", "Supplier",
                            "Vendor name", "Vendor", "Creditor name", "Creditor", "Company"), required=True),
    "kvk": Column("KvK-nummer", ("KvK", "KvK-nr", "KvK nummer", "Kamer van Koophandel", "CoC number", "CoC",
                                 "Chamber of Commerce number", "Chamber of Commerce")),
    "amount": Column("Bedrag", ("Totaal", "Totaalbedrag", "Bedrag excl. btw", "Bedrag excl btw", "Besteed",
                                "Uitgaven", "Amount", "Total", "Total amount", "Spend", "Spent")),
    "year": Column("Jaar", ("Boekjaar", "Year", "Fiscal year")),
    "date": Column("Datum", ("Boekdatum", "Factuurdatum", "Betaaldatum", "Date", "Invoice date", "Payment date")),
}

# Legal forms and articles say nothing about who a creditor is; "B.V." has lost its dots by then.
LEGAL_FORMS = frozenset({"stichting", "bv", "nv", "vof", "cv", "cooperatie", "coop", "ua", "wa", "ba", "vereniging",
                         "maatschap", "eenmanszaak", "holding", "bvba", "ltd", "gmbh", "inc"})
ARTICLES = frozenset({"de", "het", "t"})
MATCH_AT = 0.95  # a name this similar to exactly one enterprise is that enterprise
NEAR_AT = 0.75  # a name this similar is listed for the editor, never taken
AMBIGUOUS_WITHIN = 0.05  # two enterprises this close to each other: the editor decides
TOTAL_ROWS = frozenset({"totaal", "total", "subtotaal", "eindtotaal", "grandtotal"})


@dataclass(frozen=True)
class Creditor:
    """One row of the export."""

    where: str  # the row's name cell, e.g. crediteuren.csv:7:2
    name: str
    kvk: str | None
    amount: float | None
    year: int | None


@dataclass(frozen=True)
class Candidate:
    """An enterprise of the site, as matching sees it."""

    slug: str
    name: str
    kvk: str | None
    source: str  # content/enterprises/<slug>.yaml

    @property
    def key(self) -> str:
        return name_key(self.name)


@dataclass
class Match:
    """An enterprise found in the export, with every row that is it."""

    enterprise: Candidate
    how: str  # "kvk" or "naam"
    score: float  # the name similarity; 1 for a KvK match
    creditors: list[Creditor] = field(default_factory=list)

    @property
    def amount(self) -> float | None:
        amounts = [creditor.amount for creditor in self.creditors if creditor.amount is not None]
        return sum(amounts) if amounts else None

    @property
    def years(self) -> list[int]:
        return sorted({creditor.year for creditor in self.creditors if creditor.year is not None})

    def amount_in(self, year: int) -> float:
        return sum(c.amount for c in self.creditors if c.year == year and c.amount is not None)

    @property
    def kvk_to_add(self) -> str | None:
        """A KvK number the export knows and the enterprise's file lacks."""
        if self.enterprise.kvk:
            return None
        return next((creditor.kvk for creditor in self.creditors if creditor.kvk), None)


@dataclass
class Doubt:
    """A creditor that looks like an enterprise, but not surely enough to be taken."""

    creditor: Creditor
    kind: str  # "bijna" (near), "twijfel" (ambiguous) or "kvk" (the name fits, the number not)
    candidates: list[tuple[Candidate, float]]
    rows: int = 1


@dataclass
class Inventory:
    matches: list[Match]
    doubts: list[Doubt]
    rows: int  # rows read (without total rows)
    creditors: int  # different creditors
    total: float | None  # every amount in the export added up; None without an amount column

    @property
    def matched_amount(self) -> float | None:
        amounts = [match.amount for match in self.matches if match.amount is not None]
        return sum(amounts) if amounts else None


def name_key(name: str) -> str:
    """A name as compared: folded, without punctuation, legal forms or a leading article."""
    text = fold(name).replace("&", " en ").replace("'t ", "het ")
    text = re.sub(r"(?<=\w)\.(?=\w)|\.", "", text)  # B.V. -> bv, v.o.f. -> vof
    words = [word for word in re.split(r"[^a-z0-9]+", text) if word and word not in LEGAL_FORMS]
    while len(words) > 1 and words[0] in ARTICLES:
        words.pop(0)
    return " ".join(words)


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio() if a and b else 0.0


# ---------------------------------------------------------------- reading

def read_creditors(table: Table, year: int | None = None) -> list[Creditor]:
    """The creditors of an export; every unreadable cell is a problem, all raised together."""
    columns = find_columns(table, CREDITOR_COLUMNS, "een crediteurenlijst")
    problems: list[SheetProblem] = []
    creditors = []
    for row, cells in columns.data_rows:
        name = columns.get(cells, "name")
        name_text = str(name).strip() if name is not None else ""
        if not name_text or name_key(name_text).replace(" ", "") in TOTAL_ROWS:
            continue  # a total or an empty line under the list, which finance systems add
        amount = None
        raw_amount = columns.get(cells, "amount")
        if raw_amount is not None:
            try:
                amount = parse_amount(raw_amount)
            except ValueError:
                problems.append(SheetProblem(table.where(row, columns.index["amount"]),
                                             f"onleesbaar bedrag '{raw_amount}'",
                                             "schrijf een bedrag zoals 1234,50 of 1.234,50, zonder tekst erbij"))
                continue
        row_year = year
        for column in ("year", "date"):
            raw_year = columns.get(cells, column)
            if raw_year is not None:
                try:
                    row_year = parse_year(raw_year)
                except ValueError:
                    problems.append(SheetProblem(table.where(row, columns.index[column]),
                                                 f"onleesbaar jaar of datum '{raw_year}'",
                                                 "schrijf een jaar zoals 2025 of een datum zoals 31-12-2025"))
                break
        creditors.append(Creditor(table.where(row, columns.index["name"]), name_text, _kvk_of(columns.get(cells, "kvk")),
                                  amount, row_year))
    if problems:
        raise SheetError(problems)
    return creditors


def _kvk_of(value: Any) -> str | None:
    """The KvK number of a cell; spreadsheets drop a leading zero, so seven digits get it back."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"[\s.]", "", str(value))
    if re.fullmatch(r"\d{7}", text):
        text = "0" + text
    return normal_kvk(text)


# ---------------------------------------------------------------- matching

def match_creditors(creditors: list[Creditor], enterprises: list[Candidate]) -> Inventory:
    """Each creditor to an enterprise by KvK number, else by name; doubts are only listed."""
    by_kvk = {enterprise.kvk: enterprise for enterprise in enterprises if enterprise.kvk}
    keys = [(enterprise, enterprise.key) for enterprise in enterprises]
    matches: dict[str, Match] = {}
    doubts: dict[tuple[str, str], Doubt] = {}
    scored: dict[str, list[tuple[Candidate, float]]] = {}
    for creditor in creditors:
        if creditor.kvk and creditor.kvk in by_kvk:
            enterprise = by_kvk[creditor.kvk]
            match = matches.setdefault(enterprise.slug, Match(enterprise, "kvk", 1.0))
            if match.how != "kvk":
                match.how, match.score = "kvk", 1.0
            match.creditors.append(creditor)
            continue
        key = name_key(creditor.name)
        if key not in scored:
            ranked = sorted(((enterprise, similarity(key, enterprise_key)) for enterprise, enterprise_key in keys),
                            key=lambda entry: (-entry[1], entry[0].name))
            scored[key] = [entry for entry in ranked if entry[1] >= NEAR_AT]
        candidates = scored[key]
        if not candidates:
            continue
        best, score = candidates[0]
        close = [entry for entry in candidates if entry[1] >= score - AMBIGUOUS_WITHIN]
        if score >= MATCH_AT and len(close) > 1:
            kind = "twijfel"
        elif score >= MATCH_AT and best.kvk and creditor.kvk and best.kvk != creditor.kvk:
            kind = "kvk"
        elif score >= MATCH_AT:
            match = matches.setdefault(best.slug, Match(best, "naam", score))
            if match.how == "naam":
                match.score = min(match.score, score)
            match.creditors.append(creditor)
            continue
        else:
            kind = "bijna"
        doubt_key = (key, kind)
        if doubt_key in doubts:
            doubts[doubt_key].rows += 1
        else:
            doubts[doubt_key] = Doubt(creditor, kind, close if kind == "twijfel" else candidates[:1])
    amounts = [creditor.amount for creditor in creditors if creditor.amount is not None]
    return Inventory(
        matches=sorted(matches.values(), key=lambda match: match.enterprise.name.lower()),
        doubts=list(doubts.values()), rows=len(creditors),
        creditors=len({creditor.kvk or name_key(creditor.name) for creditor in creditors}),
        total=sum(amounts) if amounts else None)


# ---------------------------------------------------------------- the organisation's suppliers

@dataclass(frozen=True)
class SupplierChanges:
    text: str  # the organisation file with its new suppliers: block
    added: list[str]  # "slug year", for the report
    updated: list[str]
    kept: int  # entries this run did not touch (other years, added by hand, unchanged)


def merged_suppliers(existing: list[dict], inventory: Inventory, with_amounts: bool) -> tuple[list[dict], list[str], list[str]]:
    """The file's supplier entries with this run's: an entry for the same enterprise and year is
    replaced; the others stay, as an editor may have added them by hand."""
    entries = [dict(entry) for entry in existing if isinstance(entry, dict)]
    position = {(entry.get("enterprise"), entry.get("year")): number for number, entry in enumerate(entries)}
    added, updated = [], []
    for match in inventory.matches:
        for year in match.years:
            entry: dict[str, Any] = {"enterprise": match.enterprise.slug, "year": year}
            if with_amounts and any(c.amount is not None for c in match.creditors if c.year == year):
                entry["amount"] = math.floor(match.amount_in(year) + 0.5)  # whole euros, half up
            number = position.get((entry["enterprise"], year))
            if number is None:
                position[(entry["enterprise"], year)] = len(entries)
                entries.append(entry)
                added.append(f"{entry['enterprise']} {year}")
            elif entries[number] != entry:
                entries[number] = entry
                updated.append(f"{entry['enterprise']} {year}")
    entries.sort(key=lambda entry: (str(entry.get("enterprise")), -int(entry.get("year") or 0)))
    return entries, added, updated


def update_suppliers(text: str, inventory: Inventory, with_amounts: bool) -> SupplierChanges:
    """The organisation file's text with only its `suppliers:` block written again; every other
    line stays as the editor wrote it. Raises ValueError when the result would read differently."""
    before = yaml.safe_load(text) or {}
    if not isinstance(before, dict):
        raise ValueError("het organisatiebestand is geen lijst van velden")
    existing = before.get("suppliers") or []
    if not isinstance(existing, list):
        raise ValueError("'suppliers' in het organisatiebestand is geen lijst")
    entries, added, updated = merged_suppliers(existing, inventory, with_amounts)
    block = ["suppliers:"] + [
        "  - {" + ", ".join(f"{key}: {yaml_scalar(value)}" for key, value in entry.items()) + "}" for entry in entries]
    new_text = replace_block(text, "suppliers", block if entries else ["suppliers: []"])
    after = yaml.safe_load(new_text)
    # The text edit must change nothing but the list: check it by reading both.
    if {k: v for k, v in after.items() if k != "suppliers"} != {k: v for k, v in before.items() if k != "suppliers"} \
            or (after.get("suppliers") or []) != entries:
        raise ValueError("de lijst 'suppliers' kon niet veilig worden bijgewerkt")
    return SupplierChanges(new_text, added, updated, len(entries) - len(added) - len(updated))


def replace_block(text: str, key: str, block: list[str]) -> str:
    """`text` with the top-level `key:` and what belongs to it replaced by `block` (lines),
    or with `block` added at the end when the key is not there yet."""
    lines = text.splitlines()
    start = next((number for number, line in enumerate(lines) if re.match(rf"{re.escape(key)}\s*:", line)), None)
    if start is None:
        while lines and not lines[-1].strip():
            lines.pop()
        return "\n".join(lines + block) + "\n"
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t-"):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1  # blank lines after the block belong to what follows
    return "\n".join(lines[:start] + block + lines[end:]) + "\n"


def yaml_scalar(value: Any) -> str:
    """A value as one line of YAML that reads back as the same value."""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, sort_keys=False, width=1_000_000)
    return dumped.strip().removesuffix("...").strip()


# ---------------------------------------------------------------- the command

def candidates_of(items) -> list[Candidate]:
    """The enterprises among a site's checked files (`schema.ValidItem`s)."""
    return [Candidate(item.file.slug, item.data["name"], item.data.get("kvk"), item.file.rel)
            for item in items if item.file.kind == "enterprise"]


def report(inventory: Inventory, organisation: str, export: str) -> list[str]:
    """What the command prints, in Dutch."""
    rows = f"{inventory.rows} {'regel' if inventory.rows == 1 else 'regels'}"
    creditors = f"{inventory.creditors} {'crediteur' if inventory.creditors == 1 else 'crediteuren'}"
    lines = [f"Inventaris van {organisation} uit {export}: {rows}, {creditors}.", ""]
    total = inventory.total
    if inventory.matches:
        lines.append("Sociale ondernemingen in de lijst:")
        for match in inventory.matches:
            how = (f"op KvK-nummer {match.enterprise.kvk}" if match.how == "kvk"
                   else f"op naam '{match.creditors[0].name}'"
                   + (" (gelijk zonder rechtsvorm en leestekens)" if match.score == 1 else
                      f" ({round(match.score * 100)} % gelijk)"))
            parts = [f"  {match.enterprise.name} ({match.enterprise.slug}): {how}"]
            if match.amount is not None:
                share = f", {format_share(match.amount / total)} van het totaal" if total else ""
                parts.append(f"{format_euro(match.amount)}{share}")
            if match.years:
                parts.append(", ".join(map(str, match.years)))
            lines.append("; ".join(parts))
            if match.kvk_to_add:
                lines.append(f"    tip: zet kvk: \"{match.kvk_to_add}\" in {match.enterprise.source}, "
                             "dan vindt de volgende inventaris deze onderneming op nummer")
    else:
        lines.append("Geen sociale ondernemingen gevonden in de lijst.")
    if inventory.doubts:
        lines += ["", "Controleer zelf (niet meegenomen):"]
        for doubt in inventory.doubts:
            creditor = doubt.creditor
            rows = f" ({doubt.rows} regels)" if doubt.rows > 1 else ""
            named = ", ".join(f"{c.name} ({round(score * 100)} %)" for c, score in doubt.candidates)
            if doubt.kind == "twijfel":
                text = f"'{creditor.name}'{rows} past bij meer dan één onderneming: {named}"
                hint = "zet het KvK-nummer in het bestand van de juiste onderneming"
            elif doubt.kind == "kvk":
                text = (f"'{creditor.name}'{rows} heeft KvK-nummer {creditor.kvk}, maar {named} heeft "
                        f"{doubt.candidates[0][0].kvk}")
                hint = "controleer welk nummer klopt"
            else:
                text = f"'{creditor.name}'{rows} lijkt op {named}"
                hint = (f"is het dezelfde? zet dan kvk: \"{creditor.kvk}\" in {doubt.candidates[0][0].source}"
                        if creditor.kvk and not doubt.candidates[0][0].kvk
                        else f"is het dezelfde? neem dan de kolom KvK-nummer op in de export en zet het nummer ook "
                             f"in {doubt.candidates[0][0].source}")
            lines.append(f"  {creditor.where}: {text} ({hint})")
    lines += ["", summary_line(inventory)]
    return lines


def summary_line(inventory: Inventory) -> str:
    """3 sociale ondernemingen, € 48.200, 0,4 % van de bestedingen"""
    count = len(inventory.matches)
    parts = [f"{count} sociale {'onderneming' if count == 1 else 'ondernemingen'}"]
    matched = inventory.matched_amount
    if matched is not None:
        parts.append(format_euro(matched))
        if inventory.total:
            parts.append(f"{format_share(matched / inventory.total)} van de bestedingen")
    return ", ".join(parts)


def checked_content(source: Path, err: TextIO):
    """The site's checked content (schema.ValidContent), or None after printing its errors:
    the spreadsheet commands write only into content that is right."""
    from .errors import BuildFailed, format_report
    from .schema import check_source
    try:
        return check_source(source)
    except BuildFailed as error:
        print(format_report(error.problems), file=err)
        print("Los eerst de fouten in content/ op; er is niets geschreven.", file=err)
        return None


def run_inventory(source: Path, export: Path, organisation: str, write: bool, with_amounts: bool,
                  year: int | None, out: TextIO, err: TextIO) -> int:
    """`sitegen inventaris`: read, match, print, and with `write` update the organisation's file."""
    valid = checked_content(source, err)
    if valid is None:
        return 1
    try:
        organisation_item = organisation_file(valid.items, organisation)
        inventory = match_creditors(read_creditors(read_table(export), year), candidates_of(valid.items))
        if with_amounts and inventory.total is None:
            raise SheetError([SheetProblem(export.name, "--bedragen vraagt om een kolom 'Bedrag'",
                                           "exporteer de lijst met bedragen, of laat --bedragen weg")])
        if write and any(not match.years for match in inventory.matches):
            raise SheetError([SheetProblem(export.name, "de lijst heeft geen kolom 'Jaar' of 'Datum'",
                                           "geef het jaar op met --jaar, bijvoorbeeld --jaar 2025")])
    except SheetError as error:
        for problem in error.problems:
            print(problem.format(), file=err)
        print("Er is niets geschreven.", file=err)
        return 1
    print("\n".join(report(inventory, organisation_item.data["name"], export.name)), file=out)
    if not write:
        print("Dit was een proefrun: er is niets geschreven. Zet de gevonden ondernemingen bij de organisatie met "
              "--schrijf.", file=out)
        return 0
    path = source / organisation_item.file.rel
    try:
        changes = update_suppliers(path.read_text(encoding="utf-8"), inventory, with_amounts)
    except (ValueError, yaml.YAMLError) as error:
        print(f"{organisation_item.file.rel}:1:1: fout: {error} (zet de lijst 'suppliers' zelf recht en probeer "
              "het opnieuw)", file=err)
        return 1
    try:
        write_text(path, changes.text, organisation_item.file.rel)
    except SheetError as error:
        print("\n".join(problem.format() for problem in error.problems), file=err)
        return 1
    print(f"Bijgewerkt: {organisation_item.file.rel} (suppliers: {len(changes.added)} nieuw, "
          f"{len(changes.updated)} bijgewerkt, {changes.kept} ongewijzigd"
          f"{', met bedragen' if with_amounts else ', zonder bedragen'}).", file=out)
    return 0

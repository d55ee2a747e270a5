"""Tip 4, the calendar: a buyer's procurement plan (a `sheets.Table`) turned into calendar files.

Hands the CLI the planned purchases checked against the vocabulary (`read_plan`) and, per
purchase, the text of its `content/calendar/<slug>.yaml`: new, or with the plan's fields updated."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml

from .errors import did_you_mean
from .fields import EMAIL_PATTERN, QUARTER_PATTERN, URL_PATTERN, parse_date
from .inventory import checked_content, replace_block, yaml_scalar
from .sheets import (Column, SheetError, SheetProblem, Table, find_columns, header_key, organisation_file, parse_amount,
                     read_table, write_text)
from .urls import slugify

PLAN_COLUMNS = {
    "title": Column("Titel", ("Opdracht", "Naam opdracht", "Onderwerp", "Inkooptraject", "Project", "Title", "Subject",
                              "Name"), required=True),
    "category": Column("Categorie", ("Productgroep", "Inkooppakket", "Soort", "Category"), required=True),
    "expected": Column("Verwacht", ("Verwachte datum", "Verwachte start", "Planning", "Kwartaal", "Startdatum", "Start",
                                    "Datum", "Expected", "Expected date", "Quarter", "Date"), required=True),
    "estimated_value": Column("Geschatte waarde", ("Waarde", "Raming", "Geraamde waarde", "Bedrag", "Estimated value",
                                                   "Value")),
    "procedure": Column("Procedure", ("Inkoopprocedure", "Aanbestedingsprocedure", "Procedure type")),
    "opportunities": Column("Kansen", ("Kansen voor sociale ondernemers", "Opportunities")),
    "contact": Column("Contact", ("Contactpersoon", "E-mail", "Email")),
    "description": Column("Toelichting", ("Omschrijving", "Beschrijving", "Description", "Notes")),
    "area": Column("Gebied", ("Regio", "Gemeente", "Werkgebied", "Area", "Region")),
    "tender_url": Column("Aankondiging", ("Link", "TenderNed", "URL", "Tender")),
}
# The order fields are written in a new file, as in the schema.
FIELD_ORDER = ("title", "organisation", "category", "expected", "description", "procedure", "estimated_value", "area",
               "opportunities", "tender_url", "contact", "updated")
MONTHS = {name: number for number, names in enumerate(
    (("januari", "jan", "january"), ("februari", "feb", "february"), ("maart", "mrt", "march", "mar"),
     ("april", "apr"), ("mei", "may"), ("juni", "jun", "june"), ("juli", "jul", "july"),
     ("augustus", "aug", "august"), ("september", "sep", "sept"), ("oktober", "okt", "october", "oct"),
     ("november", "nov"), ("december", "dec")), start=1) for name in names}


@dataclass
class PlannedPurchase:
    """One row of the plan, its values as the calendar file holds them."""

    slug: str
    where: str  # the row's title cell
    fields: dict[str, Any]  # schema field -> value, only those the plan gives


@dataclass
class FileChange:
    """What importing one purchase does to its file."""

    rel: str  # content/calendar/<slug>.yaml
    text: str  # the file's new text
    new: bool
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)  # (field, before, after)


def vocabulary_value(cell: Any, entries: dict[str, dict], what: str, where: str,
                     problems: list[SheetProblem]) -> str | None:
    """The slug a cell means: a slug or a label of the list, in any case and spelling of spaces."""
    by_key = {}
    for slug, entry in entries.items():
        by_key.setdefault(header_key(slug), slug)
        by_key.setdefault(header_key(entry["label"]), slug)
    slug = by_key.get(header_key(cell))
    if slug is None:
        labels = {entry["label"]: slug for slug, entry in entries.items()}
        hint = did_you_mean(str(cell), [*labels, *entries]) or f"kies een {what} uit content/vocabulary.yaml"
        problems.append(SheetProblem(where, f"onbekende {what} '{cell}'", hint))
    return slug


def expected_value(cell: Any) -> dt.date | str | None:
    """A date or a quarter such as 2027-Q2 from what a plan writes: a date cell, 2027-05-01,
    1-5-2027, Q2 2027, 2e kwartaal 2027 or mei 2027 (a month becomes its quarter)."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = str(cell).strip().lower()
    if QUARTER_PATTERN.match(text.upper()):
        return text.upper()
    if parse_date(text):
        return parse_date(text)
    match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
    if match:
        try:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return None
    match = (re.fullmatch(r"q([1-4])[\s-]*(\d{4})", text) or re.fullmatch(r"(\d{4})[\s-]*q([1-4])", text)
             or re.fullmatch(r"(?:kwartaal\s*([1-4])|([1-4])(?:e|ste|de)?\s*kwartaal)\s*(\d{4})", text))
    if match:
        numbers = [group for group in match.groups() if group]
        year, quarter = (numbers[1], numbers[0]) if len(numbers[1]) == 4 else (numbers[0], numbers[1])
        return f"{year}-Q{quarter}"
    match = re.fullmatch(r"([a-z]+)\.?\s+(\d{4})", text)
    if match and match[1] in MONTHS:
        return f"{match[2]}-Q{(MONTHS[match[1]] - 1) // 3 + 1}"
    return None


def money_value(cell: Any) -> float | int | dict | None:
    """An amount, or a range such as 50.000 - 80.000 or 50.000 tot 80.000; None if unreadable."""
    parts = re.split(r"\s+(?:-|–|tot|t/m)\s+|(?<=\d)\s*[-–]\s*(?=[€\d])", str(cell)) if isinstance(cell, str) else [cell]
    try:
        amounts = [_whole(parse_amount(part)) for part in parts]
    except ValueError:
        return None
    if len(amounts) == 1:
        return amounts[0]
    if len(amounts) == 2 and amounts[0] <= amounts[1]:
        return {"min": amounts[0], "max": amounts[1]}
    return None


def _whole(amount: float) -> float | int:
    return int(amount) if amount == int(amount) else amount


def contact_value(cell: Any) -> dict:
    """A role and a mailbox from text such as 'Inkoopadviseur, inkoop@gemeente.nl'."""
    text = str(cell)
    emails = [word.strip("<>(),;") for word in text.split() if "@" in word]
    role = text
    for email in emails:
        role = role.replace(email, "")
    role = re.sub(r"[<>(),;:\s]+$", "", re.sub(r"^[<>(),;:\s]+", "", role)).strip()
    contact = {}
    if role:
        contact["role"] = role
    if emails:
        contact["email"] = emails[0]
    return contact


def read_plan(table: Table, organisation: str, vocabulary: dict) -> list[PlannedPurchase]:
    """The purchases of a plan; every cell that cannot be read is a problem, all raised together."""
    columns = find_columns(table, PLAN_COLUMNS, "een inkoopplanning")
    problems: list[SheetProblem] = []
    purchases: list[PlannedPurchase] = []
    seen: dict[str, str] = {}
    for row, cells in columns.data_rows:
        def where(name: str) -> str:
            return table.where(row, columns.index[name])

        title = columns.get(cells, "title")
        if title is None:
            problems.append(SheetProblem(table.where(row, columns.index["title"]), "deze regel heeft geen titel",
                                         "geef elke inkoop een titel, of haal de regel weg"))
            continue
        values: dict[str, Any] = {"title": str(title).strip(), "organisation": organisation}
        for name in ("category", "expected"):
            if columns.get(cells, name) is None:
                problems.append(SheetProblem(where(name), f"'{PLAN_COLUMNS[name].label}' is leeg",
                                             "vul elke regel in; een kwartaal zoals 2027-Q2 mag ook"
                                             if name == "expected" else "kies een categorie uit content/vocabulary.yaml"))
        for name, cell in ((name, columns.get(cells, name)) for name in PLAN_COLUMNS):
            if cell is None or name == "title":
                continue
            if name == "category":
                value = vocabulary_value(cell, vocabulary["categories"], "categorie", where(name), problems)
            elif name == "procedure":
                value = vocabulary_value(cell, vocabulary["procedures"], "procedure", where(name), problems)
            elif name == "area":
                places = {**vocabulary["regions"], **vocabulary["municipalities"]}
                value = vocabulary_value(cell, places, "regio of gemeente", where(name), problems)
            elif name == "opportunities":
                value = [vocabulary_value(part.strip(), vocabulary["opportunities"], "kans", where(name), problems)
                         for part in re.split(r"[,;/]", str(cell)) if part.strip()]
                value = list(dict.fromkeys(value)) if None not in value else None
            elif name == "expected":
                value = expected_value(cell)
                if value is None:
                    problems.append(SheetProblem(where(name), f"onleesbare datum of kwartaal '{cell}'",
                                                 "schrijf een datum zoals 2027-05-01 of een kwartaal zoals 2027-Q2"))
            elif name == "estimated_value":
                value = money_value(cell)
                if value is None:
                    problems.append(SheetProblem(where(name), f"onleesbaar bedrag '{cell}'",
                                                 "schrijf een bedrag zoals 50.000 of een bereik zoals 50.000 - 80.000"))
            elif name == "contact":
                value = contact_value(cell)
                if value.get("email") and not EMAIL_PATTERN.match(value["email"]):
                    problems.append(SheetProblem(where(name), f"ongeldig e-mailadres '{value['email']}'",
                                                 "bijvoorbeeld inkoop@organisatie.nl"))
            elif name == "tender_url":
                value = str(cell).strip()
                if not URL_PATTERN.match(value):
                    problems.append(SheetProblem(where(name), f"'{value}' is geen geldig webadres", "begin met https://"))
            else:
                value = str(cell).strip()
            if value is not None:
                values[name] = value
        slug = purchase_slug(organisation, values["title"])
        if slug in seen:
            problems.append(SheetProblem(where("title"), f"de titel '{values['title']}' staat ook op {seen[slug]}",
                                         "geef elke inkoop een eigen titel: de titel bepaalt de bestandsnaam"))
            continue
        seen[slug] = where("title")
        purchases.append(PlannedPurchase(slug, where("title"), values))
    if problems:
        raise SheetError(problems)
    return purchases


def purchase_slug(organisation: str, title: str, limit: int = 70) -> str:
    """The file name of a purchase: the organisation and the title, so a new import finds it again."""
    slug = slugify(f"{organisation} {title}")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def file_change(purchase: PlannedPurchase, existing: str | None, today: dt.date) -> FileChange | None:
    """The new text of a purchase's file, or None when the plan changes nothing in it.

    A new file gets every field of the plan; an existing one only the fields the plan gives
    that differ, each replaced in place, so what an editor added stays as written."""
    rel = f"content/calendar/{purchase.slug}.yaml"
    if existing is None:
        values = {**purchase.fields, "updated": today}
        lines = [f"{name}: {yaml_scalar(values[name])}" for name in FIELD_ORDER if name in values]
        return FileChange(rel, "\n".join(lines) + "\n", new=True)
    before = yaml.safe_load(existing) or {}
    text, changes = existing, []
    for name in FIELD_ORDER:
        if name in purchase.fields and before.get(name) != purchase.fields[name]:
            changes.append((name, before.get(name), purchase.fields[name]))
            text = replace_block(text, name, [f"{name}: {yaml_scalar(purchase.fields[name])}"])
    if not changes:
        return None
    text = replace_block(text, "updated", [f"updated: {yaml_scalar(today)}"])
    return FileChange(rel, text, new=False, changes=changes)


def _shown(value: Any) -> str:
    return "(leeg)" if value is None else yaml_scalar(value)


def run_plan_import(source: Path, plan: Path, organisation: str, write: bool, today: dt.date,
                    out: TextIO, err: TextIO) -> int:
    """`sitegen import kalender`: read the plan, print what changes, and with `write` write it."""
    valid = checked_content(source, err)
    if valid is None:
        return 1
    try:
        organisation_file(valid.items, organisation)
        purchases = read_plan(read_table(plan), organisation, valid.vocabulary)
    except SheetError as error:
        for problem in error.problems:
            print(problem.format(), file=err)
        print("Er is niets geschreven.", file=err)
        return 1
    calendar = source / "content" / "calendar"
    changes = []
    for purchase in purchases:
        path = calendar / f"{purchase.slug}.yaml"
        change = file_change(purchase, path.read_text(encoding="utf-8") if path.exists() else None, today)
        if change:
            changes.append(change)
    for change in changes:
        if change.new:
            print(f"{'Nieuw' if write else 'Zou maken'}: {change.rel}", file=out)
            print("".join(f"    {line}\n" for line in change.text.splitlines()), end="", file=out)
        else:
            print(f"{'Bijgewerkt' if write else 'Zou bijwerken'}: {change.rel}", file=out)
            for name, before, after in change.changes:
                print(f"    {name}: {_shown(before)} -> {_shown(after)}", file=out)
    planned = {purchase.slug for purchase in purchases}
    gone = sorted(item.file.rel for item in valid.items if item.file.kind == "procurement"
                  and item.data["organisation"] == organisation and item.file.slug not in planned)
    for rel in gone:
        print(f"Niet in dit plan: {rel} (blijft staan; haal het zelf weg als de inkoop niet doorgaat)", file=out)
    new = sum(1 for change in changes if change.new)
    print(f"{len(purchases)} inkopen in {plan.name}: {new} nieuw, {len(changes) - new} bijgewerkt, "
          f"{len(purchases) - len(changes)} ongewijzigd.", file=out)
    if not write:
        if changes:
            print("Dit was een proefrun: er is niets geschreven. Schrijf de bestanden met --schrijf.", file=out)
        return 0
    try:
        calendar.mkdir(parents=True, exist_ok=True)
        for change in changes:
            write_text(source / change.rel, change.text, change.rel)
    except (SheetError, OSError) as error:
        problems = error.problems if isinstance(error, SheetError) else [
            SheetProblem("content/calendar", f"kan de map niet maken: {error.strerror or error}")]
        print("\n".join(problem.format() for problem in problems), file=err)
        return 1
    return 0

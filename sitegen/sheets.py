"""Input edge of the spreadsheet commands: a CSV or .xlsx file read into a `Table` of cells.

Hands `inventory.py` and `plan_import.py` the rows with each cell's place in the file, found
columns and parsed amounts; the quirks of finance exports (separator, encoding, BOM) end here."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .errors import did_you_mean


@dataclass(frozen=True)
class SheetProblem:
    """One thing wrong in a spreadsheet, at a place the user can find in Excel or an editor."""

    where: str  # crediteuren.csv:7:3 or plan.xlsx:Blad1!C7
    message: str
    hint: str = ""

    def format(self) -> str:
        text = f"{self.where}: fout: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class SheetError(Exception):
    """Raised with every problem found in a spreadsheet; nothing has been written."""

    def __init__(self, problems: list[SheetProblem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)")


@dataclass
class Table:
    """The non-empty rows of one sheet; each row is (its row number in the file, its cells)."""

    name: str  # the file name, as messages show it
    rows: list[tuple[int, list[Any]]]
    sheet: str | None = None  # the worksheet of an .xlsx file; None for CSV

    def where(self, row: int, column: int) -> str:
        """The place of a cell; `column` counts from 0."""
        if self.sheet is None:
            return f"{self.name}:{row}:{column + 1}"
        return f"{self.name}:{self.sheet}!{column_letter(column)}{row}"


def column_letter(column: int) -> str:
    """Excel's name of a column counted from 0: A, B, ..., Z, AA, ..."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# ---------------------------------------------------------------- reading files

def read_table(path: Path) -> Table:
    """The rows of a CSV file or of the first worksheet of an .xlsx file."""
    suffix = path.suffix.lower()
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SheetError([SheetProblem(path.name, f"kan het bestand niet lezen: {error.strerror or error}",
                                       "controleer de naam en de map")]) from None
    if suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(path.name, raw)
    elif suffix == ".xls":
        raise SheetError([SheetProblem(path.name, "dit is het oude Excel-formaat (.xls)",
                                       "open het in Excel en sla het op als .xlsx of als CSV")])
    else:
        table = _read_csv(path.name, raw)
    if not table.rows:
        raise SheetError([SheetProblem(table.where(1, 0), "het bestand is leeg",
                                       "exporteer de lijst opnieuw, met een kopregel en daaronder de regels")])
    return table


def decode(raw: bytes) -> str:
    """Text from UTF-8 (with or without a byte-order mark) or, failing that, Windows-1252,
    which Excel and most Dutch finance systems write on Windows."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 reads every byte, so nothing is lost.
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            return raw.decode("latin-1")


def _delimiter(text: str) -> str:
    """The field separator: whichever of ; , and tab occurs most in the first lines, outside quotes."""
    sample = re.sub(r'"[^"]*"', "", "\n".join(text.splitlines()[:10]))
    counts = {separator: sample.count(separator) for separator in (";", ",", "\t")}
    best = max(counts, key=lambda separator: counts[separator])
    return best if counts[best] else ","


def _read_csv(name: str, raw: bytes) -> Table:
    text = decode(raw)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[Any]]] = []
    line = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((line, [cell.strip() for cell in cells]))
            line = reader.line_num + 1
    except csv.Error as error:
        raise SheetError([SheetProblem(f"{name}:{reader.line_num}:1", f"het bestand is geen leesbare CSV: {error}",
                                       "controleer de aanhalingstekens in deze regel")]) from None
    return Table(name, rows)


def _read_xlsx(name: str, raw: bytes) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise SheetError([SheetProblem(name, "kan het bestand niet lezen als Excel-bestand (.xlsx)",
                                       "open het in Excel en sla het opnieuw op, of exporteer het als CSV")]) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [value.strip() if isinstance(value, str) else value for value in values]
            if any(cell not in (None, "") for cell in cells):
                rows.append((number, cells))
        return Table(name, rows, sheet=sheet.title)
    finally:
        workbook.close()


# ---------------------------------------------------------------- columns

def header_key(text: Any) -> str:
    """A header as compared with the known names: no case, accents, spaces or punctuation."""
    return re.sub(r"[^a-z0-9]", "", fold(str(text or "")))


def fold(text: str) -> str:
    """Lower case without accents: Coöperatie and cooperatie are the same word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True)
class Column:
    """A column a command reads, with the header names it goes by in Dutch and English."""

    label: str  # the name messages use, e.g. Naam
    names: tuple[str, ...]
    required: bool = False


@dataclass
class Columns:
    """Where the header row is, and which column holds what (field -> index from 0)."""

    header_row: int
    index: dict[str, int] = field(default_factory=dict)
    data_rows: list[tuple[int, list[Any]]] = field(default_factory=list)

    def get(self, cells: list[Any], name: str) -> Any:
        position = self.index.get(name)
        if position is None or position >= len(cells):
            return None
        value = cells[position]
        return None if value == "" else value


def find_columns(table: Table, wanted: Mapping[str, Column], what: str) -> Columns:
    """The header row (the first of the first ten rows that names a known column) and the
    columns in it; a missing required column is an error at the header row."""
    known: dict[str, tuple[str, int]] = {}  # header -> (field, rank: the earlier name in the list wins)
    for key, column in wanted.items():
        for rank, name in enumerate((column.label, *column.names)):
            known.setdefault(header_key(name), (key, rank))
    for row, cells in table.rows[:10]:
        ranked: dict[str, tuple[int, int]] = {}  # field -> (rank, position)
        for position, cell in enumerate(cells):
            key, rank = known.get(header_key(cell), ("", 0))
            if key and (key not in ranked or rank < ranked[key][0]):
                ranked[key] = (rank, position)
        found = {key: position for key, (rank, position) in ranked.items()}
        if found:
            break
    else:
        row, cells = table.rows[0]
        labels = ", ".join(column.label for column in wanted.values() if column.required)
        raise SheetError([SheetProblem(table.where(row, 0), f"geen kopregel gevonden met de kolommen van {what}",
                                       f"zet in de eerste regel de namen van de kolommen, minstens: {labels}")])
    headers = [str(cell) for cell in cells if cell not in (None, "")]
    problems = [
        SheetProblem(table.where(row, 0), f"de kolom '{column.label}' ontbreekt in de kopregel",
                     did_you_mean(column.label, headers)
                     or "noem een kolom " + " of ".join(f"'{name}'" for name in (column.label, *column.names[:2])))
        for key, column in wanted.items() if column.required and key not in found]
    if problems:
        raise SheetError(problems)
    data_rows = [(number, cells) for number, cells in table.rows if number > row]
    if not data_rows:
        raise SheetError([SheetProblem(table.where(row, 0), "er staan geen regels onder de kopregel",
                                       "exporteer de lijst opnieuw, met de regels erbij")])
    return Columns(row, found, data_rows)


# ---------------------------------------------------------------- values

_CURRENCY = re.compile(r"(€|eur\b|euro\b|\s|\u00a0)", re.IGNORECASE)


def parse_amount(value: Any) -> float:
    """An amount as finance systems write it: 1234.5, 1.234,50, 1,234.50, € 1.234, -12,00 or 12,00-.

    A separator followed by groups of three digits groups thousands (amounts have at most two
    decimals), so 1.234 and 1,234 are both 1234 whichever custom the file follows. Raises
    ValueError for anything else."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        return float(value)
    text = _CURRENCY.sub("", str(value))
    negative = text.startswith("-") or text.endswith("-") or (text.startswith("(") and text.endswith(")"))
    text = text.strip("-()+")
    if not re.fullmatch(r"\d[\d.,]*\d|\d", text):
        raise ValueError(value)
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        whole, _, fraction = text.rpartition(decimal)
        grouping = "." if decimal == "," else ","
        if not re.fullmatch(r"\d{1,3}(" + re.escape(grouping) + r"\d{3})*", whole) or len(fraction) > 2:
            raise ValueError(value)
        text = whole.replace(grouping, "") + "." + fraction
    elif "," in text or "." in text:
        separator = "," if "," in text else "."
        if re.fullmatch(r"\d{1,3}(" + re.escape(separator) + r"\d{3})+", text):
            text = text.replace(separator, "")
        elif re.fullmatch(r"\d+" + re.escape(separator) + r"\d{1,2}", text):
            text = text.replace(separator, ".")
        else:
            raise ValueError(value)
    amount = float(text)
    return -amount if negative else amount


def parse_year(value: Any) -> int:
    """A year from a number, a date or text such as 2025 or 31-12-2025; raises ValueError."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})|\d{4}-\d{2}-\d{2}(?:[T ].*)?|\d{1,2}[-/.]\d{1,2}[-/.](\d{4})", text)
    if not match:
        raise ValueError(value)
    year = int(match.group(1) or match.group(2) or text[:4])
    if not 1900 <= year <= 2100:
        raise ValueError(value)
    return year


def format_euro(amount: float) -> str:
    """€ 48.200 or € 1.234,50, as Dutch readers write amounts."""
    rounded = round(amount, 2)
    whole = f"{abs(rounded):,.0f}" if rounded == int(rounded) else f"{abs(rounded):,.2f}"
    whole = whole.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"{'-' if rounded < 0 else ''}€ {whole}"


def format_share(share: float) -> str:
    """0,4 % with one decimal, as Dutch readers write it; a share too small for that is < 0,1 %."""
    if 0 < share < 0.0005:
        return "< 0,1 %"
    return f"{share * 100:.1f}".replace(".", ",") + " %"


def organisation_file(items, slug: str) -> Any:
    """The checked file of organisation `slug` among a site's `schema.ValidItem`s."""
    organisations = {item.file.slug: item for item in items if item.file.kind == "organisation"}
    if slug not in organisations:
        raise SheetError([SheetProblem(
            "--organisatie", f"onbekende organisatie '{slug}': content/organisations/{slug}.yaml bestaat niet",
            did_you_mean(slug, organisations) or "maak de organisatie eerst met: sitegen new organisation \"Naam\"")])
    return organisations[slug]


def write_text(path: Path, text: str, rel: str) -> None:
    """Replace a content file at once, so an editor's file is never left half written."""
    temporary = path.with_name(f".{path.name}.sitegen-tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise SheetError([SheetProblem(f"{rel}:1:1", f"kan het bestand niet schrijven: {error.strerror or error}",
                                       "controleer of de map bestaat en of je er mag schrijven")]) from None

"""Reading uploaded spreadsheets (.xlsx, .csv) within limits, so that a small file cannot exhaust the server.

An xlsx file is a zip of XML: 5 KB can declare a sheet of a million rows, or unpack to gigabytes. So a workbook
is read once, streaming (each row is parsed and dropped from the XML tree as soon as it is read), and refused
before anything is kept when its declared used range (``<dimension ref>``) or its unpacked size exceeds the
limits; as a declaration may be missing or false, rows, columns and cells are also counted while streaming
and the reading stops at the first limit passed. A CSV file is counted the same way. The refusal
(``SheetTooLarge``) says which limit, in the user's language.

The used range runs from A1 to the last used cell, as Excel shows it. Cells hold the value Excel last
calculated and whether they hold a formula, read in the same pass (a formula never calculated has no value).

Pure module: no ORM, no settings; the caller passes the limits (``SheetLimits.from_settings`` reads them).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import iterparse

from django.utils.translation import gettext
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

__all__ = ["DEFAULT_LIMITS", "EMPTY", "Cell", "SheetLimits", "SheetTooLarge", "read_csv_rows", "read_xlsx_sheets"]

_NS = f"{{{SHEET_MAIN_NS}}}"
_DIMENSION, _ROW, _CELL, _FORMULA = f"{_NS}dimension", f"{_NS}row", f"{_NS}c", f"{_NS}f"
_MERGE, _STRING_ITEM, _TEXT, _RUN = f"{_NS}mergeCell", f"{_NS}si", f"{_NS}t", f"{_NS}r"
# Parts that openpyxl parses whole (not streaming): each must be small.
_WHOLE_PARTS = ("[Content_Types].xml", "workbook.xml", "workbook.xml.rels", "styles.xml")
# A cell is a value, a formula or an inline string of a few runs; more parts than this is not a ledger.
_MAX_PARTS_PER_CELL = 256
_MAX_BYTES_PER_WHOLE_PART = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell as read: its value (the last one calculated, for a formula) and whether it holds a formula."""

    value: Any
    formula: bool = False


EMPTY = Cell(None)


@dataclass(frozen=True)
class SheetLimits:
    """How much of a spreadsheet an import reads; a file beyond any of them is refused before it is read."""

    max_rows: int = 20_000
    max_columns: int = 60
    max_cells: int = 400_000  # the used range's area (rows × columns), and the cells the file holds
    max_unpacked_bytes: int = 32 * 1024 * 1024

    @classmethod
    def from_settings(cls, settings) -> SheetLimits:
        return cls(
            max_rows=settings.CRM_IMPORT_MAX_ROWS,
            max_columns=settings.CRM_IMPORT_MAX_COLUMNS,
            max_cells=settings.CRM_IMPORT_MAX_CELLS,
            max_unpacked_bytes=settings.CRM_IMPORT_MAX_UNPACKED_BYTES,
        )


DEFAULT_LIMITS = SheetLimits()


class SheetTooLarge(ValueError):
    """A spreadsheet beyond a limit; ``code`` names the limit, ``message`` says it to a person."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


# --- refusals ----------------------------------------------------------------------------------------------


def _too_many_rows(sheet: str, found: int, limits: SheetLimits) -> SheetTooLarge:
    return SheetTooLarge(
        gettext(
            "Sheet “%(sheet)s” reaches row %(found)s; an import reads at most %(limit)s rows. Delete the empty "
            "rows below the data, or split the ledger into several files."
        )
        % {"sheet": sheet, "found": found, "limit": limits.max_rows},
        code="too_many_rows",
    )


def _too_many_columns(sheet: str, found: int, limits: SheetLimits) -> SheetTooLarge:
    return SheetTooLarge(
        gettext(
            "Sheet “%(sheet)s” reaches column %(letter)s (column %(found)s); an import reads at most %(limit)s "
            "columns. Delete the empty columns to the right of the data."
        )
        % {"sheet": sheet, "letter": get_column_letter(min(found, 18278)), "found": found,
           "limit": limits.max_columns},
        code="too_many_columns",
    )


def _too_large_range(sheet: str, rows: int, columns: int, limits: SheetLimits) -> SheetTooLarge:
    return SheetTooLarge(
        gettext(
            "Sheet “%(sheet)s” uses a range of %(rows)s rows × %(columns)s columns (%(cells)s cells); an import "
            "reads at most %(limit)s cells. Delete the empty rows and columns around the data, or split the ledger "
            "into several files."
        )
        % {"sheet": sheet, "rows": rows, "columns": columns, "cells": rows * columns, "limit": limits.max_cells},
        code="too_many_cells",
    )


def _too_many_cells(sheet: str, limits: SheetLimits) -> SheetTooLarge:
    return SheetTooLarge(
        gettext(
            "Sheet “%(sheet)s” holds more than %(limit)s cells, counting empty formatted ones; an import reads at "
            "most %(limit)s. Copy the data alone into a new workbook, or split the ledger into several files."
        )
        % {"sheet": sheet, "limit": limits.max_cells},
        code="too_many_cells",
    )


def _too_many_strings(limits: SheetLimits) -> SheetTooLarge:
    return SheetTooLarge(
        gettext(
            "The workbook holds more than %(limit)s texts; an import reads at most %(limit)s cells. Copy the data "
            "alone into a new workbook, or split the ledger into several files."
        )
        % {"limit": limits.max_cells},
        code="too_many_cells",
    )


def _too_large_unpacked(found: int, limit: int) -> SheetTooLarge:
    return SheetTooLarge(
        gettext(
            "The workbook unpacks to %(found)s MB; an import reads workbooks of at most %(limit)s MB unpacked. "
            "Copy the data alone into a new workbook."
        )
        % {"found": round(found / 1048576, 1), "limit": round(limit / 1048576, 1)},
        code="too_large_unpacked",
    )


def _not_a_table(sheet: str) -> SheetTooLarge:
    return SheetTooLarge(
        gettext(
            "Sheet “%(sheet)s” holds cells of a structure an import does not read; copy the data alone into a "
            "new workbook."
        )
        % {"sheet": sheet},
        code="not_a_table",
    )


# --- xlsx --------------------------------------------------------------------------------------------------


def read_xlsx_sheets(data: bytes, *, limits: SheetLimits) -> list[tuple[str, list[list[Cell]]]]:
    """The visible worksheets of a workbook, each as its title and its rows of cells, read once.

    A row is a list as long as its last used cell; a row with none is an empty list. A merged range's value
    is repeated over every cell it covers within the used range, as a person reads it.
    Raises ``SheetTooLarge``, or what openpyxl and zipfile raise for a damaged file.
    """
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    _check_unpacked_size(reader.archive, limits)
    reader.read_manifest()
    reader.read_workbook()
    strings = _read_shared_strings(reader, limits)
    apply_stylesheet(reader.archive, reader.wb)
    sheets = []
    for sheet, rel in reader.parser.find_sheets():
        if rel.target not in reader.valid_files or "chartsheet" in rel.Type or sheet.state != "visible":
            continue
        with reader.archive.open(rel.target) as source:
            sheets.append((sheet.name, _stream_sheet(source, sheet.name, strings, reader.wb, limits)))
    return sheets


def _check_unpacked_size(archive: zipfile.ZipFile, limits: SheetLimits) -> None:
    # The sizes declared in the zip directory bound what zipfile will unpack (it stops at the declared size).
    entries = archive.infolist()
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_unpacked_bytes:
        raise _too_large_unpacked(total, limits.max_unpacked_bytes)
    for entry in entries:
        if entry.filename.endswith(_WHOLE_PARTS) and entry.file_size > _MAX_BYTES_PER_WHOLE_PART:
            raise _too_large_unpacked(entry.file_size, _MAX_BYTES_PER_WHOLE_PART)


def _read_shared_strings(reader: ExcelReader, limits: SheetLimits) -> list[str]:
    """The shared string table, streaming; a sheet cannot use more strings than it may hold cells."""
    content_type = reader.package.find(SHARED_STRINGS)
    part = content_type.PartName[1:] if content_type is not None else None
    if part is None or part not in reader.valid_files:
        return []
    strings: list[str] = []
    stack: list[Any] = []
    parts = 0
    with reader.archive.open(part) as source:
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                stack.append(element)
                continue
            stack.pop()
            if element.tag == _STRING_ITEM:
                strings.append(_string_item_text(element))
                parts = 0
                if len(strings) > limits.max_cells:
                    raise _too_many_strings(limits)
            elif len(stack) > 1:  # inside an item: its text runs, kept until the item ends
                parts += 1
                if parts > _MAX_PARTS_PER_CELL:
                    raise _too_many_strings(limits)
                continue
            if stack:
                stack[-1].remove(element)
    return strings


def _string_item_text(item) -> str:
    """The text of a shared string: its plain text, or its runs' texts joined; phonetic guides are left out."""
    plain = item.find(_TEXT)
    if plain is not None:
        text = plain.text or ""
    else:
        text = "".join(run.findtext(_TEXT) or "" for run in item.iterfind(_RUN))
    return text.replace("x005F_", "")


def _stream_sheet(source, title: str, strings: list[str], workbook, limits: SheetLimits) -> list[list[Cell]]:
    """One pass over a worksheet's XML: the declared range first, then each cell, counted and dropped."""
    # openpyxl's cell parser knows the value types, dates and inline strings; the loop around it is ours.
    parser = WorkSheetParser(None, strings, data_only=True, epoch=workbook.epoch,
                             date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
    grid: list[list[Cell]] = []
    merges: list[str] = []
    width = 0
    cells = 0
    rows = 0
    cell_parts = 0
    in_cell = False
    stack: list[Any] = []
    for event, element in iterparse(source, events=("start", "end")):
        tag = element.tag
        if event == "start":
            stack.append(element)
            if tag == _ROW:
                rows += 1
                number = element.get("r")
                parser.row_counter = int(number) if number and number.isdigit() else parser.row_counter + 1
                parser.col_counter = 0
                if max(rows, parser.row_counter) > limits.max_rows:
                    raise _too_many_rows(title, max(rows, parser.row_counter), limits)
            elif tag == _CELL:
                in_cell, cell_parts = True, 0
                cells += 1
                if cells > limits.max_cells:
                    raise _too_many_cells(title, limits)
            continue
        stack.pop()
        if tag == _CELL:
            in_cell = False
            width = max(width, _place(grid, parser, element, title, limits))
            if len(grid) * width > limits.max_cells:
                raise _too_large_range(title, len(grid), width, limits)
        elif in_cell:
            # A value, a formula or an inline string's runs, kept until the cell ends.
            cell_parts += 1
            if cell_parts > _MAX_PARTS_PER_CELL:
                raise _not_a_table(title)
            continue
        elif tag == _DIMENSION:
            _check_dimension(element.get("ref") or "", title, limits)
        elif tag == _MERGE:
            merges.append(element.get("ref") or "")
            if len(merges) > limits.max_rows:
                raise _not_a_table(title)
        if stack:
            stack[-1].remove(element)  # each element is dropped as it ends, so the tree never grows
    _spread_merges(grid, merges, width, title, limits)
    return grid


def _check_dimension(ref: str, title: str, limits: SheetLimits) -> None:
    try:
        _min_col, _min_row, max_col, max_row = range_boundaries(ref.split(" ")[0].replace("$", ""))
    except (TypeError, ValueError):
        return  # unreadable: the cells are counted as they are read
    if max_row is None or max_col is None:
        return
    if max_row > limits.max_rows:
        raise _too_many_rows(title, max_row, limits)
    if max_col > limits.max_columns:
        raise _too_many_columns(title, max_col, limits)
    if max_row * max_col > limits.max_cells:
        raise _too_large_range(title, max_row, max_col, limits)


def _place(grid: list[list[Cell]], parser: WorkSheetParser, element, title: str, limits: SheetLimits) -> int:
    """Put a cell in the grid; returns its column if it holds something, else 0."""
    if not len(element):
        return 0  # no value, formula or text: an empty formatted cell, counted, not kept
    values = parser.parse_cell(element)
    row, column = values["row"], values["column"]
    formula = element.find(_FORMULA) is not None
    if values["value"] is None and not formula:
        return 0
    if row < 1 or column < 1:
        raise _not_a_table(title)
    if row > limits.max_rows:
        raise _too_many_rows(title, row, limits)
    if column > limits.max_columns:
        raise _too_many_columns(title, column, limits)
    while len(grid) < row:
        grid.append([])
    line = grid[row - 1]
    if len(line) < column:
        line.extend([EMPTY] * (column - len(line)))
    line[column - 1] = Cell(values["value"], formula)
    return column


def _spread_merges(grid: list[list[Cell]], merges: Iterable[str], width: int, title: str,
                   limits: SheetLimits) -> None:
    spread = 0
    for ref in merges:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (TypeError, ValueError):
            continue
        if min_row is None or min_row > len(grid) or min_col > len(grid[min_row - 1]):
            continue
        top_left = grid[min_row - 1][min_col - 1]
        for r in range(min_row, min(max_row or min_row, len(grid)) + 1):
            line = grid[r - 1]
            last = min(max_col or min_col, width)
            if len(line) < last:
                line.extend([EMPTY] * (last - len(line)))
            spread += max(0, last + 1 - min_col)
            if spread > limits.max_cells:  # merged ranges overlap, which Excel never writes
                raise _not_a_table(title)
            for c in range(min_col, last + 1):
                if (r, c) != (min_row, min_col):
                    line[c - 1] = Cell(top_left.value)


# --- csv ---------------------------------------------------------------------------------------------------


def read_csv_rows(text: str, *, name: str, limits: SheetLimits) -> list[list[Cell]]:
    """The rows of a CSV text (``name`` is the file's, for messages), its dialect sniffed; a formula is a cell
    starting with "=". Rows and cells are counted as they are read; raises ``SheetTooLarge`` or ``csv.Error``."""
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[Cell]] = []
    cells = 0
    for record in csv.reader(io.StringIO(text, newline=""), dialect):
        if len(rows) >= limits.max_rows:
            raise _too_many_rows(name, len(rows) + 1, limits)
        if len(record) > limits.max_columns:
            raise _too_many_columns(name, len(record), limits)
        cells += len(record)
        if cells > limits.max_cells:
            raise _too_many_cells(name, limits)
        rows.append([Cell(v, formula=v.strip().startswith("=")) for v in record])
    return rows

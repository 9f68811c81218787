"""Writing lists to .xlsx for people to open in Excel or WPS, safely.

Every app exports through ``write_xlsx`` so that every export neutralises formula injection: a text cell that
begins with = + - @ (or a tab or carriage return, which some spreadsheet programs skip before looking for a
formula) is written as text with a leading apostrophe, so a spreadsheet shows it and never executes it. Numbers
and dates stay numbers and dates, and Decimal amounts are written exactly as their text would read.

Pure module: values in, bytes out; no ORM, no settings.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

__all__ = ["XLSX_CONTENT_TYPE", "ExportColumn", "neutralise", "write_xlsx"]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportColumn:
    """A column of an export: its (Chinese) header, how to read the value from a row, and its width."""

    header: str
    value: Callable[[Any], Any]
    width: int = 16


def neutralise(value: Any) -> Any:
    """The value to write in a cell: text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _cell_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime):
        # Excel has no time zones: write the local wall-clock time the page showed.
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    return neutralise(str(value))


def write_xlsx(columns: Sequence[ExportColumn], rows: Iterable[Any], *, sheet_title: str = "Sheet1") -> bytes:
    """A workbook with one sheet: a bold header row, then one row per item of ``rows`` (streamed)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for index, column in enumerate(columns):
        sheet.column_dimensions[_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=neutralise(str(column.header)))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for column in columns:
            value = _cell_value(column.value(row))
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never "f": text is never a formula
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, Decimal):
                cell.number_format = "#,##0.00"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters

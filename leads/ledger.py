"""Reading lead ledgers as bureaus keep them in Excel or CSV.

A real ledger has a merged title row and a unit line above the header, blank rows, a totals row with a
formula, dates written five ways and amounts as numbers, with thousands separators, in 亿 or approximate
(约3000). ``read_ledger`` takes what is clear, reads what a person would read (1.2亿 is 12,000万元), skips the
title, unit, blank and totals rows, and reports every other problem row by row and field by field, so that the
import can write nothing from a rejected row. It reads; it does not write, look anything up or decide.

The credit code is only normalised here; the caller checks it (``crm.validators.credit_code_problem`` can be
passed in as ``credit_code_problem``). Amounts are ``Decimal`` in 万元, never float.

Pure module: no ORM, no settings other than the active language for messages.
"""

from __future__ import annotations

import calendar
import csv
import math
import os
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree.ElementTree import ParseError

import openpyxl
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from crm.lib.names import earlier_lookalikes, is_branch_name
from crm.lib.sheets import DEFAULT_LIMITS, EMPTY, SheetLimits, SheetTooLarge, read_csv_rows, read_xlsx_sheets
from crm.lib.sheets import Cell as _Cell

__all__ = [
    "COLUMNS",
    "REQUIRED_FIELDS",
    "CellError",
    "Column",
    "Issue",
    "LedgerReadResult",
    "LedgerRow",
    "ParsedAmount",
    "SkippedRow",
    "find_header_row",
    "normalize_credit_code",
    "parse_amount",
    "parse_amount_wan",
    "parse_date_cell",
    "read_ledger",
    "write_template",
]


# --- the columns a ledger may have ---------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A field of a lead ledger: its name in code, the header the template writes, the headers it accepts."""

    field: str
    header: str
    label: Any  # lazy translatable label for messages
    aliases: tuple[str, ...] = ()
    kind: str = "text"  # text | code | amount | date | serial
    in_template: bool = True
    multiline: bool = False  # keeps the line breaks typed in the cell (Alt+Enter)


# The headers of the 2025 sample ledger come first in each column's names; the aliases are the variants
# bureaus use for the same column, and English headers for a ledger exported from another system.
COLUMNS: tuple[Column, ...] = (
    Column("serial", "序号", _("row number"), ("编号", "no", "no.", "#"), kind="serial", in_template=False),
    Column(
        "enterprise_name",
        "企业名称",
        _("enterprise name"),
        ("企业", "公司名称", "单位名称", "投资方", "投资方名称", "投资主体", "投资企业", "enterprise",
         "enterprise name", "company", "company name", "investor"),
    ),
    Column(
        "credit_code",
        "统一社会信用代码",
        _("unified social credit code"),
        ("信用代码", "社会信用代码", "统一信用代码", "credit code", "unified social credit code", "uscc"),
        kind="code",
    ),
    Column("project_name", "项目名称", _("project name"), ("项目", "意向项目", "project", "project name")),
    Column("industry", "所属行业", _("industry"), ("行业", "产业", "行业类别", "industry")),
    Column(
        "origin",
        "投资方来源地",
        _("investor origin"),
        ("来源地", "投资来源地", "投资方所在地", "企业所在地", "注册地", "origin", "investor origin"),
    ),
    Column(
        "intended_investment_wan",
        "意向投资额（万元）",
        _("intended investment"),
        ("意向投资额", "计划投资额", "拟投资额", "投资额", "投资规模", "计划总投资", "总投资",
         "intended investment", "investment", "intended_investment_wan"),
        kind="amount",
    ),
    Column(
        "source",
        "线索来源",
        _("lead source"),
        ("来源", "招商方式", "线索渠道", "source", "lead source"),
    ),
    Column(
        "introducer",
        "引荐人/中介",
        _("introducer"),
        ("引荐人", "中介", "中介机构", "引荐人/中介机构", "引荐单位", "introducer", "intermediary"),
    ),
    Column(
        "owner",
        "对接人",
        _("officer"),
        ("招商专员", "责任人", "负责人", "跟进人", "经办人", "owner", "officer"),
    ),
    Column(
        "first_contact_date",
        "首次接洽日期",
        _("first contact date"),
        ("接洽日期", "首次对接日期", "对接日期", "登记日期", "日期", "date", "created", "first contact date"),
        kind="date",
    ),
    Column(
        "contact",
        "联系人",
        _("contact person"),
        ("企业联系人", "对方联系人", "contact", "contact person"),
    ),
    Column(
        "phone",
        "联系电话",
        _("phone"),
        ("电话", "手机", "联系方式", "手机号码", "phone", "telephone", "mobile"),
    ),
    Column(
        "progress",
        "当前进展",
        _("progress"),
        ("进展", "进展情况", "跟进情况", "状态", "progress", "status"),
        multiline=True,
    ),
    Column(
        "notes",
        "备注",
        _("notes"),
        ("说明", "notes", "remarks", "remark", "comment", "comments"),
        multiline=True,
    ),
)

COLUMNS_BY_FIELD = {c.field: c for c in COLUMNS}

# Without these columns a file cannot be imported at all; the caller may ask for others.
REQUIRED_FIELDS: tuple[str, ...] = ("enterprise_name", "source")

_TOTAL_WORDS = frozenset({"合计", "总计", "小计", "累计", "共计", "total", "totals", "sum", "grandtotal"})

# The template's example row; a row whose enterprise name starts with the marker is skipped on import.
EXAMPLE_MARKER = "(示例)"
TEMPLATE_EXAMPLE: dict[str, Any] = {
    "enterprise_name": "（示例）三亚椰风数字科技有限公司",
    "credit_code": "91460202MA5T12345E",
    "project_name": "椰风数字产业园",
    "industry": "信息传输、软件和信息技术服务业",
    "origin": "广东深圳",
    "intended_investment_wan": 5000,
    "source": "活动招商",
    "introducer": "",
    "owner": "王晓明",
    "first_contact_date": date(2025, 3, 1),
    "contact": "张三",
    "phone": "0898-88888888",
    "progress": "洽谈中",
    "notes": "示例行，导入时自动忽略，可删除",
}

TEMPLATE_INSTRUCTIONS = (
    "填写说明",
    "1. 第一行为表头，请勿修改表头文字；不需要的列可以删除，但“企业名称”和“线索来源”两列必须保留。",
    "2. 企业名称以“（示例）”开头的行是示例，导入时自动忽略，可直接删除。",
    "3. 意向投资额以万元为单位，可填 5000、5,000、1.2亿 或 约3000（约数会被标注为估算）；不接受负数和区间。",
    "4. 日期请填 2025-03-01，也可填 2025/3/1、2025.03.01 或 2025年3月1日。",
    "5. 统一社会信用代码为18位，导入时校验校验位；暂无代码的可留空。",
    "6. 线索来源可填：活动招商、中介招商、以商招商、上级交办、主动对接、来电来访。",
    "7. 标题行、单位行、空行和合计行导入时自动跳过；有问题的行会逐行列出原因，不会导入。",
)


# --- what comes back ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    """A problem (or a notice) about the file, a row or one field of a row."""

    code: str
    message: str
    field: str = ""


@dataclass(frozen=True)
class LedgerRow:
    """A data row: its number in the sheet (as Excel shows it), what was read and what went wrong.

    ``values`` holds every column the file has, by field name: text as ``str``, the amount as ``Decimal``
    (万元), the date as ``date``, ``None`` for a blank or unreadable cell. A row with ``errors`` must not be
    imported; ``warnings`` (an approximate amount, a likely duplicate of an earlier row) are for a person.
    """

    row_number: int
    values: dict[str, Any]
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()
    duplicate_of: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def approximate_fields(self) -> frozenset[str]:
        return frozenset(w.field for w in self.warnings if w.code == "approximate")

    def errors_for(self, field_name: str) -> tuple[Issue, ...]:
        return tuple(e for e in self.errors if e.field == field_name)


@dataclass(frozen=True)
class SkippedRow:
    """A row that is not data: reason is title, unit, blank, header, totals, footer or example."""

    row_number: int
    reason: str


@dataclass(frozen=True)
class LedgerReadResult:
    """Everything read from one file. With ``file_errors`` nothing can be imported and ``rows`` is empty."""

    filename: str
    rows: tuple[LedgerRow, ...] = ()
    file_errors: tuple[Issue, ...] = ()
    skipped: tuple[SkippedRow, ...] = ()
    sheet_name: str = ""
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # field -> header as written in the file
    ignored_columns: tuple[str, ...] = ()
    amount_unit: str = "万元"

    @property
    def ok(self) -> bool:
        return not self.file_errors

    @property
    def valid_rows(self) -> tuple[LedgerRow, ...]:
        return tuple(r for r in self.rows if r.ok)

    @property
    def invalid_rows(self) -> tuple[LedgerRow, ...]:
        return tuple(r for r in self.rows if not r.ok)

    def row(self, row_number: int) -> LedgerRow:
        return next(r for r in self.rows if r.row_number == row_number)


class CellError(ValueError):
    """A cell that cannot be read; ``code`` says why, the message says it to a person."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


# --- cells -------------------------------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)
_MIN_YEAR, _MAX_YEAR = 1900, 2100

_DATE_PATTERNS = (
    re.compile(
        r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
        r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # a time of day, as "2025-06-30 00:00:00"
    ),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)


def parse_date_cell(value: Any) -> date:
    """A date from a cell: a real Excel date, 2025/3/1, 2025-03-01, 2025.03.15, 2025年4月2日 or 20250402.

    Raises ``CellError`` (a ``ValueError``) with code ``required``, ``impossible_date`` (2025/13/01) or
    ``invalid_date`` (anything else, including the ambiguous 3/1/2025).
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if _is_blank(value):
        raise CellError(gettext("No date was given."), code="required")
    if isinstance(value, bool):
        raise _not_a_date(value)
    if isinstance(value, int | float | Decimal):
        return _date_from_number(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = re.sub(r"\s+", "", text) if "年" in text else re.sub(r"\s*([-/.])\s*", r"\1", text)
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return _checked_date(str(value).strip(), int(match["y"]), int(match["m"]), int(match["d"]))
    raise _not_a_date(value)


@dataclass(frozen=True)
class ParsedAmount:
    """An amount in 万元, and whether the ledger gave it as an estimate (约3000, 3000左右, 3000余万)."""

    wan: Decimal
    approximate: bool = False


_UNITS: dict[str, Decimal | None] = {
    "万元": Decimal(1),
    "万": Decimal(1),
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
    "千万元": Decimal(1000),
    "千万": Decimal(1000),
    "百万元": Decimal(100),
    "百万": Decimal(100),
    "元": Decimal("0.0001"),
    # Foreign currency has to be converted at a dated rate, which a ledger does not give.
    "万美元": None,
    "美元": None,
    "万港元": None,
    "港元": None,
    "港币": None,
    "欧元": None,
    "日元": None,
}
_UNIT_ALTERNATIVES = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
_AMOUNT = re.compile(
    r"(?P<pre>约合|大约|约为|约|近|逾|超过|超|≈|~)?"
    r"(?P<number>\d[\d,]*(?:\.\d+)?|\.\d+)"
    r"(?P<mid>余|多)?"
    rf"(?P<unit>{_UNIT_ALTERNATIVES})?"
    r"(?P<post>左右|上下|以上|余|多)?"
)
_NEGATIVE = re.compile(r"^[-−]|^负")
_RANGE = re.compile(r"[\d万亿元]\s*(?:-|~|～|—|–|至|到)\s*[\d约]")
_FOREIGN_MARKERS = ("美元", "港元", "港币", "欧元", "日元", "usd", "us$", "hkd", "eur", "jpy", "$")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def parse_amount(value: Any, *, unit: str = "万元") -> ParsedAmount:
    """An amount in 万元 from a cell, reading what a person reads.

    ``unit`` is the unit of a bare number (from the header or the unit line); a unit written in the cell wins.
    12000 / "12,000" / "1.2亿" / "1.2亿元" give 12000; "约3000", "3000左右" and "3000余万" give 3000 marked
    approximate. Raises ``CellError`` with code ``required``, ``negative_amount``, ``amount_range``,
    ``foreign_currency`` or ``invalid_amount``.
    """
    if unit not in _UNITS:
        raise ValueError(f"unknown unit {unit!r}")
    if _is_blank(value):
        raise CellError(gettext("No amount was given."), code="required")
    if isinstance(value, bool):
        raise _not_an_amount(value)
    factor = _UNITS[unit]  # None for a foreign currency
    if isinstance(value, int | float | Decimal):
        number = _decimal_from_number(value)
        if number is None:
            raise _not_an_amount(value)
        if number < 0:
            raise _negative_amount(value)
        if factor is None:
            raise _foreign_currency(value)
        return ParsedAmount(wan=_tidy(number * factor))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    compact = re.sub(r"\s+", "", text)
    folded = compact.casefold()
    if any(marker in folded for marker in _FOREIGN_MARKERS):
        raise _foreign_currency(value)
    if _NEGATIVE.search(compact):
        raise _negative_amount(value)
    if _RANGE.search(compact):
        raise CellError(
            gettext("“%(value)s” is a range; give one amount (the lower end if unsure).")
            % {"value": _text(value)},
            code="amount_range",
        )
    match = _AMOUNT.fullmatch(compact)
    if not match:
        raise _not_an_amount(value)
    number_text = match["number"]
    if "," in number_text and not _THOUSANDS.fullmatch(number_text):
        raise _not_an_amount(value)
    if match["unit"]:
        factor = _UNITS[match["unit"]]
    if factor is None:
        raise _foreign_currency(value)
    number = Decimal(number_text.replace(",", ""))
    approximate = bool(match["pre"] or match["mid"] or match["post"])
    return ParsedAmount(wan=_tidy(number * factor), approximate=approximate)


def parse_amount_wan(value: Any, *, unit: str = "万元") -> Decimal:
    """The amount in 万元 of a cell, estimate or not; ``parse_amount`` also says whether it is approximate."""
    return parse_amount(value, unit=unit).wan


def normalize_credit_code(value: Any) -> str:
    """What a person means by a pasted code: half-width, upper case, no spaces or hyphens. Not checked."""
    if _is_blank(value):
        return ""
    return re.sub(r"[\s\-]+", "", unicodedata.normalize("NFKC", _text(value))).upper()


# --- the header --------------------------------------------------------------------------------------------


def find_header_row(
    rows: Sequence[Sequence[Any]],
    expected_headers: Iterable[str],
    *,
    min_matches: int = 2,
    max_scan: int = 30,
) -> int | None:
    """The index in ``rows`` of the first row holding at least ``min_matches`` of ``expected_headers``.

    Headers are compared as a person reads them: full-width or half-width, spacing, case, a unit in brackets
    ("意向投资额（万元）" is "意向投资额") and a required-mark asterisk do not matter. A title or unit row
    holds at most one such cell, so it is passed over. ``None`` when no row in the first ``max_scan`` does.
    """
    wanted = {_header_key(h)[0] for h in expected_headers} - {""}
    needed = max(1, min(min_matches, len(wanted)))
    for index, row in enumerate(rows[:max_scan]):
        found = {_header_key(cell)[0] for cell in row if isinstance(cell, str)} & wanted
        if len(found) >= needed:
            return index
    return None


# --- the file ----------------------------------------------------------------------------------------------


def read_ledger(
    file_or_path: str | os.PathLike | bytes | BinaryIO,
    *,
    filename: str,
    required_fields: Sequence[str] = REQUIRED_FIELDS,
    credit_code_problem: Callable[[str], str | None] | None = None,
    limits: SheetLimits = DEFAULT_LIMITS,
) -> LedgerReadResult:
    """Read a lead ledger (.xlsx, or .csv in UTF-8 with or without BOM, GBK or UTF-16).

    ``filename`` is the name the user gave the file; its extension says how to read it.
    ``credit_code_problem`` (say ``crm.validators.credit_code_problem``) is called with each normalised code
    and returns why it is wrong, or ``None``. A file beyond ``limits`` is refused, saying which limit, before
    its rows are read (``crm.lib.sheets``).
    """
    extension = Path(filename).suffix.lower()
    if extension == ".xls":
        return _file_error(
            filename,
            "old_excel",
            gettext("“%(name)s” is an Excel 97-2003 workbook (.xls); save it as .xlsx and upload it again.")
            % {"name": filename},
        )
    if extension not in (".xlsx", ".xlsm", ".csv"):
        return _file_error(
            filename,
            "unsupported_type",
            gettext("“%(name)s” is neither an Excel workbook (.xlsx) nor a CSV file.") % {"name": filename},
        )
    data = _read_bytes(file_or_path)
    if extension == ".csv":
        text = _decode(data)
        if text is None:
            return _file_error(
                filename,
                "encoding",
                gettext("“%(name)s” is not in UTF-8 or GBK; save it again as CSV UTF-8.")
                % {"name": filename},
            )
        try:
            sheets = [("", read_csv_rows(text, name=filename, limits=limits))]
        except SheetTooLarge as exc:
            return _file_error(filename, exc.code, exc.message)
        except csv.Error:
            return _file_error(
                filename, "unreadable", gettext("“%(name)s” could not be read as a CSV file.") % {"name": filename}
            )
    else:
        try:
            sheets = _xlsx_sheets(data, limits)
        except SheetTooLarge as exc:
            return _file_error(filename, exc.code, exc.message)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, IndexError, ValueError, OSError, TypeError,
                ParseError):
            return _file_error(
                filename,
                "unreadable",
                gettext(
                    "“%(name)s” could not be read as an Excel workbook; it may be damaged or protected "
                    "by a password."
                )
                % {"name": filename},
            )
    all_headers = [name for column in COLUMNS for name in (column.header, *column.aliases)]
    for sheet_name, grid in sheets:
        header_index = find_header_row([[c.value for c in row] for row in grid], all_headers)
        if header_index is not None:
            return _read_sheet(
                filename, sheet_name, grid, header_index, tuple(required_fields), credit_code_problem
            )
    return _file_error(
        filename,
        "no_header",
        gettext(
            "No header row was found in “%(name)s”. The first rows should hold column headers such as "
            "%(headers)s; start from the import template if in doubt."
        )
        % {"name": filename, "headers": "、".join(COLUMNS_BY_FIELD[f].header for f in required_fields)},
    )


def write_template(path_or_buffer: str | os.PathLike | BinaryIO) -> None:
    """Write the import template: Chinese headers, one example row (skipped on import), instructions."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "线索台账"
    columns = [c for c in COLUMNS if c.in_template]
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True, color="C00000" if column.field in REQUIRED_FIELDS else "000000")
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        example = sheet.cell(row=2, column=index, value=TEMPLATE_EXAMPLE.get(column.field) or None)
        example.font = Font(italic=True, color="808080")
        if column.kind == "date":
            example.number_format = "yyyy-mm-dd"
        elif column.kind == "code" or column.field == "phone":
            example.number_format = "@"  # text, so Excel keeps leading zeros and long digit strings
        dimension = sheet.column_dimensions[example.column_letter]
        widest = max(len(column.header), len(str(TEMPLATE_EXAMPLE.get(column.field) or "")))
        dimension.width = max(12, min(40, 2 * widest + 4))
        if column.kind == "code" or column.field == "phone":
            # The whole column as text, so that Excel does not turn a code or a number typed later into 9.1E+17.
            dimension.number_format = "@"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("填写说明")
    for index, line in enumerate(TEMPLATE_INSTRUCTIONS, start=1):
        notes.cell(row=index, column=1, value=line).font = Font(bold=index == 1)
    notes.column_dimensions["A"].width = 110
    workbook.save(path_or_buffer)


# --- reading a sheet ---------------------------------------------------------------------------------------


def _read_sheet(
    filename: str,
    sheet_name: str,
    grid: list[list[_Cell]],
    header_index: int,
    required_fields: tuple[str, ...],
    credit_code_problem: Callable[[str], str | None] | None,
) -> LedgerReadResult:
    skipped: list[SkippedRow] = []
    sheet_unit = "万元"
    for index in range(header_index):
        texts = [_text(c.value) for c in grid[index] if not _is_blank(c.value)]
        if not texts:
            skipped.append(SkippedRow(index + 1, "blank"))
            continue
        unit = _unit_line(" ".join(texts))
        if unit:
            sheet_unit = unit
        skipped.append(SkippedRow(index + 1, "unit" if unit else "title"))
    skipped.append(SkippedRow(header_index + 1, "header"))

    # Map the header cells to fields.
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    amount_unit = sheet_unit
    ignored: list[str] = []
    file_errors: list[Issue] = []
    for position, cell in enumerate(grid[header_index]):
        if _is_blank(cell.value):
            continue
        header = _text(cell.value)
        column, header_unit = _column_for(header)
        if column is None:
            ignored.append(header)
            continue
        if column.field in positions:
            file_errors.append(
                Issue(
                    "duplicate_column",
                    gettext("Two columns hold the %(field)s: “%(first)s” and “%(second)s”; keep one of them.")
                    % {"field": column.label, "first": headers[column.field], "second": header},
                    column.field,
                )
            )
            continue
        positions[column.field] = position
        headers[column.field] = header
        if column.kind == "amount" and header_unit:
            amount_unit = header_unit
    missing = [f for f in required_fields if f not in positions]
    if missing:
        file_errors.insert(
            0,
            Issue(
                "missing_columns",
                gettext(
                    "The file has no column for %(fields)s. Add the column headers %(headers)s, or start "
                    "from the import template."
                )
                % {
                    "fields": ", ".join(str(COLUMNS_BY_FIELD[f].label) for f in missing),
                    "headers": "、".join(f"“{COLUMNS_BY_FIELD[f].header}”" for f in missing),
                },
            ),
        )
    common = {
        "filename": filename,
        "sheet_name": sheet_name,
        "header_row": header_index + 1,
        "columns": headers,
        "ignored_columns": tuple(ignored),
        "amount_unit": amount_unit,
    }
    if file_errors:
        return LedgerReadResult(file_errors=tuple(file_errors), skipped=tuple(skipped), **common)

    header_keys = {_header_key(n)[0] for c in COLUMNS for n in (c.header, *c.aliases)}
    rows: list[_RowDraft] = []
    after_totals = False
    for index in range(header_index + 1, len(grid)):
        row_number = index + 1
        cells = {f: grid[index][p] if p < len(grid[index]) else EMPTY for f, p in positions.items()}
        line = grid[index]
        if all(_is_blank(c.value) and not c.formula for c in line):
            skipped.append(SkippedRow(row_number, "blank"))
            continue
        name_cell = cells.get("enterprise_name", EMPTY)
        name = "" if _is_blank(name_cell.value) else _text(name_cell.value)
        if _is_totals_row(line, name):
            skipped.append(SkippedRow(row_number, "totals"))
            after_totals = True
            continue
        if after_totals and not name:
            skipped.append(SkippedRow(row_number, "footer"))
            continue
        if unicodedata.normalize("NFKC", name).startswith(EXAMPLE_MARKER):
            skipped.append(SkippedRow(row_number, "example"))
            continue
        found = {_header_key(c.value)[0] for c in line if isinstance(c.value, str)} & header_keys
        if len(found) >= 2:  # the header repeated, as on every printed page of some ledgers
            skipped.append(SkippedRow(row_number, "header"))
            continue
        rows.append(_read_row(row_number, cells, headers, amount_unit, required_fields, credit_code_problem))
    _mark_duplicates(rows)
    return LedgerReadResult(rows=tuple(r.freeze() for r in rows), skipped=tuple(skipped), **common)


@dataclass
class _RowDraft:
    row_number: int
    values: dict[str, Any]
    errors: list[Issue]
    warnings: list[Issue]
    duplicate_of: int | None = None

    def freeze(self) -> LedgerRow:
        return LedgerRow(
            row_number=self.row_number,
            values=self.values,
            errors=tuple(self.errors),
            warnings=tuple(self.warnings),
            duplicate_of=self.duplicate_of,
        )


def _read_row(
    row_number: int,
    cells: dict[str, _Cell],
    headers: dict[str, str],
    amount_unit: str,
    required_fields: tuple[str, ...],
    credit_code_problem: Callable[[str], str | None] | None,
) -> _RowDraft:
    values: dict[str, Any] = {}
    errors: list[Issue] = []
    warnings_: list[Issue] = []
    for field_name, cell in cells.items():
        column = COLUMNS_BY_FIELD[field_name]
        if column.kind == "serial":
            continue
        header = headers[field_name]
        values[field_name] = None
        if cell.formula and _is_blank(cell.value):
            errors.append(
                Issue(
                    "formula_without_value",
                    gettext(
                        "“%(column)s” holds a formula that was never calculated; open the file in Excel "
                        "or WPS, save it and upload it again."
                    ) % {"column": header},
                    field_name,
                )
            )
            continue
        if _is_blank(cell.value):
            if field_name in required_fields:
                errors.append(
                    Issue("required", gettext("“%(column)s” is empty.") % {"column": header}, field_name)
                )
            continue
        try:
            if column.kind == "date":
                values[field_name] = parse_date_cell(cell.value)
            elif column.kind == "amount":
                amount = parse_amount(cell.value, unit=amount_unit)
                values[field_name] = amount.wan
                if amount.approximate:
                    warnings_.append(
                        Issue(
                            "approximate",
                            gettext("“%(column)s” is an estimate (“%(value)s”); %(amount)s 万元 was read.")
                            % {"column": header, "value": _text(cell.value), "amount": amount.wan},
                            field_name,
                        )
                    )
            elif column.kind == "code":
                code = normalize_credit_code(cell.value)
                values[field_name] = code
                problem = credit_code_problem(code) if credit_code_problem else None
                if problem:
                    errors.append(Issue("invalid_credit_code", str(problem), field_name))
            else:
                values[field_name] = _text(cell.value, multiline=column.multiline)
        except CellError as exc:
            errors.append(Issue(exc.code, f"“{header}”: {exc.message}", field_name))
    return _RowDraft(row_number, values, errors, warnings_)


def _mark_duplicates(rows: list[_RowDraft]) -> None:
    """Warn on a row naming an enterprise an earlier row already holds: the same code, or a name that looks
    like the same enterprise (a branch included)."""
    first_with_code: dict[str, _RowDraft] = {}
    lookalikes = earlier_lookalikes([r.values.get("enterprise_name") for r in rows])
    for row, lookalike in zip(rows, lookalikes, strict=True):
        code = row.values.get("credit_code") or ""
        earlier = first_with_code.get(code) if code else None
        if earlier is None and lookalike is not None:
            earlier = rows[lookalike]
        if code:
            first_with_code.setdefault(code, row)
        if earlier is None:
            continue
        row.duplicate_of = earlier.row_number
        name = row.values.get("enterprise_name") or ""
        earlier_name = earlier.values.get("enterprise_name") or ""
        if is_branch_name(name) and not is_branch_name(earlier_name):
            message = gettext("This is a branch of the enterprise in row %(row)d (“%(name)s”).")
        else:
            message = gettext("This looks like the enterprise in row %(row)d (“%(name)s”).")
        row.warnings.append(
            Issue(
                "possible_duplicate",
                message % {"row": earlier.row_number, "name": earlier_name},
                "enterprise_name",
            )
        )


# --- files -------------------------------------------------------------------------------------------------


def _read_bytes(file_or_path: str | os.PathLike | bytes | BinaryIO) -> bytes:
    if isinstance(file_or_path, bytes | bytearray):
        return bytes(file_or_path)
    if isinstance(file_or_path, str | os.PathLike):
        return Path(file_or_path).read_bytes()
    if hasattr(file_or_path, "seek"):
        file_or_path.seek(0)
    data = file_or_path.read()
    return data.encode() if isinstance(data, str) else data


def _decode(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        # utf-8-sig reads UTF-8 with or without the BOM Excel writes; GB18030 is a superset of GBK and GB2312.
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _xlsx_sheets(data: bytes, limits: SheetLimits) -> list[tuple[str, list[list[_Cell]]]]:
    with warnings.catch_warnings():
        # openpyxl warns about extensions it does not read (data validation, conditional formats): harmless.
        warnings.simplefilter("ignore", UserWarning)
        return read_xlsx_sheets(data, limits=limits)


def _file_error(filename: str, code: str, message: str) -> LedgerReadResult:
    return LedgerReadResult(filename=filename, file_errors=(Issue(code, message),))


# --- small readers -----------------------------------------------------------------------------------------


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return False


def _text(value: Any, *, multiline: bool = False) -> str:
    """A cell as a person reads it: integers without ".0", dates as 2025-03-01, whitespace tidied.

    A line break inside a single-line cell (a name wrapped with Alt+Enter) joins the lines: with nothing
    between Chinese characters, with a space between Latin words.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    lines = [re.sub(r"[^\S\n]+", " ", line).strip() for line in str(value).splitlines()]
    lines = [line for line in lines if line]
    if multiline:
        return "\n".join(lines)
    text = ""
    for line in lines:
        joint = "" if not text or not text[-1].isascii() or not line[0].isascii() else " "
        text += joint + line
    return text


def _header_key(header: Any) -> tuple[str, str]:
    """(the comparable header, the unit it states): "意向投资额（万元）" -> ("意向投资额", "万元")."""
    if not isinstance(header, str):
        return "", ""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", header)).casefold().strip("*:")
    unit = ""
    match = re.fullmatch(r"(.+?)\((?:单位[:]?)?([^()]+)\)", text)
    if match and match[2] in _UNITS:
        text, unit = match[1], match[2]
    return text, unit


_COLUMN_BY_KEY = {_header_key(n)[0]: c for c in COLUMNS for n in (c.header, *c.aliases)}


def _column_for(header: str) -> tuple[Column | None, str]:
    key, unit = _header_key(header)
    return _COLUMN_BY_KEY.get(key), unit


def _unit_line(text: str) -> str:
    """The unit a line above the header states ("单位：万元"), but not "填报单位：某局"."""
    normalized = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    match = re.search(rf"(?<![报制表])单位:?({_UNIT_ALTERNATIVES})(?![\w])", normalized)
    return match[1] if match else ""


def _is_totals_row(line: list[_Cell], name: str) -> bool:
    words = {re.sub(r"\s+", "", _text(c.value)).casefold() for c in line if isinstance(c.value, str)}
    if re.sub(r"\s+", "", name).casefold() in _TOTAL_WORDS:
        return True
    if name:
        return False
    return bool(words & _TOTAL_WORDS) or any(c.formula for c in line)


def _decimal_from_number(value: int | float | Decimal) -> Decimal | None:
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        # Excel keeps 15 significant digits; reading them back avoids 0.30000000000000004.
        return Decimal(f"{value:.15g}")
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _tidy(number: Decimal) -> Decimal:
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def _date_from_number(value: int | float | Decimal) -> date:
    number = _decimal_from_number(value)
    if number is None:
        raise _not_a_date(value)
    whole = int(number)
    if number == whole and 19000101 <= whole <= 21001231:  # 20250402 typed as a number
        year, month, day = whole // 10000, whole // 100 % 100, whole % 100
        return _checked_date(str(whole), year, month, day)
    # An Excel serial day number in a cell formatted as General; small numbers are not dates (12 would be
    # 1900-01-11), so only serials of 1950-2100 are read.
    serial_min = (date(1950, 1, 1) - _EXCEL_EPOCH).days
    serial_max = (date(_MAX_YEAR, 12, 31) - _EXCEL_EPOCH).days
    if serial_min <= number <= serial_max:
        return _EXCEL_EPOCH + timedelta(days=whole)
    raise _not_a_date(value)


def _checked_date(shown: str, year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise CellError(
            gettext("“%(value)s” is not a real date: there is no month %(month)d.")
            % {"value": shown, "month": month},
            code="impossible_date",
        )
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise CellError(
            gettext("“%(value)s” is not a plausible date: the year must be between %(min)d and %(max)d.")
            % {"value": shown, "min": _MIN_YEAR, "max": _MAX_YEAR},
            code="impossible_date",
        )
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        raise CellError(
            gettext("“%(value)s” is not a real date: %(year)d-%(month)02d has %(days)d days.")
            % {"value": shown, "year": year, "month": month, "days": days_in_month},
            code="impossible_date",
        )
    return date(year, month, day)


def _not_a_date(value: Any) -> CellError:
    return CellError(
        gettext("“%(value)s” is not a date that can be read; write it as 2025-03-01.")
        % {"value": _text(value)},
        code="invalid_date",
    )


def _not_an_amount(value: Any) -> CellError:
    return CellError(
        gettext(
            "“%(value)s” is not an amount that can be read; write a number of 万元 such as 3000 or 1.2亿."
        )
        % {"value": _text(value)},
        code="invalid_amount",
    )


def _negative_amount(value: Any) -> CellError:
    return CellError(
        gettext("“%(value)s” is negative; an amount cannot be negative.") % {"value": _text(value)},
        code="negative_amount",
    )


def _foreign_currency(value: Any) -> CellError:
    return CellError(
        gettext("“%(value)s” is in a foreign currency; convert it to 万元 in RMB first.")
        % {"value": _text(value)},
        code="foreign_currency",
    )

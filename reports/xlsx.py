"""The monthly or annual statistics as an Excel workbook in the bureau's usual layout: a merged title row
("吉阳区2026年1-10月招商引资工作统计表"), a unit line, the overview (target, actual, completion, growth), then sheets
by industry, key industry, origin, lead source, officer and month, the major projects, the exception lists,
the restatements of a published month and the drafted briefing paragraph.

Numbers are stored as numbers (units in the headers; ratios as numbers formatted as percentages) and every text
cell goes through crm.lib.exports.neutralise, so a name beginning with "=" is never run as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from crm.lib.exports import neutralise
from reports import labels, prose
from reports.choices import Dimension, ExceptionList
from reports.indicators import BY_KEY, INDICATORS
from reports.presentation import BREAKDOWNS, EXCEPTION_ORDER

TITLE_FONT = Font(size=16, bold=True)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
DASH = "—"


def _value(value):
    if value is None:
        return None
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return neutralise(value)
    return value


# One named style per kind of cell (bordered, with its number format): a cell takes a style by name, which
# costs openpyxl one look-up instead of one per attribute; the major-project sheet has tens of thousands.
CELL_STYLES = {"text": "General", "count": "#,##0", "money": "#,##0.00", "ratio": "0.0%", "date": "yyyy-mm-dd"}


def _add_cell_styles(workbook: Workbook) -> None:
    for name, number_format in CELL_STYLES.items():
        workbook.add_named_style(NamedStyle(name=f"report-{name}", border=BORDER, number_format=number_format))
    workbook.add_named_style(NamedStyle(name="report-header", font=HEADER_FONT, fill=HEADER_FILL, border=BORDER,
                                        alignment=Alignment(horizontal="center", vertical="center",
                                                            wrap_text=True)))


def _cell(sheet, value, style: str | None = None, **looks) -> WriteOnlyCell:
    """A cell of a write-only sheet: its value, a named style or its own font and alignment."""
    cell = WriteOnlyCell(sheet, value=value)
    if style:
        cell.style = style
    for name, look in looks.items():
        setattr(cell, name, look)
    return cell


def _style(value, kind: str | None = None) -> str:
    if kind == "ratio" and isinstance(value, Decimal):
        return "report-ratio"
    if kind == "count":
        return "report-count"
    if isinstance(value, Decimal):
        return "report-money"
    if hasattr(value, "isoformat"):
        return "report-date"
    return "report-text"


def _sheet_title(title: str) -> str:
    """Excel refuses []:*?/\\ in a sheet name and more than 31 characters."""
    return "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title))[:31]


def _sheet(workbook: Workbook, title: str, heading: str, unit_line: str, headers: Sequence[str],
           rows: Sequence[Sequence], kinds: Sequence[str | None] = ()):
    """A sheet with the merged title row, the unit line, a bold header and the rows (numbers stay numbers).

    The workbook is written row by row (openpyxl's write-only mode): a province's annual report has tens of
    thousands of rows, which an in-memory workbook holds as one object per cell."""
    sheet = workbook.create_sheet(title=_sheet_title(title))
    width = max(len(headers), 1)
    for index, header in enumerate(headers, start=1):  # column widths and frozen rows come before any row
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(str(header)) * 2 + 4))
    sheet.freeze_panes = "A4"
    last = get_column_letter(width)
    sheet.merged_cells.add(f"A1:{last}1")
    sheet.merged_cells.add(f"A2:{last}2")
    sheet.append([_cell(sheet, neutralise(heading), font=TITLE_FONT, alignment=Alignment(horizontal="center"))])
    sheet.append([_cell(sheet, neutralise(unit_line), alignment=Alignment(horizontal="right"))])
    sheet.append([_cell(sheet, neutralise(str(h)), "report-header") for h in headers])
    for row in rows:
        values = [_value(raw) for raw in row]
        sheet.append([_cell(sheet, value, _style(value, kinds[index] if index < len(kinds) else None))
                      for index, value in enumerate(values)])
    return sheet


def _kind(indicator: str) -> str | None:
    return "count" if not BY_KEY[indicator].is_money else None


def report_workbook(report: dict) -> bytes:
    """The workbook of a report from reports.services.report_for_period."""
    workbook = Workbook(write_only=True)
    _add_cell_styles(workbook)
    title = prose.report_title(report["period"])
    period = prose.period_label(report["period"])
    if report["published"]:
        status = _("Published %(at)s") % {"at": timezone.localtime(report["published"]["at"]).strftime("%Y-%m-%d")}
    else:
        status = _("Live figures (not published)")
    unit_line = _("Cut-off %(date)s · %(status)s") % {"date": report["period"]["end"].isoformat(), "status": status}

    _overview(workbook, report, title, unit_line, period)
    headings = [labels.indicator_heading(d.key) for d in INDICATORS]
    kinds = [_kind(d.key) for d in INDICATORS]
    for dimension in BREAKDOWNS:
        rows = report["breakdowns"][dimension]
        first = [Dimension(dimension).label] if dimension != "origin" else [_("Category"), _("Origin")]
        _sheet(workbook, _("By %(dimension)s") % {"dimension": Dimension(dimension).label}, title, unit_line,
               [*first, *headings],
               [[*_row_labels(dimension, r), *[r["values"][d.key] for d in INDICATORS]] for r in rows],
               [*([None] * len(first)), *kinds])
    _months(workbook, report, title, unit_line)
    _major_projects(workbook, report, title, unit_line)
    _exceptions(workbook, report, title, unit_line)
    if report["published"]:
        _restatements(workbook, report, title, unit_line)
    briefing = workbook.create_sheet(title=_sheet_title(_("Briefing")))
    briefing.column_dimensions["A"].width = 120
    briefing.append([_cell(briefing, neutralise(_("Drafted briefing paragraph, %(period)s") % {"period": period}),
                           font=HEADER_FONT)])
    briefing.append([_cell(briefing, neutralise(report["briefing"]),
                           alignment=Alignment(wrap_text=True, vertical="top"))])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row_labels(dimension: str, row: dict) -> list[str]:
    if dimension == "origin":
        return [labels.origin_group_label(row["group"]), labels.row_label(dimension, row)]
    return [labels.row_label(dimension, row)]


def _overview(workbook, report, title, unit_line, period):
    headers = [_("Indicator"), _("Unit"), _("Annual target"), _("%(period)s actual") % {"period": period},
               _("Completion"), _("Same period last year"), _("Year-on-year growth")]
    rows, kinds = [], []
    for row in report["indicators"]:
        d = BY_KEY[row["key"]]
        rows.append([d.label, d.unit_label, row["target"], row["actual"],
                     row["completion"] if row["completion"] is not None else DASH, row["last_year"],
                     row["growth"] if row["growth"] is not None else DASH])
    kinds = [None, None, None, None, "ratio", None, "ratio"]
    sheet = _sheet(workbook, _("Overview"), title, unit_line, headers, rows, kinds)
    for issue in report["data_issues"]:
        sheet.append([neutralise(_("Note: %(issue)s") % {"issue": issue})])
    return sheet


def _months(workbook, report, title, unit_line):
    flows = [d for d in INDICATORS if not d.stock]
    year = report["period"]["year"]
    headers = [_("Month")]
    kinds = [None]
    for d in flows:
        headers += [f"{labels.indicator_heading(d.key)} {year}", f"{labels.indicator_heading(d.key)} {year - 1}"]
        kinds += [_kind(d.key)] * 2
    rows = [[labels.month_label(m["key"]), *[v for d in flows for v in (m["values"][d.key], m["last_year"][d.key])]]
            for m in report["breakdowns"]["month"]]
    _sheet(workbook, _("By month"), title, unit_line, headers, rows, kinds)


def _major_projects(workbook, report, title, unit_line):
    headers = [_("Project code"), _("Project"), _("Enterprise"), _("Industry"), _("Officer"), _("Stage"),
               _("Total planned investment (10k CNY)"), _("Fixed-asset investment (10k CNY)"), _("Signed on"),
               _("Contract amount (10k CNY)"), _("Capital in place in the period (10k CNY equivalent)"),
               _("Key project")]
    rows = [[p["code"], p["name"], p["enterprise"], p["industry"], p["owner"], labels.stage_label(p["stage"]),
             p["total_investment_wan"], p["fixed_asset_investment_wan"], p["contract_date"],
             p["contract_amount_wan"], p["capital_in_period_wan"], _("Yes") if p["is_key_project"] else ""]
            for p in report["major_projects"]]
    _sheet(workbook, _("Major projects"), title, unit_line, headers, rows)


def _exceptions(workbook, report, title, unit_line):
    for key in EXCEPTION_ORDER:
        data = report["exceptions"][key]
        name = ExceptionList(key).label
        if key == "overdue_reviews":
            headers = [_("Project code"), _("Project"), _("Enterprise"), _("Bureau"), _("Due on"),
                       _("Days overdue"), _("Working days overdue"), _("Officer")]
            rows = [[r["code"], r["name"], r["enterprise"], r["bureau"], r["since"], r["days"], r["working_days"],
                     r["owner"]] for r in data["rows"]]
            kinds = [None, None, None, None, None, "count", "count", None]
        else:
            headers = [_("Project code"), _("Project"), _("Enterprise"), _("Stage"), _("Since"), _("Days elapsed"),
                       _("Officer")]
            rows = [[r["code"], r["name"], r["enterprise"], labels.stage_label(r["stage"]), r["since"], r["days"],
                     r["owner"]] for r in data["rows"]]
            kinds = [None, None, None, None, None, "count", None]
        line = unit_line if data["months"] is None else unit_line + " · " + _(
            "threshold %(months)s months") % {"months": data["months"]}
        _sheet(workbook, name, f"{title} · {name}", line, headers, rows, kinds)


def _restatements(workbook, report, title, unit_line):
    headers = [_("Indicator"), pgettext("restatement", "Record"), _("Published value"), _("Current value"),
               _("Difference")]
    rows = [[labels.indicator_label(r["indicator"]), r["record"], r["published_value"], r["current_value"],
             r["difference"]] for r in report["restatements"]]
    _sheet(workbook, _("Restatements"), title, unit_line, headers, rows)

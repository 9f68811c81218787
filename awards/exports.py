"""The calculation sheet as an Excel workbook, through the shared writer that neutralises formulas."""

from decimal import Decimal

from django.utils.translation import gettext as _

from awards.sheet import Sheet
from crm.lib.exports import ExportColumn, write_xlsx


def sheet_rows(sheet: Sheet, *, title: str, project: str) -> list[tuple[str, str, str, str, str]]:
    """The sheet, top to bottom, as rows of (clause, year, item, detail, amount): what the page shows."""
    rows = [("", "", _("Application"), title, ""), ("", "", _("Project"), project, ""),
            ("", "", _("Policy"), sheet.policy_title, "")]
    rows += [("", "", label, value, "") for label, value in sheet.policy_meta]
    for clause in sheet.clauses:
        rows.append((clause.title, "", _("Status"), clause.status_label, clause.amount))
        rows += [(clause.title, "", _("Missing fact"), name, "") for name in clause.missing]
        rows += [(clause.title, "", _("Condition not met"), failure, "") for failure in clause.failures]
        for line in clause.lines:
            rows.append((clause.title, line.year, line.base_label, line.base_value, ""))
            rows += [(clause.title, line.year, _("Base from"), source, "") for source in line.base_from]
            rows += [(clause.title, line.year, step.label, step.detail, step.amount) for step in line.steps]
            rows.append((clause.title, line.year, _("Payable"), "", line.amount))
            rows += [(clause.title, line.year, _("Instalment %(n)s") % {"n": i.number},
                      f"{i.share} {i.condition}".strip(), i.amount) for i in line.instalments]
    rows += [("", "", _("Exclusivity"), text, "") for text in sheet.exclusivity]
    if sheet.project_cap:
        rows.append(("", "", _("Cap per project"), sheet.project_cap, ""))
    rows += [("", "", _("Fact: %(name)s") % {"name": fact.label}, fact.value, "") for fact in sheet.facts]
    rows.append(("", "", _("Total"), sheet.rounding_note, sheet.total))
    return rows


def _number(text: str) -> Decimal | None:
    """An amount of the sheet as a number, so Excel can add it up."""
    return Decimal(text.replace(",", "")) if text else None


def sheet_xlsx(sheet: Sheet, *, title: str, project: str) -> bytes:
    columns = [
        ExportColumn(_("Clause"), lambda row: row[0], 28),
        ExportColumn(_("Year"), lambda row: row[1], 18),
        ExportColumn(_("Item"), lambda row: row[2], 36),
        ExportColumn(_("Detail"), lambda row: row[3], 70),
        ExportColumn(_("Amount (CNY)"), lambda row: _number(row[4]), 20),
    ]
    return write_xlsx(columns, sheet_rows(sheet, title=title, project=project), sheet_title=_("Calculation sheet"))

"""The Excel exports of aftercare: the columns (Chinese headers through gettext) of each list, written by
crm.lib.exports.write_xlsx, which neutralises formulas in text cells."""

from django.utils import timezone
from django.utils.translation import gettext as _

from crm.lib.exports import ExportColumn


def _local(value):
    return timezone.localtime(value) if value else None


def key_enterprise_columns() -> list[ExportColumn]:
    return [
        ExportColumn(_("Enterprise"), lambda k: k.enterprise.name, 32),
        ExportColumn(_("Service officer"), lambda k: k.officer.display_name),
        ExportColumn(_("Visit cadence"), lambda k: k.get_cadence_months_display()),
        ExportColumn(_("Designated on"), lambda k: k.designated_on, 12),
        ExportColumn(_("Last visit"), lambda k: k.last_visit_on, 12),
        ExportColumn(_("Next visit due"), lambda k: k.next_visit_due, 12),
        ExportColumn(_("Why it is key"), lambda k: k.reason, 32),
    ]


def complaint_columns() -> list[ExportColumn]:
    return [
        ExportColumn(_("Number"), lambda c: c.code, 16),
        ExportColumn(_("Received on"), lambda c: c.received_on, 12),
        ExportColumn(_("Enterprise"), lambda c: c.enterprise.name, 32),
        ExportColumn(_("Kind"), lambda c: c.get_kind_display(), 8),
        ExportColumn(_("Received by"), lambda c: c.get_channel_display()),
        ExportColumn(_("Category"), lambda c: c.get_category_display()),
        ExportColumn(_("Subject"), lambda c: c.subject, 28),
        ExportColumn(_("What the investor says"), lambda c: c.content, 48),
        ExportColumn(_("Responsible bureau"), lambda c: c.current_cycle.bureau.name, 24),
        ExportColumn(_("Answer due on"), lambda c: c.current_cycle.due_on, 12),
        ExportColumn(_("Status"), lambda c: c.get_status_display()),
        ExportColumn(_("Handling"), lambda c: c.current_cycle.number, 8),
        ExportColumn(_("Answered at"), lambda c: _local(c.current_cycle.answered_at), 18),
        ExportColumn(_("Answered on time"), lambda c: _yes_no(c.current_cycle.answered_on_time), 8),
        ExportColumn(_("Investor's satisfaction"), lambda c: c.current_cycle.get_satisfaction_display()),
        ExportColumn(_("Officer in charge"), lambda c: c.owner.display_name),
    ]


def _yes_no(value):
    if value is None:
        return ""
    return _("yes") if value else _("no")


def foreign_register_columns(years: list[int]) -> list[ExportColumn]:
    columns = [
        ExportColumn(_("Enterprise"), lambda e: e.name, 32),
        ExportColumn(_("Unified social credit code"), lambda e: e.credit_code or "", 22),
        ExportColumn(_("Kind"), lambda e: e.get_kind_display()),
        ExportColumn(_("Origin country or region"), lambda e: e.origin_country),
    ]
    for index, year in enumerate(years):
        columns.append(ExportColumn(_("Foreign capital used in %(year)s (10k USD)") % {"year": year},
                                    lambda e, i=index: e.capital_years[i], 14))
    columns += [
        ExportColumn(_("Foreign capital used, all years (10k USD)"), lambda e: e.capital_total, 14),
        ExportColumn(_("Annual check"), lambda e: e.check.get_result_display() if e.check else ""),
        ExportColumn(_("Findings"), lambda e: e.check.findings if e.check else "", 32),
        ExportColumn(_("Follow-up"), lambda e: e.check.get_follow_up_state_display() if e.check else ""),
    ]
    return columns


def organisation_columns(reveal) -> list[ExportColumn]:
    """One row per contact (organisations without contacts get one row); phone numbers masked unless `reveal`."""
    return [
        ExportColumn(_("Organisation"), lambda r: r["organisation"].name, 32),
        ExportColumn(_("Kind"), lambda r: r["organisation"].get_kind_display(), 20),
        ExportColumn(_("Country or region"), lambda r: r["organisation"].country),
        ExportColumn(_("Address"), lambda r: r["organisation"].address, 28),
        ExportColumn(_("Contact"), lambda r: r["contact"].name if r["contact"] else ""),
        ExportColumn(_("Title"), lambda r: r["contact"].title if r["contact"] else ""),
        ExportColumn(_("Mobile"), lambda r: reveal(r["contact"])["mobile"] if r["contact"] else ""),
        ExportColumn(_("Phone"), lambda r: reveal(r["contact"])["phone"] if r["contact"] else ""),
        ExportColumn(_("Email"), lambda r: reveal(r["contact"])["email"] if r["contact"] else "", 24),
    ]

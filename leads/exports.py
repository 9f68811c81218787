"""The Excel exports of the leads app: the columns (Chinese headers through gettext) of each list."""

from django.utils import timezone
from django.utils.translation import gettext as _

from crm.lib.exports import ExportColumn


def _local(value):
    return timezone.localtime(value) if value else None


def lead_columns() -> list[ExportColumn]:
    return [
        ExportColumn(_("Enterprise"), lambda x: x.enterprise.name, 32),
        ExportColumn(_("Unified social credit code"), lambda x: x.enterprise.credit_code or "", 22),
        ExportColumn(_("Lead title"), lambda x: x.title, 28),
        ExportColumn(_("Source"), lambda x: x.get_source_display()),
        ExportColumn(_("Source event"), lambda x: x.source_event.name if x.source_event else "", 24),
        ExportColumn(_("Intended investment (10k CNY)"), lambda x: x.intended_investment_wan),
        ExportColumn(_("Industry"), lambda x: x.industry.name if x.industry else "", 24),
        ExportColumn(_("Owner"), lambda x: x.owner.display_name),
        ExportColumn(_("Status"), lambda x: x.get_status_display()),
        ExportColumn(_("Reason for the status"), lambda x: x.status_reason, 24),
        ExportColumn(_("Received on"), lambda x: x.received_on, 12),
        ExportColumn(_("First response due"), lambda x: x.first_response_due, 12),
        ExportColumn(_("Assessment due"), lambda x: x.assessment_due, 12),
        ExportColumn(_("Notes"), lambda x: x.notes, 32),
    ]


def meeting_columns() -> list[ExportColumn]:
    return [
        ExportColumn(_("Time"), lambda m: _local(m.occurred_at), 18),
        ExportColumn(_("Kind"), lambda m: m.get_kind_display()),
        ExportColumn(_("Enterprise"), lambda m: m.enterprise.name, 32),
        ExportColumn(_("Lead"), lambda m: m.lead.title if m.lead else "", 24),
        ExportColumn(_("Place"), lambda m: m.place, 20),
        ExportColumn(_("What was discussed"), lambda m: m.discussion, 48),
        ExportColumn(_("Investor's demands"), lambda m: m.demands, 32),
        ExportColumn(_("Next steps"), lambda m: m.next_steps, 32),
        ExportColumn(_("Logged by"), lambda m: m.created_by.display_name if m.created_by else ""),
    ]


def import_report_columns() -> list[ExportColumn]:
    return [
        ExportColumn(_("Row"), lambda r: r["row"], 8),
        ExportColumn(_("Action"), lambda r: r["action_label"], 10),
        ExportColumn(_("Enterprise"), lambda r: r["enterprise"], 32),
        ExportColumn(_("Title"), lambda r: r["title"], 28),
        ExportColumn(_("Problems"), lambda r: "；".join(r["errors"]), 60),
        ExportColumn(_("Notices"), lambda r: "；".join(r["warnings"]), 60),
    ]

"""Template tags of aftercare: the panel on the enterprise page, the due visits on the officer's work page,
and the small badges the lists share. Each panel costs a fixed number of queries."""

from django import template
from django.utils import timezone

from aftercare import selectors
from aftercare.choices import CheckResult, ComplaintStatus
from crm.access import can_work, is_leader

register = template.Library()

STATUS_COLOURS = {ComplaintStatus.OPEN: "primary", ComplaintStatus.ANSWERED: "info", ComplaintStatus.CLOSED: "success"}
CHECK_COLOURS = {CheckResult.COMPLIANT: "success", CheckResult.RECTIFY: "warning", CheckResult.REFERRED: "danger"}


@register.inclusion_tag("aftercare/_enterprise_panel.html", takes_context=True)
def aftercare_enterprise_panel(context, enterprise):
    """Key designation, next visit and the service history of an enterprise: four queries."""
    user = context["request"].user
    return {"enterprise": enterprise, "can_work": can_work(user), "can_designate": is_leader(user),
            **selectors.enterprise_panel(enterprise=enterprise, today=timezone.localdate())}


@register.inclusion_tag("aftercare/_due_visits.html")
def aftercare_due_visits(user):
    """The user's key enterprises whose visit is overdue or due within two weeks: one query."""
    return {"visits": selectors.due_visits(user=user, today=timezone.localdate())}


@register.inclusion_tag("aftercare/_visit_badge.html")
def visit_badge(key):
    return {"due": key.next_visit_due, "state": key.visit_state, "days": abs(key.days_left)}


@register.inclusion_tag("aftercare/_complaint_status.html")
def complaint_status(complaint):
    """The status in words and colour; a reopened complaint shows its handling number, a closed one the verdict."""
    cycle = complaint.current_cycle
    return {"label": complaint.get_status_display(), "colour": STATUS_COLOURS.get(complaint.status, "secondary"),
            "reopened": cycle.number > 1, "number": cycle.number,
            "satisfaction": cycle.get_satisfaction_display() if complaint.status == ComplaintStatus.CLOSED else ""}


@register.inclusion_tag("aftercare/_check_badge.html")
def check_badge(check):
    return {"check": check, "colour": CHECK_COLOURS.get(check.result, "secondary") if check else ""}

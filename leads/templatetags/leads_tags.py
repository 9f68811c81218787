"""Template tags of the leads app: the leads panel another app's page (the enterprise page) can include."""

from django import template
from django.utils.translation import gettext_lazy as _

from crm.access import can_work
from leads import selectors
from leads.choices import ClockState

register = template.Library()

CLOCK_CLASSES = {ClockState.MET: "text-muted", ClockState.GREEN: "clock-green", ClockState.YELLOW: "clock-yellow",
                 ClockState.RED: "clock-red"}
CLOCK_ICONS = {ClockState.MET: "check-circle", ClockState.GREEN: "circle-fill", ClockState.YELLOW: "circle-fill",
               ClockState.RED: "exclamation-circle-fill"}


@register.inclusion_tag("leads/_enterprise_panel.html", takes_context=True)
def enterprise_leads_panel(context, enterprise):
    """The enterprise's leads and its timeline (meetings, follow-ups, status changes): four queries."""
    user = context["request"].user
    return {"enterprise": enterprise, "can_work": can_work(user),
            **selectors.enterprise_panel(enterprise=enterprise)}


@register.inclusion_tag("leads/_clock.html")
def clock(state, label=""):
    """A response clock as a coloured dot with its meaning in words (not colour alone)."""
    return {"css": CLOCK_CLASSES.get(state, ""), "icon": CLOCK_ICONS.get(state, "circle"),
            "text": ClockState(state).label if state else "", "label": label or _("Clock")}

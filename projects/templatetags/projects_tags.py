"""Formatting for the pipeline pages: colours for stages, request states and verdicts."""

from django import template

register = template.Library()

STAGE_COLOURS = {
    "negotiating": "secondary", "review": "info", "signed": "primary", "registered": "primary",
    "construction": "warning", "operating": "success", "paused": "dark", "terminated": "danger",
}
STATE_COLOURS = {
    # review requests and opinions
    "pending": "warning", "needs_material": "secondary", "answered": "success",
    "agree": "success", "agree_conditions": "info", "disagree": "danger",
    # pre-check verdicts
    "pass": "success", "fail": "danger", "not_applicable": "secondary",
    # conditions and talent requests
    "open": "warning", "closed": "success", "waived": "secondary", "superseded": "light",
    "in_progress": "info", "granted": "success", "partly": "info", "declined": "danger",
}


@register.filter
def stage_colour(stage: str) -> str:
    return STAGE_COLOURS.get(stage, "secondary")


@register.filter
def state_colour(state: str) -> str:
    return STATE_COLOURS.get(state, "secondary")

from django.utils.translation import gettext_lazy as _

from crm.choices import Role
from crm.navigation import STAFF, NavItem

ITEMS = [
    NavItem(_("My work"), "leads:my_work", frozenset({Role.OFFICER, Role.LEADER}), "house-door", 10),
    NavItem(_("Leads"), "leads:lead_list", STAFF, "lightbulb", 20),
    NavItem(_("Pipeline"), "leads:lead_pipeline", frozenset({Role.LEADER}), "bar-chart-steps", 22),
    NavItem(_("Meetings"), "leads:meeting_list", STAFF, "people", 40),
    NavItem(_("Promotion events"), "leads:event_list", STAFF, "megaphone", 50),
]

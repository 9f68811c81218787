from django.utils.translation import gettext_lazy as _

from crm.access import STAFF_ROLES, WORKING_ROLES
from crm.choices import Role
from crm.navigation import NavItem

ITEMS = [
    NavItem(_("My work"), "leads:my_work", WORKING_ROLES, "house-door", 10),
    NavItem(_("Leads"), "leads:lead_list", STAFF_ROLES, "lightbulb", 20),
    NavItem(_("Pipeline"), "leads:lead_pipeline", frozenset({Role.LEADER}), "bar-chart-steps", 22),
    NavItem(_("Meetings"), "leads:meeting_list", STAFF_ROLES, "people", 40),
    NavItem(_("Promotion events"), "leads:event_list", STAFF_ROLES, "megaphone", 50),
]

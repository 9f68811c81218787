from django.utils.translation import gettext_lazy as _

from crm.access import STAFF_ROLES
from crm.choices import Role
from crm.navigation import NavItem

ITEMS = [
    NavItem(_("Dashboard"), "reports:dashboard", STAFF_ROLES, "speedometer2", 5),
    NavItem(_("Our turnaround"), "reports:my_turnaround", frozenset({Role.REVIEWER}), "stopwatch", 20),
]

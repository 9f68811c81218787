from django.utils.translation import gettext_lazy as _

from crm.access import STAFF_ROLES
from crm.choices import Role
from crm.navigation import NavItem

LEADERS = frozenset({Role.LEADER})

ITEMS = [
    NavItem(_("My review requests"), "projects:my_reviews", frozenset({Role.REVIEWER}), "inbox", 10),
    NavItem(_("Projects"), "projects:project_list", STAFF_ROLES, "kanban", 40),
    NavItem(_("Pipeline board"), "projects:pipeline_board", LEADERS, "columns-gap", 45),
    NavItem(_("Overdue reviews"), "projects:overdue_reviews", LEADERS, "alarm", 46),
]

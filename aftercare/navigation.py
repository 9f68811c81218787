from django.utils.translation import gettext_lazy as _

from crm.access import STAFF_ROLES
from crm.choices import Role
from crm.navigation import NavItem

LEADERS = frozenset({Role.LEADER})

ITEMS = [
    NavItem(_("Complaints to answer"), "aftercare:complaint_list", frozenset({Role.REVIEWER}), "megaphone", 11),
    NavItem(_("Key enterprises"), "aftercare:key_list", STAFF_ROLES, "star", 50),
    NavItem(_("Complaints"), "aftercare:complaint_list", STAFF_ROLES, "megaphone", 51),
    NavItem(_("Complaint statistics"), "aftercare:complaint_overview", LEADERS, "speedometer2", 52),
    NavItem(_("Foreign-invested enterprises"), "aftercare:foreign_list", STAFF_ROLES, "globe", 53),
    NavItem(_("Organisations"), "aftercare:organisation_list", STAFF_ROLES, "people", 54),
]

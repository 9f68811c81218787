from django.utils.translation import gettext_lazy as _

from crm.choices import Role
from crm.navigation import STAFF, NavItem

ITEMS = [
    NavItem(_("Incentive awards"), "awards:application_list", STAFF, "award", 60),
    NavItem(_("Award calculator"), "awards:calculator", frozenset({Role.OFFICER, Role.LEADER}), "calculator", 61),
]

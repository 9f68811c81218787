from django.utils.translation import gettext_lazy as _

from crm.access import STAFF_ROLES, WORKING_ROLES
from crm.navigation import NavItem

ITEMS = [
    NavItem(_("Incentive awards"), "awards:application_list", STAFF_ROLES, "award", 60),
    NavItem(_("Award calculator"), "awards:calculator", WORKING_ROLES, "calculator", 61),
]

from django.utils.translation import gettext_lazy as _

from crm.choices import Role
from crm.navigation import NavItem

ITEMS = [
    NavItem(_("My review requests"), "projects:my_reviews", frozenset({Role.REVIEWER}), "inbox", 10),
]

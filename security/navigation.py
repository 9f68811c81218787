from django.utils.translation import gettext_lazy as _

from crm.choices import Role
from crm.navigation import NavItem

ITEMS = [
    NavItem(_("Accounts and roles"), "security:account_list", frozenset({Role.SECURITY_ADMIN}), "people", 80),
    NavItem(_("API tokens"), "security:account_token_list", frozenset({Role.SECURITY_ADMIN}), "key", 81),
    NavItem(_("Security audit log"), "security:audit_list", frozenset({Role.AUDIT_ADMIN}), "journal-check", 80),
    NavItem(_("Account security"), "security:account_security", frozenset(Role.values), "shield-lock", 900),
]

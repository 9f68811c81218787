"""Role-aware navigation. Each app declares its menu entries in `<app>/navigation.py` as ITEMS; the menu
shown to a user is computed here, in Python, so templates hold no permission logic."""

from dataclasses import dataclass
from importlib import import_module

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from crm.access import STAFF_ROLES
from crm.choices import Role

NAV_APPS = ("crm", "leads", "projects", "awards", "aftercare", "reports", "security")


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset
    icon: str = "circle"
    order: int = 100


ITEMS = [
    NavItem(_("Enterprises"), "crm:enterprise_list", STAFF_ROLES, "building", 30),
]

# Where each role lands after logging in (first match that resolves).
HOME_BY_ROLE = {
    Role.OFFICER: ["leads:my_work", "crm:enterprise_list"],
    Role.LEADER: ["reports:dashboard", "crm:enterprise_list"],
    Role.REVIEWER: ["projects:my_reviews"],
    Role.ADMIN: ["admin:index"],
    Role.SECURITY_ADMIN: ["security:account_list"],
    Role.AUDIT_ADMIN: ["security:audit_list"],
}


def _all_items():
    items = []
    for app in NAV_APPS:
        try:
            module = import_module(f"{app}.navigation")
        except ModuleNotFoundError:
            continue
        items.extend(getattr(module, "ITEMS", []))
    return sorted(items, key=lambda item: item.order)


def menu_for(user, current_path: str = ""):
    if not user.is_authenticated:
        return []
    menu = []
    for item in _all_items():
        if user.role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        menu.append({"label": item.label, "url": url, "icon": item.icon,
                     "active": current_path.startswith(url) and url != "/"})
    if user.role == Role.ADMIN or user.is_superuser:
        menu.append({"label": _("Back office"), "url": reverse("admin:index"), "icon": "gear", "active": False})
    return menu


def home_url_for(user) -> str:
    for name in HOME_BY_ROLE.get(user.role, []):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return reverse("crm:enterprise_list")

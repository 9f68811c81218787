"""The permissions each role's group carries. Access to pages is decided by crm.access; these permissions
govern the Django admin (the back office), which only administrators enter."""

from django.apps import apps as global_apps

# App labels whose models the back office manages.
BACK_OFFICE_APPS = ("crm", "leads", "projects", "awards", "aftercare", "reports")

# What the system administrator keeps in the back office besides accounts: settings and reference data. Every
# other model of the product's apps is a business record, which the back office only shows (view permission,
# crm.back_office.RecordAdmin): its changes go through the services on the pages and the API.
SETTINGS_MODELS = frozenset({
    "crm.bureau", "crm.industry", "crm.keyindustry", "crm.calendarday", "crm.verifiedcreditcode",
    "leads.responseclockrule", "projects.area", "projects.entrythreshold", "awards.awardpolicy",
})
# Accounts: created, renamed and deactivated in the back office; never deleted (a username names one person for
# the life of the audit log); role and bureau are the security administrator's (read-only in the form).
ACCOUNT_PERMISSIONS = ("add_user", "change_user", "view_user")

ROLE_GROUP_NAMES = {
    "officer": "Promotion officers",
    "leader": "Leaders",
    "reviewer": "Partner reviewers",
    "admin": "Administrators",
    "security_admin": "Security administrators",
    "audit_admin": "Audit administrators",
}


def sync_group_permissions(*, apps=global_apps, **kwargs):
    """Create the role groups and give the system administrators their back-office permissions.

    Settings and reference data (SETTINGS_MODELS): add, change, delete, view. Accounts: add, change, view (an
    account is deactivated, never deleted). Every other model of the product: view only. (三员分立: the security
    and audit administrators work on their own pages, not in the back office, and hold no back-office
    permissions.)
    """
    from django.db.models import Q

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    groups = {role: Group.objects.get_or_create(name=name)[0] for role, name in ROLE_GROUP_NAMES.items()}
    product = Permission.objects.filter(content_type__app_label__in=BACK_OFFICE_APPS)
    settings_models = Q()
    for label in SETTINGS_MODELS:
        app_label, model = label.split(".")
        settings_models |= Q(content_type__app_label=app_label, content_type__model=model)
    accounts = Q(content_type__app_label="crm", content_type__model="user", codename__in=ACCOUNT_PERMISSIONS)
    view_perms = product.filter(codename__startswith="view_")
    groups["admin"].permissions.set(product.filter(settings_models | accounts | Q(codename__startswith="view_")))
    groups["leader"].permissions.set(view_perms)

"""The permissions each role's group carries. Access to pages is decided by crm.access; these permissions
govern the Django admin (the back office), which only administrators enter."""

from django.apps import apps as global_apps

# App labels whose models the back office manages.
BACK_OFFICE_APPS = ("crm", "leads", "projects", "awards", "aftercare", "reports")

ROLE_GROUP_NAMES = {
    "officer": "Promotion officers",
    "leader": "Leaders",
    "reviewer": "Partner reviewers",
    "admin": "Administrators",
    "security_admin": "Security administrators",
    "audit_admin": "Audit administrators",
}


def sync_group_permissions(*, apps=global_apps, **kwargs):
    """Create the role groups and give the system administrators every permission on the product's models.

    Except deleting accounts: an account is deactivated, never deleted, so a username names one person for
    the whole life of the audit log (三员分立: the security and audit administrators work on their own pages,
    not in the back office, and hold no back-office permissions).
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    groups = {role: Group.objects.get_or_create(name=name)[0] for role, name in ROLE_GROUP_NAMES.items()}
    admin_perms = Permission.objects.filter(content_type__app_label__in=BACK_OFFICE_APPS).exclude(
        content_type__app_label="crm", codename="delete_user"
    )
    groups["admin"].permissions.set(admin_perms)
    view_perms = admin_perms.filter(codename__startswith="view_")
    groups["leader"].permissions.set(view_perms)

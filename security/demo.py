"""Demo accounts for 三员分立: a security administrator and an audit administrator beside crm's demo users.

Leaders and administrators are asked to set up two-step login at their first login (CRM_OTP_REQUIRED_ROLES);
for a quick local trial without an authenticator app, start with CRM_OTP_REQUIRED_ROLES= (empty), see README.
"""

from django.conf import settings

from crm.choices import Role
from crm.demo import DEMO_PASSWORD
from crm.models import User
from crm.services import user_create

DEMO_ADMINISTRATORS = [
    ("security.admin", "符安全", Role.SECURITY_ADMIN),
    ("audit.admin", "黎审计", Role.AUDIT_ADMIN),
]


def seed(out=print):
    for username, full_name, role in DEMO_ADMINISTRATORS:
        if not User.objects.filter(username=username).exists():
            user_create(username=username, password=DEMO_PASSWORD, role=role, full_name=full_name,
                        email=f"{username}@jiyang.invalid")
    if settings.CRM_OTP_REQUIRED_ROLES:
        roles = ", ".join(settings.CRM_OTP_REQUIRED_ROLES)
        out(f"Security: two-step login is required for the roles {roles}; those demo accounts set up an "
            "authenticator app at their first login (CRM_OTP_REQUIRED_ROLES= turns this off for a local trial).")

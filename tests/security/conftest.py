"""The two administrators of 三员分立 beside the shared personas, and helpers to read the audit log."""

import pytest

from crm.choices import Role
from security.models import AuditEntry
from tests.factories import UserFactory


@pytest.fixture
def security_admin(db):
    return UserFactory(username="security.admin", full_name="安全管理员", role=Role.SECURITY_ADMIN)


@pytest.fixture
def audit_admin(db):
    return UserFactory(username="audit.admin", full_name="审计管理员", role=Role.AUDIT_ADMIN)


@pytest.fixture
def all_personas(personas, security_admin, audit_admin):
    return {**personas, "security_admin": security_admin, "audit_admin": audit_admin}


def entries(action, **filters):
    """The audit entries of one action, oldest first."""
    return list(AuditEntry.objects.filter(action=action, **filters).order_by("seq"))

"""The nightly chain check and monthly archive, and the settings checks that guard the controls."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone

from crm.models import Notification
from security import tasks
from security.checks import security_settings
from security.models import AuditArchiveEntry
from tests.security.factories import audit_entries, tamper


@pytest.mark.django_db
def test_a_broken_chain_found_at_night_notifies_the_audit_administrators_once_a_day(audit_admin, security_admin):
    entries = audit_entries(3)
    assert tasks.verify_audit_chain() == {"checked": 5, "broken_at": None}  # with the two accounts' creation
    tamper("UPDATE security_auditentry SET actor_username = 'x' WHERE seq = %s", [entries[1].seq])
    assert tasks.verify_audit_chain()["broken_at"] == entries[1].seq
    tasks.verify_audit_chain()
    notes = Notification.objects.filter(recipient=audit_admin)
    assert notes.count() == 1 and f"第 {entries[1].seq} 条" in notes.get().message
    assert not Notification.objects.filter(recipient=security_admin).exists()
    assert tasks.archive_audit_log() == {"archived": 0}


@pytest.mark.django_db
def test_the_monthly_archive_moves_old_entries():
    with time_machine.travel(timezone.now() - timedelta(days=181)):
        audit_entries(2)
    assert tasks.archive_audit_log() == {"archived": 2}
    assert AuditArchiveEntry.objects.count() == 2


def test_settings_that_weaken_a_control_fail_the_system_check(settings):
    settings.CRM_AUDIT_RETENTION_DAYS = 90
    settings.CRM_OTP_REQUIRED_ROLES = ["leader", "boss"]
    ids = sorted(error.id for error in security_settings())
    assert ids == ["security.E001", "security.E002"]
    with pytest.raises(SystemCheckError):
        call_command("check")


def test_the_default_settings_pass(settings):
    assert security_settings() == []

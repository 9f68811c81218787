"""三员分立: the system, security and audit administrators each hold one power, and nobody erases the trace."""

import pytest
from django.urls import reverse

from crm import access
from crm.choices import Role
from crm.models import User
from security.choices import AuditAction, AuditResult
from security.models import AuditEntry
from tests.factories import UserFactory, bureau
from tests.security.conftest import entries


@pytest.mark.django_db
def test_each_administrator_role_holds_exactly_one_power(administrator, security_admin, audit_admin, leader):
    powers = {
        user.role: (access.can_manage_accounts(user), access.can_assign_role(user), access.can_read_audit_log(user))
        for user in (administrator, security_admin, audit_admin, leader)
    }
    assert powers == {
        Role.ADMIN: (True, False, False),
        Role.SECURITY_ADMIN: (False, True, False),
        Role.AUDIT_ADMIN: (False, False, True),
        Role.LEADER: (False, False, False),
    }


@pytest.mark.django_db
def test_the_system_administrator_cannot_give_roles_read_the_audit_log_or_delete_accounts(login, administrator,
                                                                                           officer):
    client = login(administrator)
    assert client.get(reverse("security:audit_list")).status_code == 404
    assert client.get(reverse("security:account_list")).status_code == 404
    assert client.get(reverse("security:account_role", args=[officer.pk])).status_code == 404
    change = client.get(reverse("admin:crm_user_change", args=[officer.pk]))
    assert change.status_code == 200 and 'name="role"' not in change.content.decode()
    assert client.get(reverse("admin:crm_user_delete", args=[officer.pk])).status_code == 403
    assert client.get(reverse("admin:security_auditentry_changelist")).status_code == 403


@pytest.mark.django_db
def test_accounts_the_system_administrator_creates_start_as_officers(login, administrator):
    response = login(administrator).post(reverse("admin:crm_user_add"), {
        "username": "new.person", "full_name": "新同事", "role": "leader",
        "password1": "Welcome-Sanya-2026", "password2": "Welcome-Sanya-2026",
    })
    assert response.status_code == 302
    assert User.objects.get(username="new.person").role == Role.OFFICER
    created = entries(AuditAction.USER_CREATED)[-1]
    assert (created.actor_username, created.target_label, created.detail["role"]) == (
        "administrator", "新同事", "officer")


@pytest.mark.django_db
def test_the_security_administrator_gives_roles_and_the_change_is_recorded(login, security_admin, officer):
    other = login(officer)
    assert other.get(reverse("crm:enterprise_list")).status_code == 200
    from django.test import Client

    admin_client = Client()
    admin_client.force_login(security_admin)
    response = admin_client.post(reverse("security:account_role", args=[officer.pk]), {"role": "leader"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.role == Role.LEADER and officer.groups.get().name == "Leaders"
    change = entries(AuditAction.ROLE_CHANGED)[-1]
    assert (change.actor_username, change.target_label, change.detail["role"]) == (
        "security.admin", "王晓明", {"from": "officer", "to": "leader"})
    assert other.get(reverse("crm:enterprise_list")).status_code == 302  # the old powers' session ended


@pytest.mark.django_db
def test_a_reviewer_role_needs_a_bureau(login, security_admin, officer):
    response = login(security_admin).post(reverse("security:account_role", args=[officer.pk]), {"role": "reviewer"})
    assert response.status_code == 200 and "部门" in response.content.decode()
    login(security_admin).post(reverse("security:account_role", args=[officer.pk]),
                               {"role": "reviewer", "bureau": bureau("ecology").pk})
    officer.refresh_from_db()
    assert (officer.role, officer.bureau.code) == (Role.REVIEWER, "ecology")


@pytest.mark.django_db
def test_the_security_administrator_cannot_change_their_own_role_nor_reach_the_back_office_or_the_log(
        login, security_admin):
    client = login(security_admin)
    own = client.post(reverse("security:account_role", args=[security_admin.pk]), {"role": "audit_admin"})
    assert own.status_code == 403
    security_admin.refresh_from_db()
    assert security_admin.role == Role.SECURITY_ADMIN
    assert client.get(reverse("security:audit_list")).status_code == 404
    assert client.get(reverse("admin:index")).status_code == 302  # not staff: the back office's login page
    refusals = entries(AuditAction.PERMISSION_DENIED, actor_username="security.admin")
    assert [(e.path, e.detail["status"]) for e in refusals][:2] == [
        (reverse("security:account_role", args=[security_admin.pk]), 403), (reverse("security:audit_list"), 404)]


@pytest.mark.django_db
def test_the_security_administrator_resets_a_second_factor_and_lifts_a_lockout(login, security_admin, leader):
    from axes.models import AccessAttempt
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
    AccessAttempt.objects.create(username="leader", ip_address="10.0.0.9", user_agent="x", failures_since_start=9,
                                 get_data="", post_data="", http_accept="", path_info="/login/")
    client = login(security_admin)
    page = client.get(reverse("security:account_list")).content.decode()
    assert "已锁定" in page
    client.post(reverse("security:account_otp_reset", args=[leader.pk]))
    client.post(reverse("security:account_unlock", args=[leader.pk]))
    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert not AccessAttempt.objects.filter(username="leader").exists()
    assert [e.action for e in AuditEntry.objects.filter(actor_username="security.admin").order_by("seq")
            if e.action != AuditAction.LOGIN] == [AuditAction.OTP_RESET, AuditAction.ACCOUNT_UNLOCKED]


@pytest.mark.django_db
def test_the_audit_administrator_reads_and_exports_the_log_but_changes_nothing(login, audit_admin, officer):
    client = login(audit_admin)
    page = client.get(reverse("security:audit_list"), {"action": "user_created"})
    assert page.status_code == 200 and "王晓明" in page.content.decode()
    export = client.get(reverse("security:audit_export"), {"username": "audit"})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert "audit.admin" in export.content.decode("utf-8-sig")
    assert client.get(reverse("security:account_list")).status_code == 404
    assert client.post(reverse("security:account_role", args=[officer.pk]), {"role": "leader"}).status_code == 404
    assert client.get(reverse("admin:index")).status_code == 302
    assert entries(AuditAction.AUDIT_VIEWED)[-1].actor_username == "audit.admin"
    assert entries(AuditAction.EXPORT)[-1].target_label == "security audit log"


@pytest.mark.django_db
def test_nobody_can_change_or_delete_an_entry_in_the_back_office_even_an_audit_administrator_on_staff(
        client, officer):
    auditor = UserFactory(username="staff.auditor", role=Role.AUDIT_ADMIN, is_staff=True)
    client.force_login(auditor)
    entry = AuditEntry.objects.order_by("seq").first()
    assert client.get(reverse("admin:security_auditentry_changelist")).status_code == 200
    change_url = reverse("admin:security_auditentry_change", args=[entry.pk])
    assert 'name="result"' not in client.get(change_url).content.decode()  # read-only view
    forged = client.post(change_url, {"result": "denied", "target_label": "forged"})
    assert forged.status_code == 403
    assert client.post(reverse("admin:security_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code \
        == 403
    assert client.post(reverse("admin:security_auditentry_changelist"),
                       {"action": "delete_selected", "_selected_action": [entry.pk]}).status_code in (200, 302)
    assert AuditEntry.objects.get(pk=entry.pk).entry_hash == entry.entry_hash
    refused = entries(AuditAction.PERMISSION_DENIED, actor_username="staff.auditor")
    assert {e.result for e in refused} == {AuditResult.DENIED} and len(refused) >= 2


@pytest.mark.django_db
def test_a_forged_request_without_a_csrf_token_is_refused_and_recorded(officer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(reverse("security:password_change"), {"old_password": "x"})
    assert response.status_code == 403
    assert entries(AuditAction.PERMISSION_DENIED)[-1].detail == {"status": 403, "method": "POST"}


@pytest.mark.django_db
def test_an_administrator_is_created_from_the_server_console_with_a_checked_password(monkeypatch):
    from django.core.management import CommandError, call_command

    answers = iter(["short", "short"])
    monkeypatch.setattr("security.management.commands.create_administrator.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError):
        call_command("create_administrator", "first.auditor", "--role", "audit_admin")
    answers = iter(["Sanya-Audit-2026", "Sanya-Audit-2026"])
    call_command("create_administrator", "first.auditor", "--role", "audit_admin", "--full-name", "审计员")
    user = User.objects.get(username="first.auditor")
    assert user.role == Role.AUDIT_ADMIN and user.check_password("Sanya-Audit-2026")
    assert entries(AuditAction.USER_CREATED, detail__via="create_administrator")[0].actor_username == \
        "(server console)"

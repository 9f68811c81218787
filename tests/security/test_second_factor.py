"""TOTP: required for the configured roles, enrolled with a QR code, enforced on every page, recovery codes."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.choices import AuditAction, AuditResult
from tests.security.conftest import entries

PASSWORD = "Correct-horse-9"


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def otp_for_leaders(settings):
    settings.CRM_OTP_REQUIRED_ROLES = ["leader", "admin", "security_admin", "audit_admin"]


def test_production_requires_a_second_factor_for_leaders_and_administrators():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(DEBUG="True")
    code = "from django.conf import settings; print(','.join(settings.CRM_OTP_REQUIRED_ROLES))"
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], env=env, text=True,
                            capture_output=True, cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "leader,admin,security_admin,audit_admin", result.stderr


@pytest.mark.django_db
def test_a_leader_without_an_authenticator_must_enrol_before_any_page(otp_for_leaders, client, leader):
    client.post(reverse("login"), {"username": "leader", "password": PASSWORD})
    response = client.get(reverse("crm:enterprise_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("security:otp_enrol"))
    page = client.get(response.url).content.decode()
    assert "<svg" in page and "https://" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


@pytest.mark.django_db
def test_an_officer_is_not_asked_for_a_second_factor_unless_the_role_is_configured(client, officer, settings):
    settings.CRM_OTP_REQUIRED_ROLES = ["leader"]
    client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert client.get(reverse("crm:enterprise_list")).status_code == 200
    settings.CRM_OTP_REQUIRED_ROLES = ["officer"]
    assert client.get(reverse("crm:enterprise_list")).status_code == 302


@pytest.mark.django_db
def test_enrolment_with_the_right_code_issues_recovery_codes_and_opens_the_pages(otp_for_leaders, client, leader):
    client.post(reverse("login"), {"username": "leader", "password": PASSWORD})
    client.get(reverse("security:otp_enrol"))
    device = TOTPDevice.objects.get(user=leader, confirmed=False)
    wrong = client.post(reverse("security:otp_enrol"), {"token": "000000" if code_for(device) != "000000" else "1"})
    assert wrong.status_code == 200 and "验证码错误" in wrong.content.decode()
    response = client.post(reverse("security:otp_enrol"), {"token": code_for(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and all(code in response.content.decode() for code in codes)
    assert client.get(reverse("crm:enterprise_list")).status_code == 200
    assert [e.action for e in entries(AuditAction.OTP_FAILED)] == ["otp_failed"]
    assert entries(AuditAction.OTP_ENROLLED)[-1].actor_username == "leader"


@pytest.mark.django_db
def test_a_wrong_code_at_login_is_refused_and_recorded_and_the_right_one_passes(otp_for_leaders, client, leader):
    device = TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
    client.post(reverse("login"), {"username": "leader", "password": PASSWORD})
    response = client.get(reverse("crm:enterprise_list"))
    assert response.url.startswith(reverse("security:otp_verify"))
    wrong = client.post(reverse("security:otp_verify"), {"token": "12345"})
    assert wrong.status_code == 200 and "验证码错误" in wrong.content.decode()
    assert client.get(reverse("crm:enterprise_list")).status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down the next try after a failure; the test does not wait
    passed = client.post(reverse("security:otp_verify") + "?next=/enterprises/", {"token": code_for(device)})
    assert passed.status_code == 302 and passed.url == "/enterprises/"
    assert client.get(reverse("crm:enterprise_list")).status_code == 200
    failed = entries(AuditAction.OTP_FAILED)
    assert [(e.actor_username, e.result) for e in failed] == [("leader", AuditResult.FAILURE)]
    assert entries(AuditAction.OTP_VERIFIED)[-1].detail == {"method": "authenticator"}


@pytest.mark.django_db
def test_a_recovery_code_logs_in_once(otp_for_leaders, client, leader):
    from security import services

    TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
    code = services.otp_recovery_codes_issue(user=leader)[0]
    client.post(reverse("login"), {"username": "leader", "password": PASSWORD})
    assert client.post(reverse("security:otp_verify"), {"token": code}).status_code == 302
    assert client.get(reverse("crm:enterprise_list")).status_code == 200
    assert not StaticToken.objects.filter(token=code).exists()
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "leader", "password": PASSWORD})
    assert client.post(reverse("security:otp_verify"), {"token": code}).status_code == 200


@pytest.mark.django_db
def test_a_forced_login_cannot_skip_the_second_factor(otp_for_leaders, login, administrator):
    client = login(administrator)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(reverse("security:otp_enrol"))

"""A leader sets up two-step login in a real browser, then logs in again with a code from the app."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.choices import AuditAction
from security.models import AuditEntry
from tests.browser.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(device, steps_ahead=0):
    """What the authenticator app shows, computed from the device's key (a later step: a fresh code)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - steps_ahead * device.step):06d}"


def test_a_leader_enrols_an_authenticator_and_logs_in_with_it(page, live_server, leader, settings):
    settings.CRM_OTP_REQUIRED_ROLES = ["leader"]
    log_in(page, live_server, leader)
    assert "/security/account/second-factor/enrol/" in page.url
    assert page.locator("h1").inner_text() == "绑定两步登录"
    assert page.locator(".otp-qr svg").count() == 1
    screenshot(page, "otp-enrol")

    device = TOTPDevice.objects.get(user=leader, confirmed=False)
    page.fill("input[name=token]", app_code(device))
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    codes = page.locator("[data-testid=recovery-codes] code").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, "otp-recovery-codes")
    page.click("text=我已妥善保存，继续")
    page.wait_for_load_state("networkidle")
    assert "second-factor" not in page.url

    page.click("nav button[type=submit]:has-text('退出')")
    page.wait_for_load_state("networkidle")
    log_in(page, live_server, leader)
    assert "/security/account/second-factor/verify/" in page.url
    page.fill("input[name=token]", "000000" if app_code(device, 1) != "000000" else "111111")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "验证码错误" in page.locator("main").inner_text()
    screenshot(page, "otp-verify-wrong-code")
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes the next try wait after a wrong code; the test does not wait
    page.fill("input[name=token]", app_code(device, 1))
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "second-factor" not in page.url and "/login/" not in page.url
    screenshot(page, "otp-logged-in")
    actions = list(AuditEntry.objects.filter(actor_username="leader").order_by("seq").values_list("action", flat=True))
    assert actions[-3:] == [AuditAction.LOGIN, AuditAction.OTP_FAILED, AuditAction.OTP_VERIFIED]
    assert AuditAction.OTP_ENROLLED in actions

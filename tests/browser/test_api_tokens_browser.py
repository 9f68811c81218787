"""An officer makes their own API token after the second factor, sees the key once, and revokes it; the page reads
on a desktop and on a phone."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from crm.models import ApiToken
from tests.browser.conftest import log_in, screenshot
from tests.security.test_second_factor import code_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_makes_a_token_sees_the_key_once_and_revokes_it(page, live_server, officer):
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    log_in(page, live_server, officer)
    page.goto(f"{live_server.url}/security/account/api-tokens/")
    assert "/second-factor/" in page.url  # the second factor first, even for an officer
    page.fill("input[name=token]", code_for(device))
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/security/account/api-tokens/")
    page.fill("input[name=name]", "招商办公系统")
    page.click("main button[type=submit]:has-text('创建令牌')")
    page.wait_for_load_state("networkidle")
    token = ApiToken.objects.get(user=officer)
    body = page.locator("main").inner_text()
    assert token.prefix in body and "招商办公系统" in body
    screenshot(page, "api-token-created")
    page.goto(f"{live_server.url}/security/account/api-tokens/")
    assert token.prefix in page.locator("main").inner_text()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "api-token-list-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # nothing runs off a phone's screen
    page.set_viewport_size({"width": 1366, "height": 900})
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("main button:has-text('吊销')")
    page.wait_for_load_state("networkidle")
    screenshot(page, "api-token-list-1366")
    token.refresh_from_db()
    assert token.revoked_at is not None

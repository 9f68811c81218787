"""An officer registers an enterprise in a real browser: the Chinese error for a wrong code, then success."""

import pytest

from crm.models import Enterprise
from tests.browser.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_fixes_a_wrong_credit_code_and_finds_the_enterprise_in_the_list(page, live_server, officer):
    log_in(page, live_server, officer)
    page.goto(f"{live_server.url}/enterprises/new/")
    page.fill("input[name=name]", "三亚浏览器测试旅游有限公司")
    page.fill("input[name=credit_code]", "91350100M000100Y44")  # check character should be 3
    page.click("main button[type=submit]")
    screenshot(page, "enterprise-wrong-credit-code")
    error = page.locator(".invalid-feedback, .errorlist").first
    assert "校验位错误" in error.inner_text()
    screenshot(page, "enterprise-wrong-credit-code")
    assert not Enterprise.objects.filter(name="三亚浏览器测试旅游有限公司").exists()

    page.fill("input[name=credit_code]", "91350100m000100y43")  # lower case is normalised
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "三亚浏览器测试旅游有限公司"
    assert "91350100M000100Y43" in page.content()

    page.goto(f"{live_server.url}/enterprises/?q=浏览器测试")
    row = page.locator("table tbody tr").first
    assert "三亚浏览器测试旅游有限公司" in row.inner_text()
    screenshot(page, "enterprise-list-after-create")

"""An officer shows an investor the award calculator, then submits an application that a leader approves,
in a real browser."""

import pytest

from awards import services
from awards.models import AwardApplication, AwardPolicy
from tests.awards.factories import INSTALMENT_POLICY, capital, landed_project
from tests.browser.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_computes_a_what_if_award_then_a_leader_approves_the_application(
        page, live_server, officer, leader):
    policy = services.award_policy_import(text=INSTALMENT_POLICY).policy
    project = landed_project(officer, name="浏览器测试总部项目")
    capital(project, officer, wan=20000)
    sanya = AwardPolicy.objects.get(key="sanya-2018-headquarters")

    log_in(page, live_server, officer)
    page.goto(f"{live_server.url}/awards/calculator/")
    page.select_option("select[name=policy]", str(sanya.pk))
    page.fill("input[name=paid_in_registered_capital]", "20000")  # "if they pay in 2亿元 of registered capital…"
    page.select_option("select[name=is_newly_settled]", "yes")
    page.select_option("select[name=is_international_organisation_hq]", "no")
    page.click("#calculator-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    # 5,000万 × 1% + 15,000万 × 2% = 50万 + 300万 = 350万元 start-up subsidy; the other clauses lack figures.
    assert page.locator("#sheet-total").inner_text() == "3,500,000.00"
    assert "开办补助" in page.content() and "缺少事实" in page.content()
    screenshot(page, "award-calculator")

    page.goto(f"{live_server.url}/awards/applications/new/?project={project.pk}")
    page.select_option("select[name=policy]", str(policy.pk))
    page.select_option("select[name=beneficiary]", "enterprise")
    page.fill("input[name=first_award_year]", "2025")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#sheet-total").inner_text() == "2,000,000.00"  # 1% of 2亿元 in place
    page.click("#submit-application")
    page.wait_for_load_state("networkidle")
    assert page.locator("#application-status").inner_text() == "已提交"
    application = AwardApplication.objects.get(project=project)

    page.context.clear_cookies()
    log_in(page, live_server, leader)
    page.goto(f"{live_server.url}/awards/applications/{application.pk}/")
    page.click("#approve-application")
    page.wait_for_load_state("networkidle")
    assert page.locator("#application-status").inner_text() == "已批准·公示中"
    assert page.locator("#instalments tbody tr").count() == 3
    screenshot(page, "award-application-approved")
    page.emulate_media(media="print")
    screenshot(page, "award-application-print")
    application.refresh_from_db()
    assert application.approved_by == leader

"""An officer's morning in a real browser: add a lead, be warned of a duplicate, log a meeting with a
follow-up for today, and find it on the work page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from leads.models import FollowUp, Lead
from tests.browser.conftest import log_in, screenshot
from tests.factories import EnterpriseFactory
from tests.leads.conftest import reference_data  # noqa: F401 (a fixture)
from tests.leads.factories import LeadFactory

# serialized_rollback: the reference data (bureaus, industries) is restored for each transactional test.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.usefixtures("reference_data")  # before the personas, which need the bureaus
def test_an_officer_adds_a_lead_past_a_duplicate_warning_logs_a_meeting_and_sees_the_follow_up(
        page, live_server, officer, other_officer):
    LeadFactory(enterprise=EnterpriseFactory(name="海南椰城康养产业有限公司"), owner=other_officer,
                title="椰城康养综合体")
    log_in(page, live_server, officer)
    assert page.url.endswith("/leads/my-work/")

    page.goto(f"{live_server.url}/leads/new/")
    page.fill("input[name=new_enterprise_name]", "海南椰城康养产业 有限责任公司")
    page.fill("input[name=title]", "康养旅游度假区")
    page.select_option("select[name=source]", "inbound")
    page.fill("input[name=intended_investment_wan]", "30000")
    page.click("main button[type=submit]")
    warning = page.locator("#duplicate-warning")
    assert "可能已有人在跟进" in warning.inner_text() and "李娜" in warning.inner_text()
    screenshot(page, "lead-duplicate-warning")
    assert not Lead.objects.filter(title="康养旅游度假区").exists()

    page.fill("textarea[name=duplicate_reason]", "同一集团的另一投资主体，已与李娜确认分工")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("康养旅游度假区")

    page.click("text=记录洽谈")
    occurred = timezone.localtime() - timedelta(hours=1)
    page.fill("input[name=occurred_at]", occurred.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=place]", "吉阳区政府三楼会议室")
    page.fill("textarea[name=discussion]", "企业介绍康养度假区规划，需要约80亩用地。")
    page.fill("textarea[name=demands]", "希望明确用地指标和人才落户政策")
    page.fill("input[name=follow_up_title]", "对接资规分局确认地块规划")
    page.fill("input[name=follow_up_due]", timezone.localdate().isoformat())
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "吉阳区政府三楼会议室" in page.content()  # the lead's timeline shows the meeting
    assert FollowUp.objects.filter(owner=officer, due_on=timezone.localdate()).exists()

    page.goto(f"{live_server.url}/leads/my-work/")
    due = page.locator("#due-follow-ups")
    assert "对接资规分局确认地块规划" in due.inner_text() and "今天" in due.inner_text()
    screenshot(page, "my-work-with-follow-up")

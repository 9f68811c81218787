"""In a real browser: an officer registers an investor's complaint routed to the NDRC, whose reviewer finds it in
their menu and answers it; the officer then sees the answer on time."""

import pytest

from aftercare.choices import ComplaintStatus
from aftercare.models import Complaint
from tests.browser.conftest import log_in, screenshot
from tests.factories import ContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_officer_registers_a_complaint_that_the_routed_bureaus_reviewer_answers(page, live_server, officer,
                                                                                     reviewer):
    contact = ContactFactory(name="赵经理", enterprise__name="三亚浏览器投诉测试有限公司")
    enterprise = contact.enterprise
    log_in(page, live_server, officer)
    page.goto(f"{live_server.url}/aftercare/complaints/new/?enterprise={enterprise.pk}")
    page.select_option("select[name=kind]", "complaint")
    page.select_option("select[name=channel]", "call")
    page.select_option("select[name=category]", "approval_delay")
    page.fill("input[name=subject]", "技改项目备案超期")
    page.select_option("select[name=bureau]", label="吉阳区发展改革委员会")
    page.fill("input[name=due_working_days]", "5")
    page.click("#complaint-form button[type=submit]")  # no content yet: refused, nothing saved
    assert "请填写投资者反映的内容。" in page.locator("#complaint-form").inner_text()
    assert not Complaint.objects.exists()
    page.fill("textarea[name=content]", "技改项目备案材料提交一个月仍未办结，影响设备进口免税申报。")
    page.click("#complaint-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已登记并交吉阳区发展改革委员会办理" in page.content()
    screenshot(page, "aftercare-complaint-registered")
    complaint = Complaint.objects.get()

    page.context.clear_cookies()
    log_in(page, live_server, reviewer)
    page.click("nav >> text=待答复投诉")
    page.wait_for_load_state("networkidle")
    page.click(f"#complaints >> text={complaint.code}")
    page.fill("#answer textarea[name=answer]", "已于今日完成备案，请企业登录在线平台下载备案证明。")
    page.click("#answer button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "答复已记录" in page.content()
    screenshot(page, "aftercare-complaint-answered")

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED
    assert complaint.current_cycle.answered_by == reviewer and complaint.current_cycle.answered_on_time
    page.context.clear_cookies()
    log_in(page, live_server, officer)
    page.goto(f"{live_server.url}{complaint.get_absolute_url()}")
    assert "按时" in page.locator("#cycles").inner_text()
    assert page.locator("#close").is_visible()

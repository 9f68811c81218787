"""What officers and leaders see and do on the leads pages."""

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from leads.choices import LeadStatus
from leads.models import FollowUp, Lead, MeetingAttachment, MeetingLog
from tests.factories import ContactFactory, EnterpriseFactory
from tests.leads.factories import FollowUpFactory, LeadFactory, MeetingLogFactory, PromotionEventFactory


def _lead_form(**extra):
    return {"title": "区域总部", "source": "inbound", "intended_investment_wan": "3000", **extra}


@pytest.mark.django_db
def test_an_officer_adds_a_lead_with_a_new_enterprise_in_one_form(login, officer):
    response = login(officer).post(reverse("leads:lead_create"), _lead_form(
        new_enterprise_name="三亚新客商贸有限公司", new_enterprise_credit_code=""))
    lead = Lead.objects.get()
    assert response.status_code == 302 and response.url == lead.get_absolute_url()
    assert lead.enterprise.name == "三亚新客商贸有限公司" and lead.owner == officer


@pytest.mark.django_db
def test_the_duplicate_warning_links_the_existing_lead_and_a_reason_lets_the_officer_proceed(
        login, officer, other_officer):
    existing = LeadFactory(enterprise=EnterpriseFactory(name="海南蓝海酒店管理有限公司"), owner=other_officer)
    client = login(officer)
    form = _lead_form(new_enterprise_name="海南蓝海酒店管理 有限责任公司")
    warned = client.post(reverse("leads:lead_create"), form).content.decode()
    assert "可能已有人在跟进" in warned and existing.get_absolute_url() in warned and "李娜" in warned
    assert Lead.objects.count() == 1
    still = client.post(reverse("leads:lead_create"), {**form, "confirm_duplicate": "1"}).content.decode()
    assert "可能已有人在跟进" in still and Lead.objects.count() == 1
    done = client.post(reverse("leads:lead_create"), {**form, "confirm_duplicate": "1",
                                                      "duplicate_reason": "不同投资主体，另立项目"})
    assert done.status_code == 302 and Lead.objects.count() == 2


@pytest.mark.django_db
def test_a_negative_amount_and_a_bad_credit_code_get_field_errors_and_nothing_is_saved(login, officer):
    response = login(officer).post(reverse("leads:lead_create"), _lead_form(
        intended_investment_wan="-10", new_enterprise_name="三亚测试有限公司",
        new_enterprise_credit_code="91350100M000100Y44"))
    page = response.content.decode()
    assert response.status_code == 200 and "不能为负" in page
    response = login(officer).post(reverse("leads:lead_create"), _lead_form(
        new_enterprise_name="三亚测试有限公司", new_enterprise_credit_code="91350100M000100Y44"))
    assert "校验" in response.content.decode()
    assert not Lead.objects.exists()


@pytest.mark.django_db
def test_logging_a_meeting_with_a_follow_up_for_today_puts_it_on_the_work_page(login, officer):
    lead = LeadFactory(owner=officer)
    contact = ContactFactory(enterprise=lead.enterprise, name="赵总")
    client = login(officer)
    occurred = timezone.localtime() - timedelta(hours=1)
    response = client.post(reverse("leads:meeting_create", args=[lead.pk]), {
        "kind": "visit", "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"), "place": "企业总部",
        "their_attendees": [contact.pk], "discussion": "介绍区位优势", "demands": "人才公寓",
        "next_steps": "寄送政策汇编", "follow_up_title": "寄送政策汇编",
        "follow_up_due": timezone.localdate().isoformat(),
    })
    assert response.status_code == 302
    work = client.get(reverse("leads:my_work")).content.decode()
    assert "寄送政策汇编" in work and "今天" in work


@pytest.mark.django_db
def test_a_future_meeting_and_a_follow_up_before_it_are_refused_on_the_form(login, officer):
    lead = LeadFactory(owner=officer)
    future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page = login(officer).post(reverse("leads:meeting_create", args=[lead.pk]), {
        "kind": "visit", "occurred_at": future, "discussion": "x"}).content.decode()
    assert "不能是将来" in page
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page = login(officer).post(reverse("leads:meeting_create", args=[lead.pk]), {
        "kind": "visit", "occurred_at": past, "discussion": "x",
        "follow_up_due": (timezone.localdate() - timedelta(days=5)).isoformat()}).content.decode()
    assert "早于" in page
    assert not MeetingLog.objects.exists()


@pytest.mark.django_db
def test_an_executable_attachment_is_refused_and_a_pdf_is_downloaded_only_by_the_bureau(
        login, officer, reviewer):
    meeting = MeetingLogFactory(lead=LeadFactory(owner=officer), created_by=officer)
    client = login(officer)
    url = reverse("leads:attachment_upload", args=[meeting.pk])
    client.post(url, {"file": SimpleUploadedFile("minutes.pdf", b"MZ\x90\x00 not a pdf")})
    assert not MeetingAttachment.objects.exists()
    client.post(url, {"file": SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 signed minutes")})
    attachment = MeetingAttachment.objects.get()
    download = client.get(reverse("leads:attachment_download", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 signed minutes"
    assert "attachment" in download["Content-Disposition"]
    assert login(reviewer).get(reverse("leads:attachment_download", args=[attachment.pk])).status_code == 404


@pytest.mark.django_db
def test_the_lead_export_has_chinese_headers_and_neutralises_formulas(login, officer):
    LeadFactory(title="=HYPERLINK(\"http://evil\")", owner=officer)
    LeadFactory(title="正常项目", owner=officer, status=LeadStatus.SHELVED, status_reason="暂缓")
    response = login(officer).get(reverse("leads:lead_export"), {"status": "new"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "企业" and "线索名称" in rows[0]
    assert len(rows) == 2  # the filter applies to the export
    title = rows[1][rows[0].index("线索名称")]
    assert title.startswith("'=")


@pytest.mark.django_db
def test_the_enterprise_page_shows_its_leads_and_timeline(login, officer):
    lead = LeadFactory(owner=officer, title="康养综合体")
    MeetingLogFactory(lead=lead, discussion="考察选址")
    page = login(officer).get(reverse("crm:enterprise_detail", args=[lead.enterprise.pk])).content.decode()
    assert "康养综合体" in page and "考察选址" in page and "时间线" in page


@pytest.mark.django_db
def test_the_event_page_shows_what_it_produced(login, officer):
    event = PromotionEventFactory()
    LeadFactory(source="event", source_event=event, intended_investment_wan=2000)
    LeadFactory(source="event", source_event=event, intended_investment_wan=3000)
    page = login(officer).get(reverse("leads:event_detail", args=[event.pk])).content.decode()
    assert "5000" in page and "2 条线索" in page


@pytest.mark.django_db
def test_without_the_project_pipeline_there_is_no_convert_button(login, officer):
    from django.urls import NoReverseMatch

    lead = LeadFactory(owner=officer)
    page = login(officer).get(lead.get_absolute_url()).content.decode()
    try:
        url = reverse("projects:project_create_from_lead", args=[lead.pk])
    except NoReverseMatch:
        assert "转为项目" not in page
    else:
        assert url in page


@pytest.mark.django_db
def test_a_follow_up_is_done_from_the_work_page(login, officer):
    follow_up = FollowUpFactory(lead=LeadFactory(owner=officer), due_on=timezone.localdate())
    client = login(officer)
    response = client.post(reverse("leads:followup_complete", args=[follow_up.pk]),
                           {"next": reverse("leads:my_work")})
    assert response.url == reverse("leads:my_work")
    assert FollowUp.objects.get(pk=follow_up.pk).status == "done"


@pytest.mark.django_db
def test_the_leader_sees_the_pipeline_with_overdue_clocks(login, leader, officer):
    LeadFactory(owner=officer, received_on=date(2026, 1, 5), first_response_due=date(2026, 1, 6),
                assessment_due=date(2026, 1, 8))
    page = login(leader).get(reverse("leads:lead_pipeline")).content.decode()
    assert "王晓明" in page and "clock-red" in page


@pytest.mark.django_db
def test_an_officer_lands_on_the_work_page(login, officer):
    assert login(officer).get(reverse("home")).url == reverse("leads:my_work")


def test_the_event_filter_offers_recent_events_and_still_filters_by_an_older_one(client, officer):
    today = timezone.localdate()
    recent = PromotionEventFactory(name="近期推介会", starts_on=today - timedelta(days=30))
    old = PromotionEventFactory(name="五年前推介会", starts_on=today - timedelta(days=5 * 365),
                                ends_on=today - timedelta(days=5 * 365 - 1))
    LeadFactory(title="近期活动线索", source="event", source_event=recent)
    LeadFactory(title="旧活动线索", source="event", source_event=old)
    client.force_login(officer)

    def event_options(body):
        return body.split('name="source_event"', 1)[1].split("</select>", 1)[0]

    page = client.get(reverse("leads:lead_list")).content.decode()
    assert "近期推介会" in event_options(page) and "五年前推介会" not in event_options(page)
    filtered = client.get(reverse("leads:lead_list"), {"source_event": old.pk}).content.decode()
    assert "旧活动线索" in filtered and "近期活动线索" not in filtered
    assert f'<option value="{old.pk}" selected>' in event_options(filtered)  # the chosen event stays selected


def test_the_work_page_lists_owned_and_co_owned_open_leads_soonest_due_first(client, officer, other_officer):
    today = timezone.localdate()
    LeadFactory(title="自己的线索", owner=officer, received_on=today - timedelta(days=1))
    shared = LeadFactory(title="协办的线索", owner=other_officer, received_on=today - timedelta(days=5))
    shared.co_owners.add(officer)
    LeadFactory(title="别人的线索", owner=other_officer)
    client.force_login(officer)
    context = client.get(reverse("leads:my_work")).context
    assert [lead.title for lead in context["open_leads"]] == ["协办的线索", "自己的线索"]
    counts = {row["status"]: row["count"] for row in context["status_counts"]}
    assert counts[LeadStatus.NEW] == 2

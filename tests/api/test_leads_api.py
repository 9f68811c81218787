"""Leads, meetings, follow-ups, events and introducers through the API: the same services and rules as the pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from leads.choices import FollowUpStatus, LeadStatus
from leads.models import FollowUp, Lead, LeadStatusChange
from tests.factories import ContactFactory, EnterpriseFactory
from tests.leads.factories import FollowUpFactory, LeadFactory, MeetingLogFactory


def _new_lead(**extra):
    return {"title": "区域总部", "source": "prospecting", "intended_investment_wan": "5000.00", **extra}


@pytest.mark.django_db
def test_an_officer_creates_reads_and_edits_a_lead(api_as, officer):
    client = api_as(officer)
    enterprise = EnterpriseFactory()
    created = client.post(reverse("api:lead-list"), _new_lead(enterprise=enterprise.pk), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["owner"] == officer.pk and body["status"] == LeadStatus.NEW
    assert body["first_response_clock"] == "green" and body["enterprise_name"] == enterprise.name
    url = reverse("api:lead-detail", args=[body["id"]])
    assert client.get(url).json()["title"] == "区域总部"
    updated = client.patch(url, {"title": "区域总部及结算中心", "version": body["version"]}, format="json")
    assert updated.status_code == 200, updated.json()
    assert updated.json()["title"] == "区域总部及结算中心" and updated.json()["version"] == body["version"] + 1


@pytest.mark.django_db
def test_a_lead_on_a_new_enterprise_registers_it(api_as, officer):
    response = api_as(officer).post(reverse("api:lead-list"), _new_lead(
        new_enterprise={"name": "海南椰风新材料有限公司", "credit_code": "91350100m000100y43"}), format="json")
    assert response.status_code == 201, response.json()
    lead = Lead.objects.select_related("enterprise").get(pk=response.json()["id"])
    assert lead.enterprise.name == "海南椰风新材料有限公司" and lead.enterprise.credit_code == "91350100M000100Y43"


@pytest.mark.django_db
def test_a_lead_on_an_enterprise_already_followed_asks_for_a_reason(api_as, officer, other_officer):
    existing = LeadFactory(owner=other_officer)
    client = api_as(officer)
    refused = client.post(reverse("api:lead-list"), _new_lead(enterprise=existing.enterprise_id), format="json")
    assert refused.status_code == 400
    body = refused.json()
    assert "duplicate_reason" in body
    assert body["possible_duplicates"][0]["enterprise"] == existing.enterprise_id
    assert body["possible_duplicates"][0]["leads"][0]["id"] == existing.pk
    assert Lead.objects.count() == 1
    accepted = client.post(reverse("api:lead-list"), _new_lead(enterprise=existing.enterprise_id,
                                                              duplicate_reason="另一投资主体，李娜已知悉"),
                           format="json")
    assert accepted.status_code == 201


@pytest.mark.django_db
def test_shelving_a_lead_needs_a_reason_and_is_recorded(api_as, officer):
    lead = LeadFactory(owner=officer)
    client = api_as(officer)
    url = reverse("api:lead-status", args=[lead.pk])
    refused = client.post(url, {"to": "shelved"}, format="json")
    assert refused.status_code == 400 and "status_reason" in refused.json()
    done = client.post(url, {"to": "shelved", "reason": "企业暂缓投资计划"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == LeadStatus.SHELVED
    assert LeadStatusChange.objects.filter(lead=lead, new_status=LeadStatus.SHELVED, changed_by=officer).exists()


@pytest.mark.django_db
def test_a_lead_is_not_converted_by_a_status_move(api_as, officer):
    lead = LeadFactory(owner=officer)
    response = api_as(officer).post(reverse("api:lead-status", args=[lead.pk]), {"to": "converted"}, format="json")
    assert response.status_code == 400
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW


@pytest.mark.django_db
def test_another_officer_may_read_but_not_change_a_lead(api_as, officer, other_officer):
    lead = LeadFactory(owner=officer)
    client = api_as(other_officer)
    assert client.get(reverse("api:lead-detail", args=[lead.pk])).status_code == 200
    response = client.patch(reverse("api:lead-detail", args=[lead.pk]), {"title": "x", "version": 1}, format="json")
    assert response.status_code == 403
    lead.refresh_from_db()
    assert lead.title != "x"


@pytest.mark.django_db
def test_a_stale_lead_edit_answers_409_with_the_current_lead(api_as, officer, leader):
    lead = LeadFactory(owner=officer, created_by=officer)
    url = reverse("api:lead-detail", args=[lead.pk])
    assert api_as(leader).patch(url, {"notes": "领导批注", "version": 1}, format="json").status_code == 200
    response = api_as(officer).patch(url, {"notes": "专员备注", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["current"]["notes"] == "领导批注" and response.json()["current"]["version"] == 2


@pytest.mark.django_db
def test_the_leader_reassigns_a_lead_and_an_officer_cannot(api_as, officer, other_officer, leader):
    lead = LeadFactory(owner=officer)
    url = reverse("api:lead-reassign", args=[lead.pk])
    assert api_as(officer).post(url, {"owner": other_officer.pk}, format="json").status_code == 403
    response = api_as(leader).post(url, {"owner": other_officer.pk}, format="json")
    assert response.status_code == 200 and response.json()["owner"] == other_officer.pk


@pytest.mark.django_db
def test_an_assessment_stops_the_clocks(api_as, officer):
    lead = LeadFactory(owner=officer)
    response = api_as(officer).post(reverse("api:lead-assessment", args=[lead.pk]),
                                    {"assessment": "投资意向真实，规模约5000万元"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == LeadStatus.FOLLOWING
    assert body["first_response_clock"] == body["assessment_clock"] == "met"


@pytest.mark.django_db
def test_leads_filter_by_status_and_search(api_as, officer):
    LeadFactory(owner=officer, title="数字经济产业园")
    shelved = LeadFactory(owner=officer, title="免税商业综合体", status=LeadStatus.SHELVED, status_reason="暂缓")
    client = api_as(officer)
    by_status = client.get(reverse("api:lead-list"), {"status": "shelved"}).json()
    assert [r["id"] for r in by_status["results"]] == [shelved.pk]
    searched = client.get(reverse("api:lead-list"), {"q": "免税"}).json()
    assert [r["id"] for r in searched["results"]] == [shelved.pk]


@pytest.mark.django_db
def test_a_meeting_on_a_new_lead_answers_it_and_sets_a_follow_up(api_as, officer):
    lead = LeadFactory(owner=officer)
    contact = ContactFactory(enterprise=lead.enterprise)
    occurred = timezone.localtime() - timedelta(hours=3)
    response = api_as(officer).post(reverse("api:meeting-list"), {
        "lead": lead.pk, "kind": "visit", "occurred_at": occurred.isoformat(), "discussion": "企业介绍项目规划",
        "their_attendees": [contact.pk], "follow_up_title": "发送用地政策", "follow_up_due": str(timezone.localdate()),
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["enterprise"] == lead.enterprise_id and body["their_attendees"] == [contact.pk]
    assert FollowUp.objects.get(pk=body["follow_up"]).title == "发送用地政策"
    lead.refresh_from_db()
    assert lead.status == LeadStatus.FOLLOWING and lead.first_responded_on is not None


@pytest.mark.django_db
def test_a_meeting_cannot_name_a_contact_of_another_enterprise(api_as, officer):
    lead = LeadFactory(owner=officer)
    stranger = ContactFactory()
    response = api_as(officer).post(reverse("api:meeting-list"), {
        "lead": lead.pk, "kind": "call", "occurred_at": timezone.now().isoformat(), "discussion": "电话沟通",
        "their_attendees": [stranger.pk]}, format="json")
    assert response.status_code == 400 and "their_attendees" in response.json()


@pytest.mark.django_db
def test_a_meeting_edit_needs_the_version_read(api_as, officer):
    meeting = MeetingLogFactory(lead=LeadFactory(owner=officer), created_by=officer)
    url = reverse("api:meeting-detail", args=[meeting.pk])
    client = api_as(officer)
    assert client.patch(url, {"place": "企业总部"}, format="json").status_code == 400
    response = client.patch(url, {"place": "企业总部", "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["place"] == "企业总部"
    assert client.patch(url, {"place": "区政府", "version": 1}, format="json").status_code == 409


@pytest.mark.django_db
def test_follow_ups_are_done_cancelled_or_rescheduled(api_as, officer):
    client = api_as(officer)
    done = FollowUpFactory(lead=LeadFactory(owner=officer))
    response = client.post(reverse("api:follow-up-done", args=[done.pk]), {"note": "已发送"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == FollowUpStatus.DONE
    again = client.post(reverse("api:follow-up-done", args=[done.pk]), {}, format="json")
    assert again.status_code == 400
    cancelled = FollowUpFactory(lead=LeadFactory(owner=officer))
    assert client.post(reverse("api:follow-up-cancel", args=[cancelled.pk]), {}, format="json").status_code == 400
    moved = FollowUpFactory(lead=LeadFactory(owner=officer))
    new_date = timezone.localdate() + timedelta(days=7)
    response = client.post(reverse("api:follow-up-reschedule", args=[moved.pk]), {"due_on": str(new_date)},
                           format="json")
    assert response.status_code == 200 and response.json()["status"] == FollowUpStatus.RESCHEDULED
    assert FollowUp.objects.get(pk=response.json()["rescheduled_to"]).due_on == new_date


@pytest.mark.django_db
def test_events_are_created_with_their_attendees_and_count_their_leads(api_as, officer, other_officer):
    client = api_as(officer)
    response = client.post(reverse("api:event-list"), {
        "name": "2026海南自贸港（深圳）招商推介会", "kind": "promotion", "starts_on": "2026-12-03",
        "ends_on": "2026-12-04", "city": "深圳", "attendees": [officer.pk, other_officer.pk]}, format="json")
    assert response.status_code == 201, response.json()
    event_id = response.json()["id"]
    assert sorted(response.json()["attendees"]) == sorted([officer.pk, other_officer.pk])
    LeadFactory(owner=officer, source="event", source_event_id=event_id)
    assert client.get(reverse("api:event-detail", args=[event_id])).json()["lead_count"] == 1
    backwards = client.patch(reverse("api:event-detail", args=[event_id]), {"ends_on": "2026-12-01", "version": 1},
                             format="json")
    assert backwards.status_code == 400 and "ends_on" in backwards.json()


@pytest.mark.django_db
def test_a_reviewer_learns_nothing_about_leads(api_as, reviewer):
    lead = LeadFactory()
    client = api_as(reviewer)
    assert client.get(reverse("api:lead-list")).json()["count"] == 0
    assert client.get(reverse("api:lead-detail", args=[lead.pk])).status_code == 404
    assert client.get(reverse("api:meeting-list")).json()["count"] == 0
    assert client.post(reverse("api:lead-list"), _new_lead(enterprise=lead.enterprise_id),
                       format="json").status_code == 403

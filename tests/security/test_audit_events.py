"""Every listed event writes an entry: who, from where, what, on which object, and the result."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from crm import services as crm_services
from crm.choices import Role
from crm.models import Bureau
from security import audit
from security.choices import AuditAction, AuditResult
from tests.factories import EnterpriseFactory
from tests.security.conftest import entries


@pytest.mark.django_db
def test_a_hidden_record_typed_by_hand_is_recorded_as_a_refusal(login, reviewer):
    enterprise = EnterpriseFactory()
    url = reverse("crm:enterprise_detail", args=[enterprise.pk])
    assert login(reviewer).get(url, REMOTE_ADDR="10.20.30.40").status_code == 404
    refusal = entries(AuditAction.PERMISSION_DENIED)[-1]
    assert (refusal.actor_username, refusal.ip_address, refusal.path, refusal.result, refusal.detail) == (
        "reviewer_ndrc", "10.20.30.40", url, AuditResult.DENIED, {"status": 404, "method": "GET"})


@pytest.mark.django_db
def test_a_forbidden_change_is_recorded(login, administrator):
    enterprise = EnterpriseFactory()
    assert login(administrator).get(reverse("crm:enterprise_edit", args=[enterprise.pk])).status_code == 403
    assert entries(AuditAction.PERMISSION_DENIED)[-1].detail["status"] == 403


@pytest.mark.django_db
def test_anonymous_404s_are_not_recorded_but_ordinary_pages_write_nothing(client, login, officer):
    client.get("/no-such-page/")
    before = len(entries(AuditAction.PERMISSION_DENIED))
    login(officer).get(reverse("crm:enterprise_list"))
    assert len(entries(AuditAction.PERMISSION_DENIED)) == before == 0


@pytest.mark.django_db
def test_account_changes_name_the_fields_but_keep_personal_values_out(officer):
    officer.phone = "13907551234"
    officer.is_active = False
    officer.save()
    change = entries(AuditAction.USER_CHANGED)[-1]
    assert change.detail == {"changed": ["is_active", "phone"], "is_active": {"from": True, "to": False}}
    assert "13907551234" not in str(change.detail)


@pytest.mark.django_db
def test_a_role_given_by_any_service_is_recorded(officer):
    crm_services.user_set_role(user=officer, role=Role.REVIEWER, bureau=Bureau.objects.get(code="talent"))
    change = entries(AuditAction.ROLE_CHANGED)[-1]
    assert change.detail["role"] == {"from": "officer", "to": "reviewer"} and "bureau" in change.detail


@pytest.mark.django_db
def test_a_login_does_not_count_as_an_account_change(login, officer):
    before = len(entries(AuditAction.USER_CHANGED))
    login(officer)
    assert len(entries(AuditAction.USER_CHANGED)) == before


@pytest.mark.django_db
def test_a_back_office_change_is_recorded(login, administrator):
    bureau = Bureau.objects.get(code="talent")
    response = login(administrator).post(reverse("admin:crm_bureau_change", args=[bureau.pk]), {
        "code": bureau.code, "name": bureau.name, "short_name": "人才局", "kind": bureau.kind,
        "review_scope": bureau.review_scope, "reviews_by_default": "on", "review_due_working_days": 7,
        "sort_order": bureau.sort_order, "is_active": "on",
    })
    assert response.status_code == 302
    change = entries(AuditAction.SETTINGS_CHANGED)[-1]
    assert (change.actor_username, change.detail["model"], change.detail["operation"]) == (
        "administrator", "crm.bureau", "changed")


@pytest.mark.django_db
def test_an_export_view_decorated_for_audit_records_who_downloaded_what(officer):
    @audit.audited_download(AuditAction.EXPORT, what="lead ledger")
    def export(request):
        return HttpResponse("a,b\n", content_type="text/csv")

    request = RequestFactory().get("/leads/export/", {"year": "2026"}, REMOTE_ADDR="10.9.8.7")
    request.user = officer
    token = audit.bind_request(request)
    try:
        export(request)
    finally:
        audit.unbind_request(token)
    entry = entries(AuditAction.EXPORT)[-1]
    assert (entry.actor_username, entry.ip_address, entry.target_label, entry.detail) == (
        "officer", "10.9.8.7", "lead ledger", {"query": "year=2026"})


@pytest.mark.django_db
def test_services_record_opinion_and_award_changes_with_the_record_and_its_author(leader):
    enterprise = EnterpriseFactory()  # stands in for an Opinion or an AwardApplication: any model instance
    entry = audit.record(action=AuditAction.OPINION_CHANGED, target=enterprise, actor=leader,
                         detail={"version": 2, "decision": "agree_with_conditions"})
    assert (entry.target_type, entry.target_id, entry.target_label, entry.actor_username) == (
        "crm.enterprise", str(enterprise.pk), enterprise.name, "leader")
    assert entry.ip_address == ""  # outside a request: no address, never a guess


@pytest.mark.django_db
def test_every_submitted_opinion_is_recorded_with_its_reviewer(officer, reviewer_factory):
    from tests.projects.factories import ProjectFactory, answer, open_round

    reviewers = {code: reviewer_factory(code) for code in ("ndrc", "ecology", "market")}
    project = ProjectFactory(owner=officer)
    answer(open_round(project, officer), reviewers)
    recorded = entries(AuditAction.OPINION_CHANGED)
    assert sorted((e.actor_username, e.detail["bureau"], e.detail["version"]) for e in recorded) == [
        ("reviewer_ecology", "ecology", 1), ("reviewer_market", "market", 1), ("reviewer_ndrc", "ndrc", 1)]
    assert {e.target_type for e in recorded} == {"projects.opinion"}


@pytest.mark.django_db
def test_every_move_of_an_award_application_is_recorded(officer):
    from awards import services as award_services
    from tests.awards.factories import INSTALMENT_POLICY, capital, landed_project

    policy = award_services.award_policy_import(text=INSTALMENT_POLICY).policy
    project = landed_project(officer)
    capital(project, officer, wan=20000)
    application = award_services.award_application_create(project=project, policy=policy,
                                                           beneficiary="enterprise", by=officer,
                                                           first_award_year=2025)
    award_services.award_application_submit(application=application, by=officer)
    moves = entries(AuditAction.AWARD_CHANGED)
    assert [(e.actor_username, e.target_type, e.detail) for e in moves] == [
        ("officer", "awards.awardapplication", {"from": "draft", "to": "submitted"})]

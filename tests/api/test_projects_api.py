"""The project pipeline through the API: review rounds answered by partner systems, the signing guard, opinion
rules, milestones and capital, all enforced by the same services as the pages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.choices import ConditionStatus, Outcome, RequestStatus, Stage
from projects.models import CapitalInPlace, Opinion, Project
from tests.factories import EnterpriseFactory, bureau
from tests.projects.factories import ProjectFactory, answer, open_round, pdf


def _request_of(review_round, code):
    return review_round.requests.get(bureau__code=code)


@pytest.mark.django_db
def test_an_officer_opens_and_edits_a_project(api_as, officer):
    client = api_as(officer)
    enterprise = EnterpriseFactory()
    created = client.post(reverse("api:project-list"), {
        "enterprise": enterprise.pk, "name": "热带水果深加工基地", "industry": enterprise.industry_id,
        "total_investment_wan": "20000", "fixed_asset_investment_wan": "15000", "land_mu": "40"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["code"].startswith("JY-") and body["stage"] == Stage.NEGOTIATING and body["owner"] == officer.pk
    assert body["stage_changes"][0]["to_stage"] == Stage.NEGOTIATING
    url = reverse("api:project-detail", args=[body["id"]])
    updated = client.patch(url, {"expected_jobs": 150, "version": body["version"]}, format="json")
    assert updated.status_code == 200 and updated.json()["expected_jobs"] == 150
    stale = client.patch(url, {"expected_jobs": 90, "version": body["version"]}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["expected_jobs"] == 150


@pytest.mark.django_db
def test_fixed_assets_above_the_total_are_refused_with_the_field(api_as, officer):
    project = ProjectFactory(owner=officer)
    response = api_as(officer).patch(reverse("api:project-detail", args=[project.pk]), {
        "fixed_asset_investment_wan": "30000", "version": project.version}, format="json")
    assert response.status_code == 400 and "fixed_asset_investment_wan" in response.json()


@pytest.mark.django_db
def test_a_project_moves_to_review_only_by_opening_a_round(api_as, officer):
    project = ProjectFactory(owner=officer)
    client = api_as(officer)
    refused = client.post(reverse("api:project-stage", args=[project.pk]), {"to": "review"}, format="json")
    assert refused.status_code == 400 and "to" in refused.json()
    opened = client.post(reverse("api:project-open-round", args=[project.pk]), {
        "bureaus": [bureau("ndrc").pk, bureau("ecology").pk], "note": "请于规定时限内会签"}, format="json")
    assert opened.status_code == 201, opened.json()
    assert len(opened.json()["requests"]) == 2
    project.refresh_from_db()
    assert project.stage == Stage.REVIEW


@pytest.mark.django_db
def test_a_round_goes_by_default_to_the_bureaus_whose_scope_applies(api_as, officer):
    office = ProjectFactory(owner=officer, land_mu=Decimal("0"))
    response = api_as(officer).post(reverse("api:project-open-round", args=[office.pk]), {}, format="json")
    assert response.status_code == 201
    codes = set(office.review_rounds.get().requests.values_list("bureau__code", flat=True))
    assert "planning" not in codes and "ndrc" in codes  # land planning reviews only projects that need land


@pytest.mark.django_db
def test_a_partner_reviewer_answers_their_request_and_sees_only_their_bureaus(api_as, officer, reviewers):
    project = ProjectFactory(owner=officer)
    review_round = open_round(project, officer, codes=("ndrc", "ecology"))
    client = api_as(reviewers["ndrc"])
    listed = client.get(reverse("api:review-request-list")).json()
    assert [r["bureau"] for r in listed["results"]] == [bureau("ndrc").pk]
    request = _request_of(review_round, "ndrc")
    detail = client.get(reverse("api:review-request-detail", args=[request.pk])).json()
    assert detail["project_summary"]["code"] == project.code and "owner" not in detail["project_summary"]
    assert detail["project_summary"]["precheck"][0]["verdict"] in ("pass", "fail", "not_applicable")
    response = client.post(reverse("api:review-request-answer", args=[request.pk]), {
        "outcome": "agree_conditions", "reason": "须取得环评批复后开工",
        "conditions": [{"text": "取得环评批复", "due_on": "2027-03-31", "blocks_stage": "construction"}]},
        format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == RequestStatus.ANSWERED
    assert response.json()["round_opinions"][0]["conditions"][0]["text"] == "取得环评批复"
    other = _request_of(review_round, "ecology")
    assert client.get(reverse("api:review-request-detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("api:review-request-answer", args=[other.pk]), {"outcome": "agree"},
                       format="json").status_code == 404


@pytest.mark.django_db
def test_a_reviewer_of_an_unrouted_bureau_sees_nothing_of_the_project(api_as, officer, reviewers):
    project = ProjectFactory(owner=officer)
    review_round = open_round(project, officer, codes=("ecology",))
    ecology_request = _request_of(review_round, "ecology")
    client = api_as(reviewers["ndrc"])
    assert client.get(reverse("api:review-request-list")).json()["count"] == 0
    assert client.get(reverse("api:review-request-detail", args=[ecology_request.pk])).status_code == 404
    assert client.get(reverse("api:project-detail", args=[project.pk])).status_code == 404
    assert client.get(reverse("api:document-list")).json()["count"] == 0


@pytest.mark.django_db
def test_anything_but_a_plain_agree_needs_a_reason(api_as, officer, reviewers):
    review_round = open_round(ProjectFactory(owner=officer), officer, codes=("ndrc",))
    request = _request_of(review_round, "ndrc")
    response = api_as(reviewers["ndrc"]).post(reverse("api:review-request-answer", args=[request.pk]),
                                              {"outcome": "disagree"}, format="json")
    assert response.status_code == 400
    assert not Opinion.objects.exists()


@pytest.mark.django_db
def test_a_submitted_opinion_is_never_changed_only_amended(api_as, officer, reviewers):
    review_round = open_round(ProjectFactory(owner=officer), officer, codes=("ndrc",))
    request = _request_of(review_round, "ndrc")
    client = api_as(reviewers["ndrc"])
    client.post(reverse("api:review-request-answer", args=[request.pk]), {"outcome": "agree"}, format="json")
    first = Opinion.objects.get()
    url = reverse("api:opinion-detail", args=[first.pk])
    assert client.patch(url, {"outcome": "disagree"}, format="json").status_code == 405
    assert client.put(url, {"outcome": "disagree"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    again = client.post(reverse("api:review-request-answer", args=[request.pk]), {"outcome": "disagree",
                                                                                  "reason": "重新评估"}, format="json")
    assert again.status_code == 400
    amended = client.post(reverse("api:review-request-amend", args=[request.pk]), {
        "outcome": "disagree", "reason": "投资强度未达准入条件"}, format="json")
    assert amended.status_code == 201, amended.json()
    versions = client.get(reverse("api:opinion-list"), {"request": request.pk}).json()["results"]
    assert [(o["version"], o["outcome"]) for o in versions] == [(1, Outcome.AGREE), (2, Outcome.DISAGREE)]
    first.refresh_from_db()
    assert first.outcome == Outcome.AGREE


@pytest.mark.django_db
def test_the_signing_guard_holds_through_the_api(api_as, officer, reviewers):
    project = ProjectFactory(owner=officer)
    review_round = open_round(project, officer, codes=("ndrc", "ecology"))
    client = api_as(officer)
    url = reverse("api:project-record-milestone", args=[project.pk])
    contract = {"kind": "contract", "date": "2026-11-20", "contract_amount_wan": "18000"}
    api_as(reviewers["ndrc"]).post(reverse("api:review-request-answer", args=[_request_of(review_round, "ndrc").pk]),
                                   {"outcome": "agree"}, format="json")
    waiting = client.post(url, {**contract, "contract_file": pdf("合同.pdf")}, format="multipart")
    assert waiting.status_code == 400
    assert "生态环境分局" in str(waiting.json())
    api_as(reviewers["ecology"]).post(
        reverse("api:review-request-answer", args=[_request_of(review_round, "ecology").pk]),
        {"outcome": "disagree", "reason": "位于生态保护红线内"}, format="json")
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING  # a disagree sends the project back
    refused = client.post(url, {**contract, "contract_file": pdf("合同.pdf")}, format="multipart")
    assert refused.status_code == 400
    assert not project.milestones.exists()


@pytest.mark.django_db
def test_a_cleared_round_lets_the_contract_be_recorded_and_signs_the_project(api_as, officer, reviewers):
    project = ProjectFactory(owner=officer)
    answer(open_round(project, officer, codes=("ndrc",)), reviewers)
    client = api_as(officer)
    url = reverse("api:project-record-milestone", args=[project.pk])
    without_file = client.post(url, {"kind": "contract", "date": "2026-11-20", "contract_amount_wan": "18000"},
                               format="json")
    assert without_file.status_code == 400
    signed = client.post(url, {"kind": "contract", "date": "2026-11-20", "contract_amount_wan": "18000",
                               "contract_file": pdf("合同.pdf")}, format="multipart")
    assert signed.status_code == 201, signed.json()
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED
    contract_document = project.documents.get(kind="contract")
    # A reviewer opens the project's material, never its contract.
    reviewer = api_as(reviewers["ndrc"])
    assert reviewer.get(reverse("api:document-detail", args=[contract_document.pk])).status_code == 404
    assert client.get(reverse("api:document-download", args=[contract_document.pk])).status_code == 200


@pytest.mark.django_db
def test_capital_in_place_is_recorded_with_the_rate_of_its_date(api_as, officer):
    project = ProjectFactory(owner=officer)
    client = api_as(officer)
    url = reverse("api:project-record-capital", args=[project.pk])
    foreign = client.post(url, {"kind": "foreign", "date": "2026-10-08", "amount_usd_wan": "500",
                                "usd_cny_rate": "7.1234"}, format="json")
    assert foreign.status_code == 201, foreign.json()
    assert foreign.json()["cny_equivalent_wan"] == "3561.70"
    mixed = client.post(url, {"kind": "domestic", "date": "2026-10-08", "amount_wan": "100",
                              "usd_cny_rate": "7.1"}, format="json")
    assert mixed.status_code == 400
    future = client.post(url, {"kind": "domestic", "date": "2099-01-01", "amount_wan": "100"}, format="json")
    assert future.status_code == 400
    assert CapitalInPlace.objects.count() == 1
    detail = client.get(reverse("api:project-detail", args=[project.pk])).json()
    assert [c["cny_equivalent_wan"] for c in detail["capital_records"]] == ["3561.70"]


@pytest.mark.django_db
def test_an_officer_returns_material_and_the_request_is_pending_again(api_as, officer, reviewers):
    review_round = open_round(ProjectFactory(owner=officer), officer, codes=("ndrc",))
    request = _request_of(review_round, "ndrc")
    api_as(reviewers["ndrc"]).post(reverse("api:review-request-answer", args=[request.pk]), {
        "outcome": "needs_material", "reason": "请补充用地红线图"}, format="json")
    response = api_as(officer).post(reverse("api:review-request-return-material", args=[request.pk]),
                                    {"note": "已补充用地红线图", "files": [pdf("红线图.pdf")]}, format="multipart")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == RequestStatus.PENDING
    assert request.documents.filter(kind="supplement").count() == 1


@pytest.mark.django_db
def test_conditions_are_closed_by_the_owner_and_waived_only_by_a_leader(api_as, officer, leader, reviewers):
    project = ProjectFactory(owner=officer)
    review_round = open_round(project, officer, codes=("ndrc",))
    api_as(reviewers["ndrc"]).post(reverse("api:review-request-answer", args=[_request_of(review_round, "ndrc").pk]), {
        "outcome": "agree_conditions", "reason": "附条件",
        "conditions": [{"text": "签约前落实配套资金", "due_on": "2027-01-31", "blocks_stage": "signed"},
                       {"text": "开工前取得环评批复", "due_on": "2027-06-30", "blocks_stage": "construction"}]},
        format="json")
    first, second = project.conditions.order_by("due_on")
    assert api_as(officer).post(reverse("api:condition-waive", args=[first.pk]), {"resolution": "x"},
                                format="json").status_code == 403
    closed = api_as(officer).post(reverse("api:condition-close", args=[first.pk]),
                                  {"resolution": "配套资金已到位"}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == ConditionStatus.CLOSED
    waived = api_as(leader).post(reverse("api:condition-waive", args=[second.pk]),
                                 {"resolution": "经局务会研究豁免"}, format="json")
    assert waived.status_code == 200 and waived.json()["status"] == ConditionStatus.WAIVED


@pytest.mark.django_db
def test_the_talent_bureau_answers_talent_requests(api_as, officer, reviewers):
    project = ProjectFactory(owner=officer)
    created = api_as(officer).post(reverse("api:project-add-talent-request", args=[project.pk]), {
        "kind": "settlement", "people": 5, "description": "高管及技术骨干落户"}, format="json")
    assert created.status_code == 201
    talent_id = created.json()["id"]
    url = reverse("api:talent-request-answer", args=[talent_id])
    assert api_as(reviewers["ndrc"]).post(url, {"status": "granted", "answer": "x"},
                                          format="json").status_code == 404
    answered = api_as(reviewers["talent"]).post(url, {"status": "granted", "answer": "已纳入人才落户绿色通道"},
                                                format="json")
    assert answered.status_code == 200 and answered.json()["status"] == "granted"


@pytest.mark.django_db
def test_pausing_needs_a_reason_and_resuming_returns_to_the_stage_left(api_as, officer):
    project = ProjectFactory(owner=officer)
    client = api_as(officer)
    url = reverse("api:project-stage", args=[project.pk])
    assert client.post(url, {"to": "paused"}, format="json").status_code == 400
    paused = client.post(url, {"to": "paused", "reason": "企业融资调整"}, format="json")
    assert paused.status_code == 200 and paused.json()["manual_stage_targets"] == ["negotiating", "terminated"]
    assert client.post(url, {"to": "signed"}, format="json").status_code == 400
    resumed = client.post(url, {"to": "negotiating"}, format="json")
    assert resumed.json()["stage"] == Stage.NEGOTIATING


@pytest.mark.django_db
def test_administrators_read_projects_but_change_nothing(api_as, administrator, officer):
    project = ProjectFactory(owner=officer)
    client = api_as(administrator)
    assert client.get(reverse("api:project-detail", args=[project.pk])).status_code == 200
    assert client.post(reverse("api:project-stage", args=[project.pk]), {"to": "paused", "reason": "x"},
                       format="json").status_code == 403
    assert Project.objects.get(pk=project.pk).stage == Stage.NEGOTIATING


@pytest.mark.django_db
def test_documents_are_checked_when_uploaded(api_as, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    project = ProjectFactory(owner=officer)
    url = reverse("api:project-add-document", args=[project.pk])
    fake = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    assert api_as(officer).post(url, {"file": fake}, format="multipart").status_code == 400
    ok = api_as(officer).post(url, {"file": pdf("可研报告.pdf"), "title": "可研报告"}, format="multipart")
    assert ok.status_code == 201 and ok.json()["kind"] == "material"


@pytest.mark.django_db
def test_an_id_that_is_not_a_number_answers_404_not_a_server_error(api_as, officer):
    response = api_as(officer).post("/api/v1/projects/null/rounds/", {}, format="json")
    assert response.status_code == 404 and response.json()["detail"]

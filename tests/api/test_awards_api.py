"""Award applications through the API: computed by the same engine, decided only by leaders."""

import pytest
from django.urls import reverse

from awards import services
from awards.choices import ApplicationStatus
from tests.awards.factories import INSTALMENT_POLICY, capital, landed_project


@pytest.fixture
def application_body(officer):
    """The officer's landed project with 2亿元 in place, under a district policy paying 1% in three instalments."""
    project = landed_project(officer)
    capital(project, officer, wan=20000)
    policy = services.award_policy_import(text=INSTALMENT_POLICY).policy
    return {"project": project.pk, "policy": policy.pk, "beneficiary": "enterprise", "first_award_year": 2025}


@pytest.mark.django_db
def test_an_officer_prepares_and_submits_and_a_leader_approves(api_as, officer, leader, application_body):
    client = api_as(officer)
    created = client.post(reverse("api:award-application-list"), application_body, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == ApplicationStatus.DRAFT and body["complete"] is True
    assert body["total"] == "2000000.00"  # 1% of 2亿元 in place, in 元
    assert client.post(reverse("api:award-application-approve", args=[body["id"]])).status_code == 403
    submitted = client.post(reverse("api:award-application-submit", args=[body["id"]]))
    assert submitted.status_code == 200 and submitted.json()["status"] == ApplicationStatus.SUBMITTED
    approved = api_as(leader).post(reverse("api:award-application-approve", args=[body["id"]]))
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == ApplicationStatus.PUBLIC_NOTICE
    assert [i["share"] for i in approved.json()["instalments"]] == ["0.300000", "0.300000", "0.400000"]


@pytest.mark.django_db
def test_a_leader_returns_an_application_with_a_reason(api_as, officer, leader, application_body):
    application_id = api_as(officer).post(reverse("api:award-application-list"), application_body,
                                          format="json").json()["id"]
    api_as(officer).post(reverse("api:award-application-submit", args=[application_id]))
    url = reverse("api:award-application-send-back", args=[application_id])
    assert api_as(leader).post(url, {}, format="json").status_code == 400
    returned = api_as(leader).post(url, {"reason": "请补充验资报告"}, format="json")
    assert returned.status_code == 200 and returned.json()["status"] == ApplicationStatus.DRAFT


@pytest.mark.django_db
def test_reviewers_see_no_awards(api_as, reviewer, officer, application_body):
    application_id = api_as(officer).post(reverse("api:award-application-list"), application_body,
                                          format="json").json()["id"]
    client = api_as(reviewer)
    assert client.get(reverse("api:award-application-list")).json()["count"] == 0
    assert client.get(reverse("api:award-application-detail", args=[application_id])).status_code == 404
    assert client.get(reverse("api:award-policy-list")).json()["count"] == 0

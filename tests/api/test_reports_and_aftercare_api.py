"""Statistics of any period and the complaint actions through the API."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from aftercare.choices import ComplaintStatus
from tests.aftercare.factories import register
from tests.projects.factories import ProjectFactory, answer, open_round, sign


@pytest.mark.django_db
def test_the_statistics_of_a_period_are_json_with_exact_amounts(api_as, officer, reviewers):
    project = ProjectFactory(owner=officer)
    answer(open_round(project, officer, codes=("ndrc",)), reviewers)
    sign(project, officer)  # 18000 万元, 2026-11-20
    response = api_as(officer).get(reverse("api:statistics-list"), {"year": 2026, "month": 11})
    assert response.status_code == 200, response.json()
    body = response.json()
    indicators = {row["key"]: row for row in body["indicators"]}
    assert indicators["signed_projects"]["actual"] == 1
    assert indicators["signed_amount"]["actual"] == "18000.00"  # money as exact text, never a float
    assert body["period"]["year"] == 2026 and body["period"]["through_month"] == 11


@pytest.mark.django_db
def test_a_period_that_has_not_begun_is_refused_with_the_reason(api_as, officer):
    client = api_as(officer)
    today = timezone.localdate()
    following = date(today.year + today.month // 12, today.month % 12 + 1, 1)  # the month after this one
    future = client.get(reverse("api:statistics-list"), {"year": following.year, "month": following.month})
    assert future.status_code == 400 and "month" in future.json()
    assert client.get(reverse("api:statistics-list"), {"year": today.year, "month": today.month}).status_code == 200
    assert client.get(reverse("api:statistics-list"), {"month": 13}).status_code == 400


@pytest.mark.django_db
def test_a_reviewer_reads_only_their_bureaus_turnaround(api_as, reviewer, officer):
    client = api_as(reviewer)
    assert client.get(reverse("api:statistics-list")).status_code == 404
    turnaround = client.get(reverse("api:statistics-turnaround"), {"year": 2026})
    assert turnaround.status_code == 200 and turnaround.json()["bureau_id"] == reviewer.bureau_id
    assert api_as(officer).get(reverse("api:statistics-turnaround")).status_code == 404


@pytest.mark.django_db
def test_a_complaint_is_answered_by_its_bureau_closed_and_reopened_to_another(api_as, officer, reviewers):
    complaint = register(officer, code="ndrc")
    url = lambda name: reverse(f"api:complaint-{name}", args=[complaint.pk])  # noqa: E731
    assert api_as(officer).post(url("answer"), {"answer": "x"}, format="json").status_code == 403
    assert api_as(reviewers["ecology"]).post(url("answer"), {"answer": "x"}, format="json").status_code == 404
    answered = api_as(reviewers["ndrc"]).post(url("answer"), {"answer": "备案已于今日办结"}, format="json")
    assert answered.status_code == 200, answered.json()
    assert answered.json()["status"] == ComplaintStatus.ANSWERED and answered.json()["answer"] == "备案已于今日办结"
    closed = api_as(officer).post(url("close"), {"satisfaction": "dissatisfied", "note": "企业认为办理过慢"},
                                  format="json")
    assert closed.status_code == 200 and closed.json()["status"] == ComplaintStatus.CLOSED
    reopened = api_as(officer).post(url("reopen"), {"reason": "涉及环评，转生态环境分局", "bureau": "ecology",
                                                    "due_working_days": 5}, format="json")
    assert reopened.status_code == 200, reopened.json()
    assert reopened.json()["bureau"] == "ecology" and reopened.json()["handling"] == 2
    assert api_as(reviewers["ecology"]).post(url("answer"), {"answer": "已完成环评指导"},
                                             format="json").status_code == 200


@pytest.mark.django_db
def test_only_a_dissatisfied_close_can_be_reopened(api_as, officer, reviewers):
    complaint = register(officer, code="ndrc")
    response = api_as(officer).post(reverse("api:complaint-reopen", args=[complaint.pk]), {"reason": "再次办理"},
                                    format="json")
    assert response.status_code == 400

"""The complaints API: another system registers a complaint through the same service (channel "API")."""

import pytest
from django.urls import reverse

from aftercare.models import Complaint
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_a_complaint_registered_through_the_api_is_routed_and_bad_input_is_refused(login, officer, reviewer):
    client = login(officer)
    url = reverse("api:complaint-list")
    enterprise = EnterpriseFactory()
    body = {"enterprise": enterprise.pk, "kind": "complaint", "category": "land", "subject": "用地手续",
            "content": "", "bureau": "planning", "due_on": "2020-01-01"}
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["content"] == ["请填写投资者反映的内容。"]
    assert not Complaint.objects.exists()
    body.update(content="土地出让手续迟迟未启动", due_on=None, due_working_days=5)
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["channel"], data["bureau"], data["status"]) == ("api", "planning", "open")
    # The NDRC reviewer is not shown a complaint routed to planning; reviewers cannot register one.
    reviewer_client = login(reviewer)
    assert reviewer_client.get(url).json()["count"] == 0
    assert reviewer_client.post(url, body, content_type="application/json").status_code == 403

"""A stale change through the API answers 409 with the record as now saved, as the enterprise's does."""

import pytest
from django.urls import reverse

from leads.models import PromotionEvent
from tests.factories import ContactFactory
from tests.leads.factories import PromotionEventFactory

pytestmark = pytest.mark.django_db


def test_the_api_answers_409_to_a_stale_contact_or_event_change(api_as, officer):
    client = api_as(officer)
    contact = ContactFactory(title="总经理")
    url = reverse("api:contact-detail", args=[contact.pk])
    assert client.get(url).json()["version"] == 1
    assert client.patch(url, {"title": "董事长"}, format="json").status_code == 400  # no version sent
    assert client.patch(url, {"title": "董事长", "version": 1}, format="json").status_code == 200
    stale = client.patch(url, {"title": "副总经理", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["title"] == "董事长"
    assert stale.json()["current"]["version"] == 2

    event = PromotionEventFactory(created_by=officer)
    url = reverse("api:event-detail", args=[event.pk])
    assert client.patch(url, {"city": "海口", "version": 1}, format="json").status_code == 200
    stale = client.patch(url, {"city": "儋州", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["city"] == "海口" and stale.json()["current"]["lead_count"] == 0
    assert PromotionEvent.objects.get(pk=event.pk).city == "海口"


def test_the_api_refuses_impossible_dates_and_invisible_names_with_the_models_rules(api_as, officer):
    client = api_as(officer)
    enterprise = client.post(reverse("api:enterprise-list"), {"name": "\u200b\u200b", "kind": "domestic"},
                             format="json")
    assert enterprise.status_code == 400 and "name" in enterprise.json()
    lead = client.post(reverse("api:lead-list"), {
        "title": "区域总部", "source": "prospecting", "enterprise": ContactFactory().enterprise.pk,
        "received_on": "0001-01-01"}, format="json")
    assert lead.status_code == 400 and "1990-01-01" in str(lead.json())

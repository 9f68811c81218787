"""The API masks personal data as the pages do (crm.personal_data): one rule for every channel."""

import pytest
from django.urls import reverse

from leads.models import Introducer

pytestmark = pytest.mark.django_db


def test_an_introducers_id_number_and_phone_are_masked_for_the_system_administrator(api_as, administrator,
                                                                                      officer):
    introducer = Introducer.objects.create(name="李建华", kind="person", id_number="460200199001011234",
                                           contact="李先生 13876540003")
    url = reverse("api:introducer-detail", args=[introducer.pk])
    seen = api_as(administrator).get(url)
    assert seen.status_code == 200
    assert (seen.json()["id_number"], seen.json()["contact"]) == ("460***********1234", "李先生 138****0003")
    listed = api_as(administrator).get(reverse("api:introducer-list")).content.decode()
    assert "460200199001011234" not in listed and "13876540003" not in listed
    full = api_as(officer).get(url).json()
    assert (full["id_number"], full["contact"]) == ("460200199001011234", "李先生 13876540003")

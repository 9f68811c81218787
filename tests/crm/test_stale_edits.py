"""Two people edit the same contact, promotion event, organisation or key enterprise: the second save, based on
what the page showed before the first, is refused (crm.services.StaleEdit) on the pages and answered 409 by the
API, instead of silently overwriting the first."""

import pytest
from django.urls import reverse

from aftercare import services as aftercare_services
from aftercare.models import KeyEnterprise, Organisation
from crm import services as crm_services
from crm.models import Contact
from leads import services as leads_services
from leads.models import PromotionEvent
from tests.aftercare.factories import KeyEnterpriseFactory, OrganisationFactory
from tests.factories import ContactFactory
from tests.leads.factories import PromotionEventFactory

pytestmark = pytest.mark.django_db

def _shown_version(response) -> int:
    return response.context["form"]["version"].value()


def _refused(response) -> bool:
    page = response.content.decode()
    return response.status_code == 200 and "您编辑期间其他人已保存了该记录" in page and "当前已保存的版本" in page


def test_a_stale_contact_edit_is_refused_and_the_saved_one_is_shown(login, officer, other_officer):
    contact = ContactFactory(title="总经理")
    url = reverse("crm:contact_edit", args=[contact.pk])
    version = _shown_version(login(officer).get(url))
    crm_services.contact_update(contact=contact, version=version, title="董事长")  # someone else saves first
    response = login(officer).post(url, {"name": contact.name, "title": "副总经理", "version": version})
    assert _refused(response) and "董事长" in response.content.decode()
    assert Contact.objects.get(pk=contact.pk).title == "董事长"
    # Saving again from the refreshed form is a deliberate overwrite, and goes through.
    again = login(officer).post(url, {"name": contact.name, "title": "副总经理",
                                      "version": _shown_version(response)})
    assert again.status_code == 302 and Contact.objects.get(pk=contact.pk).title == "副总经理"


def test_a_stale_event_edit_is_refused(login, officer):
    event = PromotionEventFactory(created_by=officer, city="三亚")
    url = reverse("leads:event_edit", args=[event.pk])
    version = _shown_version(login(officer).get(url))
    leads_services.event_update(event=event, by=officer, version=version, city="海口")
    response = login(officer).post(url, {"name": event.name, "kind": event.kind, "starts_on": event.starts_on,
                                         "ends_on": event.ends_on, "city": "儋州", "version": version})
    assert _refused(response)
    assert PromotionEvent.objects.get(pk=event.pk).city == "海口"


def test_a_stale_organisation_edit_is_refused(login, officer):
    organisation = OrganisationFactory(address="三亚市吉阳区")
    url = reverse("aftercare:organisation_edit", args=[organisation.pk])
    version = _shown_version(login(officer).get(url))
    aftercare_services.organisation_save(by=officer, organisation=organisation, version=version,
                                         address="三亚市天涯区")
    response = login(officer).post(url, {"name": organisation.name, "kind": organisation.kind,
                                         "address": "海口市", "version": version})
    assert _refused(response)
    assert Organisation.objects.get(pk=organisation.pk).address == "三亚市天涯区"


def test_a_stale_key_enterprise_edit_is_refused(login, leader, officer, other_officer):
    key = KeyEnterpriseFactory(officer=officer, designated_by=leader)
    url = reverse("aftercare:key_edit", args=[key.pk])
    version = _shown_version(login(leader).get(url))
    aftercare_services.key_enterprise_update(key=key, by=leader, version=version, officer=other_officer,
                                             cadence_months=key.cadence_months)
    response = login(leader).post(url, {"officer": officer.pk, "cadence_months": key.cadence_months,
                                        "version": version})
    assert _refused(response)
    assert KeyEnterprise.objects.get(pk=key.pk).officer == other_officer

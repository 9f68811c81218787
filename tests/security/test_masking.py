"""Personal data is masked for roles that do not need it (个人信息保护法: minimum necessary)."""

import pytest
from django.urls import reverse

from crm import access
from crm.lib.masking import mask_email, mask_id_number, mask_mobile, masked
from tests.factories import ContactFactory


@pytest.mark.parametrize(("value", "shown"), [
    ("13907551234", "139****1234"),
    ("139 0755 1234", "139 **** 1234"),
    ("0898-88661234", "089*-****1234"),
    ("88661234", "******34"),
    ("", ""),
])
def test_a_phone_number_keeps_only_its_ends(value, shown):
    assert mask_mobile(value) == shown


@pytest.mark.parametrize(("value", "shown"), [
    ("460200199001011234", "460***********1234"),
    ("46020019900101123X", "460***********123X"),
    ("E12345678", "E*******8"),
    ("AB", "**"),
])
def test_an_id_number_keeps_only_its_ends(value, shown):
    assert mask_id_number(value) == shown


def test_an_email_keeps_its_first_letter_and_domain():
    assert mask_email("zhao.min@example.cn") == "z***@example.cn"
    assert masked({"mobile": "13907551234", "email": ""}, reveal=False) == {"mobile": "139****1234", "email": ""}
    assert masked({"mobile": "13907551234"}, reveal=True) == {"mobile": "13907551234"}


@pytest.mark.django_db
def test_who_sees_personal_data_in_full(personas, settings):
    seen = {name: access.can_see_personal_data(user) for name, user in personas.items()}
    assert seen == {"officer": True, "other_officer": True, "leader": True, "admin": False, "reviewer": False}
    settings.CRM_PERSONAL_DATA_ROLES = ["officer"]
    assert not access.can_see_personal_data(personas["leader"])


@pytest.mark.django_db
def test_the_enterprise_page_masks_contacts_for_the_system_administrator(login, officer, administrator):
    contact = ContactFactory(mobile="13907551234", email="zhao@example.cn")
    url = reverse("crm:enterprise_detail", args=[contact.enterprise.pk])
    for_officer = login(officer).get(url).content.decode()
    assert "13907551234" in for_officer and "zhao@example.cn" in for_officer
    for_admin = login(administrator).get(url).content.decode()
    assert "13907551234" not in for_admin and "139****1234" in for_admin and "z***@example.cn" in for_admin


@pytest.mark.django_db
def test_the_back_office_hides_contact_numbers_from_the_system_administrator(login, administrator):
    contact = ContactFactory(mobile="13907551234")
    page = login(administrator).get(reverse("admin:crm_enterprise_change", args=[contact.enterprise.pk]))
    assert page.status_code == 200 and "13907551234" not in page.content.decode()


@pytest.mark.django_db
def test_the_api_masks_contact_numbers_for_the_system_administrator(login, officer, administrator):
    contact = ContactFactory(mobile="13907551234", email="zhao@example.cn")
    url = reverse("api:contact-detail", args=[contact.pk])
    assert login(officer).get(url).json()["mobile"] == "13907551234"
    shown = login(administrator).get(url).json()
    assert (shown["mobile"], shown["email"]) == ("139****1234", "z***@example.cn")


# --- one rule for every personal-data field, in every channel ------------------------------------------------

def _introducer():
    from leads.models import Introducer

    return Introducer.objects.create(name="李建华", kind="person", id_number="460200199001011234",
                                     contact="李先生 13876540003 li@example.cn")


def test_free_text_keeps_its_words_and_masks_the_numbers_and_addresses_in_it():
    from crm.lib.masking import mask_text

    assert mask_text("何经理 13907560001") == "何经理 139****0001"
    assert mask_text("陈总13823450002，zhao@example.cn") == "陈总138****0002，z***@example.cn"
    assert mask_text("身份证460200199001011234") == "身份证460***********1234"
    assert mask_text("2026年12月 王先生") == "2026年12月 王先生"


@pytest.mark.django_db
def test_the_back_office_shows_introducers_id_and_phone_masked_to_the_system_administrator(login, administrator):
    introducer = _introducer()
    client = login(administrator)
    listing = client.get(reverse("admin:leads_introducer_changelist")).content.decode()
    assert "460***********1234" in listing and "460200199001011234" not in listing
    form = client.get(reverse("admin:leads_introducer_change", args=[introducer.pk])).content.decode()
    assert "460200199001011234" not in form and "13876540003" not in form and "li@example.cn" not in form
    assert "460***********1234" in form and "李先生 138****0003 l***@example.cn" in form
    # A search by the number cannot confirm a guess either.
    found = client.get(reverse("admin:leads_introducer_changelist"), {"q": "460200199001011234"})
    assert "李建华" not in found.content.decode().split("<tbody>")[-1]


@pytest.mark.django_db
def test_the_back_office_history_shows_changed_numbers_masked(login, administrator):
    introducer = _introducer()
    introducer.contact = "李先生 13876540009"
    introducer.save()
    page = login(administrator).get(reverse("admin:leads_introducer_history", args=[introducer.pk]))
    text = page.content.decode()
    assert "13876540009" not in text and "13876540003" not in text and "138****0009" in text


@pytest.mark.django_db
def test_the_back_office_shows_contact_numbers_masked_and_read_only(login, administrator, officer):
    from tests.aftercare.factories import OrganisationContactFactory

    contact = ContactFactory(mobile="13907551234", email="zhao@example.cn")
    page = login(administrator).get(reverse("admin:crm_enterprise_change", args=[contact.enterprise.pk]))
    text = page.content.decode()
    assert "139****1234" in text and "z***@example.cn" in text and 'name="contacts-0-mobile"' not in text
    org_contact = OrganisationContactFactory(mobile="13907559999")
    page = login(administrator).get(reverse("admin:aftercare_organisation_change",
                                            args=[org_contact.organisation.pk]))
    assert "13907559999" not in page.content.decode() and "139****9999" in page.content.decode()


@pytest.mark.django_db
def test_the_complaint_page_masks_a_number_written_in_raised_by(login, officer, reviewer_factory):
    from aftercare import services
    from crm.models import Bureau

    enterprise = ContactFactory().enterprise
    complaint = services.complaint_register(
        by=officer, enterprise=enterprise, complainant="王先生 13907551234", kind="request", channel="call",
        category="land", subject="用地手续", content="询问用地手续进度",
        bureau=Bureau.objects.get(code="ndrc"), owner=officer)
    reviewer = reviewer_factory("ndrc")
    shown = login(reviewer).get(reverse("aftercare:complaint_detail", args=[complaint.pk])).content.decode()
    assert "王先生 139****1234" in shown and "13907551234" not in shown
    assert "王先生 13907551234" in login(officer).get(
        reverse("aftercare:complaint_detail", args=[complaint.pk])).content.decode()


def test_every_personal_data_field_is_enumerated_once_and_has_a_masker():
    from django.apps import apps

    from crm.lib.masking import MASKERS
    from crm.personal_data import PERSONAL_DATA

    for label, fields in PERSONAL_DATA.items():
        model = apps.get_model(label)
        for field, kind in fields.items():
            model._meta.get_field(field)
            assert kind in MASKERS


@pytest.mark.django_db
def test_a_lead_imports_dry_run_in_the_back_office_masks_the_rows_phone_numbers(login, administrator, officer):
    from leads.models import LeadImport

    upload = LeadImport.objects.create(original_name="台账.xlsx", file="imports/x.xlsx", created_by=officer,
                                       preview={"rows": [{"contact": "张三", "phone": "13907551234"}]})
    page = login(administrator).get(reverse("admin:leads_leadimport_change", args=[upload.pk]))
    assert page.status_code == 200
    assert "13907551234" not in page.content.decode() and "139****1234" in page.content.decode()

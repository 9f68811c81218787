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

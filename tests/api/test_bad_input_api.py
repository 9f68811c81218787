"""Malformed requests answer a clear 400 (the API: its JSON error, 400 or 413), never a server
error: a lone surrogate in a field, JSON nested 200,000 deep, a body over the size limit, a page's id not a number."""

import json

import pytest
from django.urls import reverse

from crm.models import Enterprise

ENTERPRISES = "/api/v1/enterprises/"


def _post_raw(client, body: bytes):
    return client.generic("POST", ENTERPRISES, body, content_type="application/json")


@pytest.mark.django_db
def test_a_lone_surrogate_in_a_field_is_a_400_naming_the_field(api_as, officer):
    body = b'{"name": "\\u4e09\\u4e9a\\u6e2f\\u52a1\\u6709\\u9650\\u516c\\u53f8", "credit_code": "\\ud800"}'
    response = _post_raw(api_as(officer), body)
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert "credit_code" in response.json()
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_json_nested_two_hundred_thousand_deep_is_a_json_400(api_as, officer):
    response = _post_raw(api_as(officer), b"[" * 200_000)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "JSON" in response.json()["detail"]


@pytest.mark.django_db
def test_a_body_over_the_size_limit_is_the_apis_json_error(api_as, officer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = json.dumps({"name": "x" * (1024 * 1024 + 10)}).encode()
    response = _post_raw(api_as(officer), body)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "1 MB" in response.json()["detail"]
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_a_body_over_the_size_limit_on_a_page_is_still_a_400(client, officer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(officer)
    response = client.post(reverse("leads:lead_create"), {"title": "x" * 2048})
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("body", [b'{"\\ud800": "x"}', b'{"name": "x", "contacts": [{"name": "\\udc00"}]}'])
def test_a_lone_surrogate_anywhere_in_the_body_is_a_json_400(api_as, officer, body):
    response = _post_raw(api_as(officer), body)
    assert response.status_code == 400
    assert set(response.json()) <= {"non_field_errors", "contacts"}


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "1e3", "٣", "9" * 30])
def test_a_lead_started_from_an_enterprise_that_is_not_a_number_is_a_400(client, officer, value):
    client.force_login(officer)
    response = client.get(reverse("leads:lead_create"), {"enterprise": value})
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_lead_started_from_a_visible_enterprise_has_it_chosen(client, officer):
    enterprise = Enterprise.objects.create(name="三亚港务有限公司", created_by=officer)
    client.force_login(officer)
    response = client.get(reverse("leads:lead_create"), {"enterprise": str(enterprise.pk)})
    assert response.status_code == 200
    assert response.context["form"].initial["enterprise"] == enterprise.pk

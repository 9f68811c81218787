"""The API speaks the same rules as the pages: tokens, visibility, validation, stale edits, throttling."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from crm.api.tokens import api_token_issue, api_token_revoke
from crm.models import Enterprise
from tests.factories import EnterpriseFactory


@pytest.fixture
def api():
    return APIClient()


def with_token(api, user):
    _, key = api_token_issue(user=user, name="test", by=None)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.mark.django_db
def test_without_credentials_the_api_answers_401_with_a_token_challenge(api):
    response = api.get(reverse("api:enterprise-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_a_token_works_until_it_is_revoked(api, officer):
    token, key = api_token_issue(user=officer, name="office system", by=None)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:enterprise-list")).status_code == 200
    api_token_revoke(token=token)
    assert api.get(reverse("api:enterprise-list")).status_code == 401


@pytest.mark.django_db
def test_only_a_hash_of_the_key_is_stored(officer):
    token, key = api_token_issue(user=officer, name="x", by=None)
    assert key not in token.key_hash and token.prefix == key[:8]


@pytest.mark.django_db
def test_a_wrong_credit_code_answers_400_with_the_field_message(api, officer):
    response = with_token(api, officer).post(reverse("api:enterprise-list"), {
        "name": "接口测试有限公司", "credit_code": "91350100M000100Y44", "kind": "domestic"}, format="json")
    assert response.status_code == 400
    assert "校验位" in response.json()["credit_code"][0]
    assert not Enterprise.objects.filter(name="接口测试有限公司").exists()


@pytest.mark.django_db
def test_a_duplicate_credit_code_names_the_existing_enterprise(api, officer):
    existing = EnterpriseFactory(name="已登记企业有限公司")
    response = with_token(api, officer).post(reverse("api:enterprise-list"), {
        "name": "重复企业", "credit_code": existing.credit_code, "kind": "domestic"}, format="json")
    assert response.status_code == 400
    assert "已登记企业有限公司" in response.json()["credit_code"][0]


@pytest.mark.django_db
def test_an_officer_creates_and_updates_an_enterprise_through_the_api(api, officer):
    client = with_token(api, officer)
    created = client.post(reverse("api:enterprise-list"), {
        "name": "接口新建有限公司", "credit_code": "91350100m000100y43", "kind": "domestic",
        "registered_capital_wan": "1200.50"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["credit_code"] == "91350100M000100Y43" and body["registered_capital_wan"] == "1200.50"
    url = reverse("api:enterprise-detail", args=[body["id"]])
    updated = client.patch(url, {"address": "吉阳区迎宾路1号", "version": body["version"]}, format="json")
    assert updated.status_code == 200 and updated.json()["version"] == body["version"] + 1


@pytest.mark.django_db
def test_an_update_based_on_a_stale_version_answers_409_with_the_current_record(api, officer, other_officer):
    enterprise = EnterpriseFactory(address="原地址")
    url = reverse("api:enterprise-detail", args=[enterprise.pk])
    with_token(APIClient(), officer).patch(url, {"address": "王的修改", "version": 1}, format="json")
    response = with_token(api, other_officer).patch(url, {"address": "李的修改", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["current"]["address"] == "王的修改"
    enterprise.refresh_from_db()
    assert enterprise.address == "王的修改"


@pytest.mark.django_db
def test_an_update_without_a_version_is_refused(api, officer):
    enterprise = EnterpriseFactory()
    response = with_token(api, officer).patch(reverse("api:enterprise-detail", args=[enterprise.pk]),
                                              {"address": "x"}, format="json")
    assert response.status_code == 400 and "version" in response.json()


@pytest.mark.django_db
def test_a_reviewer_sees_no_enterprise_and_gets_404_for_one(api, reviewer):
    enterprise = EnterpriseFactory()
    client = with_token(api, reviewer)
    assert client.get(reverse("api:enterprise-list")).json()["count"] == 0
    assert client.get(reverse("api:enterprise-detail", args=[enterprise.pk])).status_code == 404
    assert client.patch(reverse("api:enterprise-detail", args=[enterprise.pk]), {"version": 1},
                        format="json").status_code == 404


@pytest.mark.django_db
def test_an_administrator_may_read_but_not_create_enterprises(api, administrator):
    client = with_token(api, administrator)
    assert client.get(reverse("api:enterprise-list")).status_code == 200
    response = client.post(reverse("api:enterprise-list"), {"name": "管理员建的", "kind": "domestic"},
                           format="json")
    assert response.status_code == 403


@pytest.mark.django_db
def test_token_clients_are_throttled(api, officer, settings):
    settings.API_TOKEN_THROTTLE_RATE = "3/min"
    from django.core.cache import cache

    cache.clear()
    client = with_token(api, officer)
    codes = [client.get(reverse("api:bureau-list")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


@pytest.mark.django_db
def test_lists_filter_and_order(api, officer):
    EnterpriseFactory(name="乙公司", kind="foreign", origin_country="新加坡")
    EnterpriseFactory(name="甲公司")
    client = with_token(api, officer)
    foreign = client.get(reverse("api:enterprise-list"), {"kind": "foreign"}).json()
    assert [e["name"] for e in foreign["results"]] == ["乙公司"]
    ordered = client.get(reverse("api:enterprise-list"), {"ordering": "-name"}).json()
    assert [e["name"] for e in ordered["results"]] == sorted(["甲公司", "乙公司"], reverse=True)


@pytest.mark.django_db
def test_the_schema_and_the_documentation_are_served_without_the_internet(login, officer):
    client = login(officer)
    schema = client.get(reverse("api:schema"), {"format": "json"})
    assert schema.status_code == 200 and "/api/v1/enterprises/" in schema.json()["paths"]
    docs = client.get(reverse("api:docs")).content.decode()
    assert "drf_spectacular_sidecar" in docs and "cdn" not in docs.lower()

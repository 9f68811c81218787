"""API tokens under 三员分立: nobody makes a credential for another account. A person makes their own, after
their second factor, and sees the key once; the security administrator revokes any and makes none; every write
made with a token is in the security audit log with the token's owner and name."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from crm.api.tokens import api_token_issue
from crm.models import ApiToken
from security.choices import AuditAction, AuditResult
from tests.factories import EnterpriseFactory
from tests.leads.factories import LeadFactory
from tests.queries import count_queries
from tests.security.conftest import entries
from tests.security.test_second_factor import PASSWORD, code_for


def verified_client(user) -> Client:
    """A browser logged in with password and authenticator code, as a person really is."""
    client = Client()
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    response = client.post(reverse("security:otp_verify"), {"token": code_for(device)})
    assert response.status_code == 302
    return client


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.django_db
def test_the_back_office_has_no_token_screen_and_nobody_makes_a_key_for_another_account(
        login, administrator, leader, security_admin):
    client = login(administrator)
    assert client.get("/admin/crm/apitoken/add/").status_code == 404
    response = client.post("/admin/crm/apitoken/add/", {"user": leader.pk, "name": "接管", "expires_at": ""})
    assert response.status_code == 404 and not ApiToken.objects.exists()
    assert "apitoken" not in client.get(reverse("admin:index")).content.decode()
    for someone_else in (administrator, security_admin):
        with pytest.raises(PermissionDenied):
            api_token_issue(user=leader, name="接管", by=someone_else)
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_the_token_page_asks_for_the_second_factor_first_even_of_an_officer(client, officer):
    client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    url = reverse("security:api_token_list")
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("security:otp_enrol"))
    assert client.post(url, {"name": "办公系统"}).status_code == 302
    assert not ApiToken.objects.exists()
    TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    assert client.get(url).url.startswith(reverse("security:otp_verify"))


@pytest.mark.django_db
def test_a_person_makes_their_own_token_sees_the_key_once_and_the_key_works(leader):
    client = verified_client(leader)
    url = reverse("security:api_token_list")
    assert client.get(url).status_code == 200
    made = client.post(url, {"name": "发改委办公系统", "expires_on": "2027-06-30"})
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    key = made.context["key"]
    assert key in made.content.decode()
    token = ApiToken.objects.get()
    assert (token.user, token.created_by, token.name) == (leader, leader, "发改委办公系统")
    assert timezone.localtime(token.expires_at).isoformat() == "2027-07-01T00:00:00+08:00"  # all of the last day
    listed = client.get(url).content.decode()
    assert "发改委办公系统" in listed and key not in listed and token.prefix in listed
    assert token_client(key).get(reverse("api:enterprise-list")).status_code == 200
    created = entries(AuditAction.API_TOKEN_CREATED)[-1]
    assert (created.actor_username, created.detail["token"]) == ("leader", "发改委办公系统")
    assert key not in str(created.detail) and key not in created.target_label


@pytest.mark.django_db
def test_a_token_name_is_required_and_the_last_day_cannot_be_past(officer):
    client = verified_client(officer)
    url = reverse("security:api_token_list")
    assert client.post(url, {"name": "  "}).status_code == 200
    refused = client.post(url, {"name": "系统", "expires_on": "2026-12-01"})
    assert refused.status_code == 200 and "不能是过去" in refused.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_person_revokes_their_own_token_but_not_someone_elses(officer, other_officer):
    mine, my_key = api_token_issue(user=officer, name="mine", by=officer)
    theirs, their_key = api_token_issue(user=other_officer, name="theirs", by=other_officer)
    client = verified_client(officer)
    assert client.post(reverse("security:api_token_revoke", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("security:api_token_revoke", args=[mine.pk])).status_code == 302
    assert token_client(my_key).get(reverse("api:enterprise-list")).status_code == 401
    assert token_client(their_key).get(reverse("api:enterprise-list")).status_code == 200
    assert entries(AuditAction.API_TOKEN_REVOKED)[-1].actor_username == "officer"


@pytest.mark.django_db
def test_the_security_administrator_revokes_any_token_and_the_revocation_is_recorded(login, security_admin,
                                                                                     leader):
    token, key = api_token_issue(user=leader, name="发改委办公系统", by=leader)
    client = login(security_admin)
    page = client.get(reverse("security:account_token_list")).content.decode()
    assert "发改委办公系统" in page and "陈局长" in page
    assert client.post(reverse("security:account_token_revoke", args=[token.pk])).status_code == 302
    assert token_client(key).get(reverse("api:enterprise-list")).status_code == 401
    revoked = entries(AuditAction.API_TOKEN_REVOKED)[-1]
    assert (revoked.actor_username, revoked.detail) == ("security.admin", {"token": "发改委办公系统",
                                                                           "owner": "leader"})


@pytest.mark.django_db
def test_every_write_made_with_a_token_is_recorded_with_the_tokens_owner_and_name(leader, officer, other_officer):
    _token, key = api_token_issue(user=leader, name="发改委办公系统", by=leader)
    client = token_client(key)
    lead = LeadFactory(owner=officer)
    url = reverse("api:lead-reassign", args=[lead.pk])
    assert client.post(url, {"owner": other_officer.pk}, format="json").status_code == 200
    assert client.get(reverse("api:lead-detail", args=[lead.pk])).status_code == 200  # reads are not writes
    writes = entries(AuditAction.API_WRITE)
    assert len(writes) == 1
    write = writes[0]
    assert (write.actor_username, write.actor_role, write.result, write.path) == (
        "leader", "leader", AuditResult.SUCCESS, url)
    assert write.detail == {"token": "发改委办公系统", "method": "POST", "path": url, "status": 200}


@pytest.mark.django_db
def test_a_refused_write_made_with_a_token_is_recorded_as_refused(officer, other_officer):
    _token, key = api_token_issue(user=officer, name="报表机器人", by=officer)
    lead = LeadFactory(owner=other_officer)
    url = reverse("api:lead-reassign", args=[lead.pk])
    assert token_client(key).post(url, {"owner": officer.pk}, format="json").status_code == 403
    write = entries(AuditAction.API_WRITE)[-1]
    assert (write.actor_username, write.result, write.detail["status"], write.detail["token"]) == (
        "officer", AuditResult.DENIED, 403, "报表机器人")
    bad = token_client(key).post(reverse("api:enterprise-list"), {"name": "", "kind": "domestic"}, format="json")
    assert bad.status_code == 400
    assert entries(AuditAction.API_WRITE)[-1].result == AuditResult.FAILURE


@pytest.mark.django_db
def test_writes_in_a_session_are_not_token_writes(login, officer):
    client = login(officer)
    EnterpriseFactory()
    client.post(reverse("api:enterprise-list"), {"name": "", "kind": "domestic"}, content_type="application/json")
    assert entries(AuditAction.API_WRITE) == []


@pytest.mark.django_db
def test_my_token_list_costs_the_same_queries_for_1_or_12_tokens(officer):
    client = verified_client(officer)
    url = reverse("security:api_token_list")
    api_token_issue(user=officer, name="t0", by=officer)
    small = count_queries(client, url)
    for i in range(11):
        api_token_issue(user=officer, name=f"t{i + 1}", by=officer)
    large = count_queries(client, url)
    # session, user, unread notifications (navigation bar), the user's bureau, and the tokens (5).
    assert small == large == 5


@pytest.mark.django_db
def test_the_security_administrators_token_list_costs_the_same_queries_for_1_or_30_tokens(login, security_admin,
                                                                                          officer, leader):
    client = login(security_admin)
    url = reverse("security:account_token_list")
    api_token_issue(user=officer, name="t0", by=officer)
    small = count_queries(client, url)
    for i in range(29):
        api_token_issue(user=leader if i % 2 else officer, name=f"t{i + 1}", by=leader if i % 2 else officer)
    large = count_queries(client, url)
    # session, user, unread notifications (navigation bar), the paginator's count, the page's keys and the page's
    # tokens with their owners joined (6).
    assert small == large == 6

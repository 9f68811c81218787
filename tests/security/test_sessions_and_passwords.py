"""Password rules, history and expiry; lockout with cool-off; idle timeout; one session per account."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from security.choices import AuditAction, AuditResult
from security.models import PasswordState
from tests.security.conftest import entries

PASSWORD = "Correct-horse-9"  # what tests.factories gives every account


@pytest.mark.django_db
@pytest.mark.parametrize(("password", "code"), [
    ("Short-1a", "password_too_short"),
    ("alllowercaseletters", "password_too_simple"),
    ("lowercase-and-symbols", "password_too_simple"),
    ("1234567890123", "password_entirely_numeric"),
    ("Password123!", "password_common_pattern"),
    ("P@ssw0rd2026", "password_common_pattern"),
    ("Woaini@1314", "password_common_pattern"),
    ("1qaz@WSX3edc", "password_keyboard_pattern"),
    ("Qwer!2026zz", "password_keyboard_pattern"),
])
def test_a_weak_password_is_refused_with_the_rule_it_breaks(officer, password, code):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, officer)
    assert code in [error.code for error in refused.value.error_list]


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["Jiyang@2026", PASSWORD, "Sanya-Jiyang-2026", "Mz7#Xk2026abcd"])
def test_passwords_that_are_not_a_common_pattern_pass(password):
    validate_password(password)  # the demo's password and the tests' own stay valid


@pytest.mark.django_db
def test_the_password_page_refuses_a_common_password_with_a_year_in_chinese(client, officer):
    client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    response = client.post(reverse("security:password_change"), {
        "old_password": PASSWORD, "new_password1": "P@ssw0rd2026", "new_password2": "P@ssw0rd2026"})
    assert response.status_code == 200 and "常见密码" in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_long_mixed_password_is_accepted_and_from_then_on_opens_the_account(client, officer):
    client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    response = client.post(reverse("security:password_change"), {
        "old_password": PASSWORD, "new_password1": "Sanya-Jiyang-2026", "new_password2": "Sanya-Jiyang-2026"},
        follow=True)
    assert response.redirect_chain == [(reverse("security:account_security"), 302)]
    assert "密码已修改" in response.content.decode()
    client.post(reverse("logout"))
    refused = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert refused.status_code == 200 and not refused.wsgi_request.user.is_authenticated
    accepted = client.post(reverse("login"), {"username": "officer", "password": "Sanya-Jiyang-2026"})
    assert accepted.status_code == 302 and accepted.wsgi_request.user == officer


@pytest.mark.django_db
def test_the_last_passwords_cannot_be_chosen_again(officer, settings):
    settings.CRM_PASSWORD_HISTORY = 3
    for new in ("Second-horse-9", "Third-horse-9", "Fourth-horse-9"):
        officer.set_password(new)
        officer.save()
    with pytest.raises(ValidationError) as refused:
        validate_password("Third-horse-9", officer)
    assert refused.value.error_list[0].code == "password_reused"
    validate_password(PASSWORD, officer)  # four passwords ago: allowed again


@pytest.mark.django_db
def test_the_password_page_refuses_a_reused_password_in_chinese_and_records_the_refusal(login, officer):
    response = login(officer).post(reverse("security:password_change"), {
        "old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 200 and "最近使用过" in response.content.decode()
    refused = entries(AuditAction.PASSWORD_REFUSED)
    assert refused[-1].detail == {"reasons": ["password_reused"]} and refused[-1].result == AuditResult.FAILURE


@pytest.mark.django_db
def test_a_password_change_is_recorded_and_keeps_the_user_logged_in(login, officer):
    client = login(officer)
    response = client.post(reverse("security:password_change"), {
        "old_password": PASSWORD, "new_password1": "Brand-new-Sanya-7", "new_password2": "Brand-new-Sanya-7"})
    assert response.status_code == 302
    assert client.get(reverse("security:account_security")).status_code == 200
    changed = entries(AuditAction.PASSWORD_CHANGED)
    assert [(e.actor_username, e.target_label) for e in changed] == [("officer", str(officer))]


@pytest.mark.django_db
def test_a_new_account_starts_its_password_period_now(officer):
    assert timezone.now() - PasswordState.objects.get(user=officer).changed_at < timedelta(minutes=1)


@pytest.mark.django_db
def test_an_expired_password_must_be_replaced_before_any_other_page(client, officer, settings):
    settings.CRM_PASSWORD_MAX_AGE_DAYS = 90
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
        response = client.get(reverse("crm:enterprise_list"))
        assert response.status_code == 302 and response.url == reverse("security:password_change")
        page = client.get(response.url).content.decode()
        assert "密码已过期" in page
        client.post(reverse("security:password_change"), {
            "old_password": PASSWORD, "new_password1": "Renewed-Sanya-8", "new_password2": "Renewed-Sanya-8"})
        assert client.get(reverse("crm:enterprise_list")).status_code == 200
    assert entries(AuditAction.PASSWORD_EXPIRED)[-1].actor_username == "officer"


@pytest.mark.django_db
def test_failed_logins_and_the_lockout_are_recorded_and_the_cool_off_lifts_it(client, officer, settings):
    url = reverse("login")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(url, {"username": "officer", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
        locked = client.post(url, {"username": "officer", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
        assert locked.status_code == 429
        traveller.shift(settings.AXES_COOLOFF_TIME + timedelta(minutes=1))
        assert client.post(url, {"username": "officer", "password": PASSWORD}).status_code == 302
    failed = entries(AuditAction.LOGIN_FAILED)
    assert len(failed) == settings.AXES_FAILURE_LIMIT + 1
    assert {(e.actor_username, e.ip_address) for e in failed} == {("officer", "10.1.2.3")}
    assert failed[-1].result == AuditResult.DENIED  # the right password, refused while locked
    lockout = entries(AuditAction.LOCKOUT)
    assert lockout and {e.target_label for e in lockout} == {"officer"}
    assert lockout[0].seq < failed[-1].seq  # locked by the failures, before the refused right password
    assert entries(AuditAction.LOGIN)[-1].actor_username == "officer"


@pytest.mark.django_db
def test_an_address_guessing_with_rotating_browsers_is_locked_out_and_others_are_not(client, officer, settings):
    url = reverse("login")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": f"guess{attempt}", "password": "wrong"}, REMOTE_ADDR="10.9.9.9",
                    HTTP_USER_AGENT=f"Browser/{attempt}")
    locked = client.post(url, {"username": "officer", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9",
                         HTTP_USER_AGENT="Yet-another-browser/1")
    assert locked.status_code == 429 and "登录失败次数过多" in locked.content.decode()
    elsewhere = Client().post(url, {"username": "officer", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert elsewhere.status_code == 302


@pytest.mark.django_db
def test_an_idle_session_ends_with_a_message_and_is_recorded(client, officer, settings):
    settings.CRM_SESSION_IDLE_MINUTES = 30
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
        traveller.shift(timedelta(minutes=20))
        assert client.get(reverse("crm:enterprise_list")).status_code == 200
        traveller.shift(timedelta(minutes=25))  # 25 minutes after the last request, 45 after login
        assert client.get(reverse("crm:enterprise_list")).status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("crm:enterprise_list"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        assert "30 分钟" in client.get(response.url).content.decode()
    assert entries(AuditAction.SESSION_TIMEOUT)[-1].actor_username == "officer"
    assert not entries(AuditAction.LOGOUT)  # the person did not log out; the timeout did


@pytest.mark.django_db
def test_a_second_login_ends_the_first_session_which_is_told_why(officer):
    first, second = Client(), Client()
    first.post(reverse("login"), {"username": "officer", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert first.get(reverse("crm:enterprise_list")).status_code == 200
    second.post(reverse("login"), {"username": "officer", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2")
    assert second.get(reverse("crm:enterprise_list")).status_code == 200
    response = first.get(reverse("crm:enterprise_list"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "在其他地方登录" in response.content.decode()
    superseded = entries(AuditAction.SESSION_SUPERSEDED)
    assert [(e.actor_username, e.ip_address, e.detail) for e in superseded] == [
        ("officer", "10.0.0.2", {"ended_session_address": "10.0.0.1"})]


@pytest.mark.django_db
def test_a_colleagues_login_ends_nobody_elses_session(officer, other_officer):
    mine, theirs = Client(), Client()
    mine.post(reverse("login"), {"username": "officer", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    theirs.post(reverse("login"), {"username": "other_officer", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2")
    # One session per account, not per office: each still works as themself after the other logged in.
    for client, user, colleague in ((mine, officer, other_officer), (theirs, other_officer, officer)):
        response = client.get(reverse("crm:enterprise_list"))
        page = response.content.decode()
        assert response.status_code == 200 and response.wsgi_request.user == user
        assert user.full_name in page and colleague.full_name not in page
        assert "在其他地方登录" not in page
    assert not entries(AuditAction.SESSION_SUPERSEDED)


@pytest.mark.django_db
def test_login_and_logout_are_recorded_with_the_address(client, officer):
    client.post(reverse("login"), {"username": "officer", "password": PASSWORD}, REMOTE_ADDR="192.168.10.7",
                HTTP_USER_AGENT="Mozilla/5.0 test")
    client.post(reverse("logout"), REMOTE_ADDR="192.168.10.7")
    login_entry, logout_entry = entries(AuditAction.LOGIN)[-1], entries(AuditAction.LOGOUT)[-1]
    assert (login_entry.actor_username, login_entry.ip_address, login_entry.user_agent) == (
        "officer", "192.168.10.7", "Mozilla/5.0 test")
    assert (logout_entry.actor_username, logout_entry.ip_address) == ("officer", "192.168.10.7")

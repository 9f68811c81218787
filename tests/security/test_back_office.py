"""The back office under 三员分立: the system administrator keeps accounts (never their role or bureau) and the
settings; business records are read-only there for everyone; every delete, single or bulk, from any channel,
is in the security audit log with what was deleted."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from crm import services as crm_services
from crm.choices import Role
from crm.models import Bureau, CalendarDay, Contact, Enterprise
from crm.roles import ROLE_GROUP_NAMES
from leads.models import Lead
from projects.models import Project
from security.choices import AuditAction
from security.signals import deletions_recorded
from tests.factories import ContactFactory, EnterpriseFactory, UserFactory, bureau
from tests.leads.factories import LeadFactory
from tests.projects.factories import ProjectFactory
from tests.security.conftest import entries


@pytest.fixture
def system_admin(db):
    """A system administrator made the production way: role admin, staff through the role, not a superuser."""
    return crm_services.user_create(username="sys.admin", password=None, role=Role.ADMIN, full_name="系统管理员")


def back_office(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- accounts: role and bureau are the security administrator's ------------------------------------------------

@pytest.mark.django_db
def test_the_system_administrator_cannot_move_a_reviewer_to_another_bureau(system_admin, reviewer):
    reviewers_browser = back_office(reviewer)
    url = reverse("admin:crm_user_change", args=[reviewer.pk])
    client = back_office(system_admin)
    assert 'name="bureau"' not in client.get(url).content.decode()
    response = client.post(url, {"username": reviewer.username, "full_name": "发改委审查员", "email": "", "phone": "",
                                 "is_active": "on", "bureau": bureau("ecology").pk, "role": Role.OFFICER})
    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert (reviewer.full_name, reviewer.bureau.code, reviewer.role) == ("发改委审查员", "ndrc", Role.REVIEWER)
    assert reviewers_browser.get(reverse("projects:my_reviews")).status_code == 200  # nothing changed for them


@pytest.mark.django_db
def test_a_bureau_change_is_the_security_administrators_and_ends_the_persons_sessions(security_admin, reviewer):
    reviewers_browser = back_office(reviewer)
    assert reviewers_browser.get(reverse("projects:my_reviews")).status_code == 200
    response = back_office(security_admin).post(reverse("security:account_role", args=[reviewer.pk]),
                                                {"role": Role.REVIEWER, "bureau": bureau("ecology").pk})
    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.bureau.code == "ecology"
    assert reviewers_browser.get(reverse("projects:my_reviews")).status_code == 302  # to the login page
    change = entries(AuditAction.ROLE_CHANGED)[-1]
    assert (change.actor_username, change.detail["bureau"]) == (
        "security.admin", {"from": bureau("ndrc").pk, "to": bureau("ecology").pk})


@pytest.mark.django_db
def test_a_bureau_changed_by_any_service_ends_the_persons_sessions(reviewer):
    reviewers_browser = back_office(reviewer)
    crm_services.user_set_role(user=reviewer, role=Role.REVIEWER, bureau=bureau("market"))
    assert reviewers_browser.get(reverse("projects:my_reviews")).status_code == 302
    assert entries(AuditAction.ROLE_CHANGED)[-1].detail["bureau"]["to"] == bureau("market").pk


@pytest.mark.django_db
def test_an_account_cannot_be_reverted_to_an_earlier_role_from_its_history(system_admin, officer):
    crm_services.user_set_role(user=officer, role=Role.LEADER, bureau=bureau("promotion"))
    first = officer.history.order_by("history_id").first()
    url = reverse("admin:crm_user_simple_history", args=[officer.pk, first.history_id])
    assert back_office(system_admin).post(url, {"username": officer.username}).status_code == 403
    officer.refresh_from_db()
    assert officer.role == Role.LEADER


# --- business records: read-only for every administrator --------------------------------------------------------

@pytest.mark.django_db
def test_the_system_administrator_cannot_change_owners_or_money_of_a_project_in_the_back_office(
        system_admin, officer, other_officer):
    project = ProjectFactory(owner=officer)
    client = back_office(system_admin)
    url = reverse("admin:projects_project_change", args=[project.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="owner"' not in page.content.decode()  # shown, not editable
    response = client.post(url, {"name": project.name, "enterprise": project.enterprise_id, "owner": other_officer.pk,
                                 "co_owners": [other_officer.pk], "industry": project.industry_id,
                                 "investment_wan": "1"})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.owner == officer and not project.co_owners.exists()
    assert client.get(reverse("admin:projects_project_delete", args=[project.pk])).status_code == 403


@pytest.mark.django_db
def test_business_records_are_read_only_even_for_a_superuser(officer, other_officer):
    superuser = UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True)
    lead = LeadFactory(owner=officer, title="区域总部")
    client = back_office(superuser)
    assert client.get(reverse("admin:leads_lead_add")).status_code == 403
    assert client.post(reverse("admin:leads_lead_change", args=[lead.pk]),
                       {"title": "改", "owner": other_officer.pk}).status_code == 403
    assert client.post(reverse("admin:leads_lead_delete", args=[lead.pk]), {"post": "yes"}).status_code == 403
    client.post(reverse("admin:leads_lead_changelist"),
                {"action": "delete_selected", "_selected_action": [lead.pk], "post": "yes"})
    lead = Lead.objects.get(pk=lead.pk)  # still there, unchanged
    assert (lead.owner, lead.title) == (officer, "区域总部")


@pytest.mark.django_db
def test_viewing_a_record_does_not_allow_reverting_it_from_its_history(system_admin, officer, other_officer):
    project = ProjectFactory(owner=officer, name="旧名称")
    project.name = "新名称"
    project.save()
    first = project.history.order_by("history_id").first()
    url = reverse("admin:projects_project_simple_history", args=[project.pk, first.history_id])
    client = back_office(system_admin)
    assert client.get(url).status_code == 200  # the earlier version can be read
    assert client.post(url, {}).status_code == 403
    project.refresh_from_db()
    assert project.name == "新名称"


@pytest.mark.django_db
def test_the_system_administrator_keeps_the_settings(system_admin):
    client = back_office(system_admin)
    response = client.post(reverse("admin:crm_calendarday_add"),
                           {"date": "2031-01-02", "kind": CalendarDay.Kind.choices[0][0], "note": "调休"})
    assert response.status_code == 302 and CalendarDay.objects.filter(date=date(2031, 1, 2)).exists()


@pytest.mark.django_db
def test_the_system_administrators_group_may_only_view_business_records():
    perms = set(Group.objects.get(name=ROLE_GROUP_NAMES[Role.ADMIN]).permissions.values_list(
        "content_type__app_label", "codename"))
    assert {("crm", "view_enterprise"), ("projects", "view_project"), ("leads", "view_lead")} <= perms
    assert not {("crm", "change_enterprise"), ("projects", "change_project"), ("leads", "add_lead"),
                ("leads", "delete_lead"), ("crm", "delete_user"), ("crm", "add_apitoken")} & perms
    assert {("crm", "change_bureau"), ("crm", "add_calendarday"), ("projects", "change_entrythreshold"),
            ("crm", "add_user"), ("crm", "change_user")} <= perms


# --- deletes: every one is an audit event ---------------------------------------------------------------------

@pytest.mark.django_db
def test_a_bulk_delete_from_a_back_office_list_records_each_deleted_record(system_admin):
    days = [CalendarDay.objects.create(date=date(2031, 1, d), kind=CalendarDay.Kind.choices[0][0], note=f"第{d}天")
            for d in (2, 3, 4)]
    response = back_office(system_admin).post(reverse("admin:crm_calendarday_changelist"), {
        "action": "delete_selected", "_selected_action": [d.pk for d in days], "post": "yes"})
    assert response.status_code == 302 and not CalendarDay.objects.exists()
    deleted = entries(AuditAction.RECORD_DELETED)
    assert sorted(e.target_id for e in deleted) == sorted(str(d.pk) for d in days)
    assert {(e.actor_username, e.target_type, e.detail["bulk"]) for e in deleted} == {
        ("sys.admin", "crm.calendarday", True)}
    assert {e.target_label for e in deleted} == {str(d) for d in days}


@pytest.mark.django_db
def test_a_single_delete_in_the_back_office_is_recorded(system_admin):
    day = CalendarDay.objects.create(date=date(2031, 1, 2), kind=CalendarDay.Kind.choices[0][0], note="调休")
    back_office(system_admin).post(reverse("admin:crm_calendarday_delete", args=[day.pk]), {"post": "yes"})
    deleted = entries(AuditAction.RECORD_DELETED)[-1]
    assert (deleted.actor_username, deleted.target_type, deleted.target_id) == (
        "sys.admin", "crm.calendarday", str(day.pk))


@pytest.mark.django_db
def test_a_delete_outside_the_back_office_is_recorded_with_what_it_took_along():
    enterprise = EnterpriseFactory(name="将被删除的企业有限公司")
    contact = ContactFactory(enterprise=enterprise)
    enterprise_pk = enterprise.pk
    enterprise.delete()  # a command, a script or a service
    deleted = {e.target_type: e for e in entries(AuditAction.RECORD_DELETED)}
    assert deleted["crm.enterprise"].target_label == "将被删除的企业有限公司"
    assert (deleted["crm.contact"].target_id, deleted["crm.contact"].detail["cascade_from"]) == (
        str(contact.pk), f"crm.enterprise {enterprise_pk}")
    assert not Contact.objects.exists() and not Enterprise.objects.exists()


def test_deletions_are_recorded_for_every_product_record_but_history_and_link_rows():
    recorded = {model._meta.label_lower for model in deletions_recorded()}
    assert {"crm.enterprise", "crm.contact", "crm.bureau", "leads.lead", "projects.project", "projects.opinion",
            "awards.awardapplication", "aftercare.complaint", "reports.snapshot", "crm.apitoken"} <= recorded
    assert not {"crm.historicalenterprise", "projects.project_co_owners", "crm.user", "security.auditentry"} & recorded
    assert Bureau._meta.label_lower in recorded and Project._meta.label_lower in recorded


@pytest.mark.django_db
def test_a_password_set_by_the_system_administrator_works_once_to_choose_a_new_one(system_admin, officer):
    """Helping a person who forgot their password must not let the administrator act as them: the password set in
    the back office ends the person's sessions and must be replaced at the next login, and the log says who set it."""
    officers_browser = back_office(officer)
    assert officers_browser.get(reverse("leads:my_work")).status_code == 200
    response = back_office(system_admin).post(
        reverse("admin:auth_user_password_change", args=[officer.pk]),
        {"password1": "Haitang-Bay-7193", "password2": "Haitang-Bay-7193", "usable_password": "true"})
    assert response.status_code == 302
    assert officers_browser.get(reverse("leads:my_work")).status_code == 302  # the open session has ended
    fresh = Client()
    login = fresh.post(reverse("login"), {"username": officer.username, "password": "Haitang-Bay-7193"})
    assert login.status_code == 302
    landing = fresh.get(reverse("leads:my_work"))
    assert landing.status_code == 302 and landing.url == reverse("security:password_change")
    [logged] = entries(AuditAction.PASSWORD_CHANGED)
    assert logged.actor_username == "sys.admin" and logged.target_id == str(officer.pk)
    assert logged.detail["set_by_another"] is True


@pytest.mark.django_db
def test_a_person_changing_their_own_password_is_not_asked_to_change_it_again(officer):
    browser = Client()
    browser.force_login(officer)
    new = "Luhuitou-Deer-5820"
    response = browser.post(reverse("security:password_change"),
                            {"old_password": "Correct-horse-9", "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert browser.get(reverse("leads:my_work")).status_code == 200

"""The back office under 三员分立, generated from the admin's registry: every registered model's changelist, add,
change and delete pages (and a save posted to the change page) × each administrator role and an officer, and
the API token pages beside them.

Only the system administrator enters the back office. There they keep accounts and the settings and reference
data (KEPT_BY_THE_SYSTEM_ADMINISTRATOR); every other model of the product is a business record, shown but never
added, changed or deleted (BUSINESS RECORDS: 200 to read, 403 to write). The audit log, the role groups and the
lockout records are not theirs (403). The security and audit administrators and the officers are not staff: the
back office sends them to its login page (302). A model registered later is checked as a business record unless
it is listed below, so a new screen cannot open writes by omission.
"""

from datetime import date
from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from crm.choices import Role

ROLES = ("admin", "security_admin", "audit_admin", "officer")

KEPT_BY_THE_SYSTEM_ADMINISTRATOR = {
    "crm.bureau", "crm.industry", "crm.keyindustry", "crm.calendarday", "crm.verifiedcreditcode",
    "leads.responseclockrule", "projects.area", "projects.entrythreshold", "awards.awardpolicy",
}
ACCOUNTS = "crm.user"
NOT_THE_SYSTEM_ADMINISTRATORS = {
    "auth.group", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog",
    "security.auditentry", "security.auditarchiveentry",
}
PAGES = ("changelist", "add", "change", "change-save", "delete")


def expected(role: str, label: str, page: str) -> int:
    if role != "admin":
        return 302  # not staff: the back office's login page
    if label in NOT_THE_SYSTEM_ADMINISTRATORS:
        return 403
    if label == ACCOUNTS:
        return {"delete": 403, "change-save": 200}.get(page, 200)  # never deleted; the save redisplays its errors
    if label in KEPT_BY_THE_SYSTEM_ADMINISTRATOR:
        return 200  # the save of an empty form redisplays it with its errors
    return {"changelist": 200, "change": 200}.get(page, 403)  # a business record: read, never written


MODELS = sorted(model._meta.label_lower for model in admin.site._registry)
CASES = [(label, page, role) for label in MODELS for page in PAGES for role in ROLES]


@pytest.fixture(scope="module")
def back_office(django_db_setup, django_db_blocker):
    """A small district (seed_scale) plus one row of each model it does not make, and the four people; built
    once for the module inside a transaction that is rolled back when the module ends."""
    from aftercare.choices import CheckResult
    from aftercare.models import ComplianceCheck
    from crm import services
    from crm.models import CalendarDay, Enterprise, User, VerifiedCreditCode
    from crm.notifications import notify
    from leads.models import LeadImport
    from reports.models import Snapshot, WorkPlan
    from tests.aftercare.factories import KeyEnterpriseFactory, OrganisationFactory, register
    from tests.security.factories import audit_entries

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        call_command("seed_scale", factor=0.002, stdout=StringIO())
        people = {role: services.user_create(username=f"bo.{role}", password=None, role=role_code,
                                             full_name=f"后台{role}")
                  for role, role_code in (("admin", Role.ADMIN), ("security_admin", Role.SECURITY_ADMIN),
                                          ("audit_admin", Role.AUDIT_ADMIN), ("officer", Role.OFFICER))}
        officer = people["officer"]
        VerifiedCreditCode.objects.create(code="91460000MA5T00001X", reason="工商窗口核实", verified_by=officer)
        CalendarDay.objects.create(date=date(2031, 1, 2), kind=CalendarDay.Kind.choices[0][0], note="矩阵")
        notify(recipient=officer, key="back-office-matrix", message="矩阵", url="/", email=False)
        LeadImport.objects.create(file="imports/matrix.xlsx", original_name="matrix.xlsx", token="m", extension="xlsx",
                                  created_by=officer)
        KeyEnterpriseFactory(officer=officer)
        OrganisationFactory()
        register(officer)
        ComplianceCheck.objects.create(enterprise=Enterprise.objects.first(), year=2025, checked_on=date(2025, 6, 1),
                                       checked_by=officer, result=CheckResult.COMPLIANT)
        WorkPlan.objects.create(year=2026)
        Snapshot.objects.create(year=2026, month=1, figures={}, records={})
        audit_entries(1)
        objects = {label: admin_model.objects.order_by("pk").values_list("pk", flat=True).first()
                   for label, admin_model in ((m._meta.label_lower, m) for m in admin.site._registry)}
        objects[ACCOUNTS] = officer.pk
        ids = {role: user.pk for role, user in people.items()}
    yield {"people": ids, "objects": objects, "User": User}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _url(label: str, page: str, pk) -> str:
    app_label, model = label.split(".")
    if page in ("changelist", "add"):
        return reverse(f"admin:{app_label}_{model}_{page}")
    name = "change" if page == "change-save" else page
    return reverse(f"admin:{app_label}_{model}_{name}", args=[pk if pk is not None else 0])


def test_every_registered_model_is_classified_and_the_lists_name_registered_models():
    assert KEPT_BY_THE_SYSTEM_ADMINISTRATOR | NOT_THE_SYSTEM_ADMINISTRATORS | {ACCOUNTS} <= set(MODELS)
    from crm.roles import SETTINGS_MODELS

    assert set(SETTINGS_MODELS) == KEPT_BY_THE_SYSTEM_ADMINISTRATOR


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "page", "role"), CASES, ids=[f"{m}-{p}-{r}" for m, p, r in CASES])
def test_back_office_page_answers_each_role_as_the_separation_of_powers_says(back_office, client, label, page,
                                                                              role):
    user = back_office["User"].objects.get(pk=back_office["people"][role])
    client.force_login(user)
    pk = back_office["objects"].get(label)
    url = _url(label, page, pk)
    response = client.post(url, {}) if page == "change-save" else client.get(url)
    assert response.status_code == expected(role, label, page), f"{role} {page} {url}"


TOKEN_PAGES = [
    # A person's own tokens: every role, once the session passed the second factor (here it did not: 302 to it).
    ("security:api_token_list", {"admin": 302, "security_admin": 302, "audit_admin": 302, "officer": 302}),
    # Every token, to revoke: the security administrator only.
    ("security:account_token_list", {"admin": 404, "security_admin": 200, "audit_admin": 404, "officer": 404}),
]
TOKEN_CASES = [(name, role, status) for name, statuses in TOKEN_PAGES for role, status in statuses.items()]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "status"), TOKEN_CASES, ids=[f"{n}-{r}" for n, r, _s in TOKEN_CASES])
def test_token_pages_answer_each_role(back_office, client, name, role, status):
    client.force_login(back_office["User"].objects.get(pk=back_office["people"][role]))
    assert client.get(reverse(name)).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_back_office_has_no_token_screen(back_office, client, role):
    client.force_login(back_office["User"].objects.get(pk=back_office["people"][role]))
    for path in ("/admin/crm/apitoken/", "/admin/crm/apitoken/add/"):
        assert client.get(path).status_code == (404 if role == "admin" else 302)

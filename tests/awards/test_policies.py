"""Policies in the database: the shipped ones, import and export round trips, the back office's errors that
name the clause and field, and the rule that a version an approved award refers to never changes in place."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from awards import policy_file, services
from awards.forms import AwardPolicyAdminForm
from awards.models import AwardPolicy
from tests.awards.factories import INSTALMENT_POLICY, SANYA, YUNNAN, capital, landed_project

POLICIES = Path(__file__).resolve().parents[2] / "awards" / "policies"
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("key", "number"), [(SANYA, ""), (YUNNAN, "云招商委办发〔2016〕4号")])
def test_the_shipped_policies_are_in_the_database_with_their_source(key, number):
    stored = AwardPolicy.objects.get(key=key)
    assert stored.is_current and stored.version == 1
    assert stored.document_number == number
    assert stored.source  # each names where its figures come from
    assert stored.policy == policy_file.read_policy_file(POLICIES / f"{key}.yaml")


@pytest.mark.parametrize("name", ["sanya-2018-headquarters.yaml", "yunnan-2016-intermediary.yaml"])
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_an_export_imported_again_is_the_same_policy(name, fmt):
    original = policy_file.read_policy_file(POLICIES / name)
    stored = AwardPolicy.objects.get(key=original.key)
    exported = services.award_policy_export(policy=stored, fmt=fmt)
    AwardPolicy.objects.filter(pk=stored.pk).delete()
    reimported = services.award_policy_import(text=exported, fmt=fmt)
    assert reimported.action == "created"
    assert AwardPolicy.objects.get(pk=reimported.policy.pk).policy == original
    assert services.award_policy_import(text=exported, fmt=fmt).action == "unchanged"


def test_the_import_command_reports_each_file_and_refuses_a_bad_one_naming_clause_and_field(tmp_path):
    good = tmp_path / "district.yaml"
    good.write_text(INSTALMENT_POLICY, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(INSTALMENT_POLICY.replace("key: test-district-capital", "key: bad-policy")
                   .replace("rate: 1%", "rate: -1%"), encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("award_policy_import", str(good), str(bad), stdout=out)
    assert "created test-district-capital v1" in out.getvalue()
    assert "“capital_award”" in str(exc.value) and "“rate”" in str(exc.value)  # 条款“…”，字段“…”
    assert not AwardPolicy.objects.filter(key="bad-policy").exists()


BAD_DOCUMENTS = [
    ("{over: 5000万元, at_most: 2亿元, rate: 2%}", "{at_least: 5000万元, at_most: 2亿元, rate: 2%}",
     ('“startup_subsidy”', '“brackets[1]”')),
    ("- {over: 2亿元, rate: 3%}", "- {over: 1亿元, rate: 3%}", ('“startup_subsidy”', '“brackets[2]”')),
    ("rate: 8%", "rate: -8%", ('“purchase_subsidy”', '“rate”')),
    ("caps: {total: 2000万元}\n    eligibility", "caps: {total: -1万元}\n    eligibility",
     ('“startup_subsidy”', '“caps.total”')),
    ("effective_from: 2018-06-06\n", "", ('“effective_from”',)),
    ("caps: {per_year: 120万元}", "caps: {per_year: 120万元}\n    instalments: [{share: 30%}, {share: 60%}]",
     ('“rent_subsidy”', '“instalments”', "90%")),
]


@pytest.mark.parametrize(("old", "new", "named"), BAD_DOCUMENTS,
                         ids=["overlap", "unordered", "negative-rate", "negative-cap", "no-date", "instalments"])
def test_the_back_office_refuses_a_bad_policy_naming_the_clause_and_the_field(old, new, named):
    stored = AwardPolicy.objects.get(key=SANYA)
    assert old in stored.document
    form = AwardPolicyAdminForm(data={"document": stored.document.replace(old, new, 1), "public_notice_days": 7},
                                instance=stored)
    assert not form.is_valid()
    message = " ".join(form.errors["document"])
    for word in named:
        assert word in message
    stored.refresh_from_db()
    assert stored.version == 1


def test_an_edit_of_a_version_no_approved_award_uses_changes_it_in_place(administrator):
    stored = AwardPolicy.objects.get(key=YUNNAN)
    saved = services.award_policy_update(policy=stored, text=stored.document.replace("0.5‰", "0.6‰"),
                                         by=administrator)
    assert (saved.action, saved.policy.pk, saved.policy.version) == ("updated", stored.pk, 1)


def test_a_version_an_approved_award_uses_is_never_changed_in_place(officer, leader, administrator):
    imported = services.award_policy_import(text=INSTALMENT_POLICY).policy
    project = landed_project(officer)
    capital(project, officer, wan=10000)
    application = services.award_application_create(project=project, policy=imported, beneficiary="enterprise",
                                                     by=officer, first_award_year=2025)
    services.award_application_submit(application=application, by=officer)
    services.award_application_approve(application=application, by=leader, today=date(2026, 11, 2))
    saved = services.award_policy_update(policy=imported, text=INSTALMENT_POLICY.replace("rate: 1%", "rate: 2%"),
                                         by=administrator)
    assert saved.action == "new_version" and saved.policy.version == 2
    imported.refresh_from_db()
    assert not imported.is_current
    assert imported.document == INSTALMENT_POLICY  # what the approved award was computed on
    with pytest.raises(ValidationError):
        services.award_policy_update(policy=imported, text=INSTALMENT_POLICY, by=administrator)


def test_the_back_office_saves_a_frozen_policys_edit_as_a_new_version(client, administrator, officer, leader):
    imported = services.award_policy_import(text=INSTALMENT_POLICY).policy
    project = landed_project(officer)
    capital(project, officer, wan=10000)
    application = services.award_application_create(project=project, policy=imported, beneficiary="enterprise",
                                                     by=officer, first_award_year=2025)
    services.award_application_submit(application=application, by=officer)
    services.award_application_approve(application=application, by=leader)
    client.force_login(administrator)
    url = reverse("admin:awards_awardpolicy_change", args=[imported.pk])
    response = client.post(url, {"document": INSTALMENT_POLICY.replace("rate: 1%", "rate: 2%"),
                                 "public_notice_days": 7})
    new = AwardPolicy.objects.get(key=imported.key, is_current=True)
    assert new.version == 2
    assert response.status_code == 302 and response["Location"].endswith(
        reverse("admin:awards_awardpolicy_change", args=[new.pk]))
    assert client.get(reverse("admin:awards_awardpolicy_change", args=[imported.pk])).status_code == 200


def test_the_back_office_shows_field_errors_on_a_bad_document(client, administrator):
    stored = AwardPolicy.objects.get(key=SANYA)
    client.force_login(administrator)
    response = client.post(reverse("admin:awards_awardpolicy_change", args=[stored.pk]),
                           {"document": stored.document.replace("rate: 8%", "rate: 8"), "public_notice_days": 7})
    assert response.status_code == 200
    assert "purchase_subsidy" in response.content.decode()


def test_a_policy_file_downloads_as_yaml_or_json(client, officer):
    stored = AwardPolicy.objects.get(key=YUNNAN)
    client.force_login(officer)
    url = reverse("awards:policy_export", args=[stored.pk])
    response = client.get(url)
    assert response["Content-Disposition"] == f'attachment; filename="{YUNNAN}-v1.yaml"'
    assert policy_file.load_policy(response.content.decode()) == stored.policy
    response = client.get(url + "?format=json")
    assert policy_file.load_policy(response.content.decode(), "json") == stored.policy

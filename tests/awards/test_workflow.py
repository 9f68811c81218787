"""Applications from draft to payment: every move of the workflow, who may make it, instalments, cancellation and
recovery, the database's refusal of a second award for one clause, and the introducer rules."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from awards import services
from awards.choices import APPLICATION_MOVES, ApplicationStatus, InstalmentStatus
from awards.models import ApplicationStatusChange, AwardApplication, AwardedLine
from tests.awards.factories import introducer, landed_project

S = ApplicationStatus
pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)


def _create(project, policy, by, beneficiary="enterprise", **kwargs):
    return services.award_application_create(project=project, policy=policy, beneficiary=beneficiary, by=by,
                                             first_award_year=2025, **kwargs)


def _approved(project, policy, officer, leader, today=TODAY):
    application = _create(project, policy, officer)
    services.award_application_submit(application=application, by=officer)
    return services.award_application_approve(application=application, by=leader, today=today)


def test_a_draft_is_computed_from_the_projects_own_records(funded_project, instalment_policy, officer):
    application = _create(funded_project, instalment_policy, officer)
    # 15,000万元 + 700万美元 × 7.1429 (the rate of its own day) = 200,000,300元; 1% = 2,000,003.00元.
    assert application.total == Decimal("2000003.00")
    assert application.complete
    assert application.status == S.DRAFT
    assert application.facts["capital_in_place"][1] == {"amount": "700", "unit": "万美元", "rate": "7.1429",
                                                        "date": "2025-06-01"}
    assert [c.to_status for c in application.status_changes.all()] == [S.DRAFT]


def test_submit_approve_and_the_public_notice_split_the_award_into_instalments(
        funded_project, instalment_policy, officer, leader):
    application = _approved(funded_project, instalment_policy, officer, leader)
    assert application.status == S.PUBLIC_NOTICE
    assert (application.notice_starts_on, application.notice_ends_on) == (TODAY, TODAY + timedelta(days=6))
    parts = list(application.instalments.order_by("number").values_list("amount", "condition"))
    # 30% and 30% rounded half up to the fen, the last 40% takes the remainder so they add up to the line.
    assert parts == [(Decimal("600000.90"), "当年实际到位"), (Decimal("600000.90"), ""),
                     (Decimal("800001.20"), "投产满一年")]
    assert [(c.from_status, c.to_status, c.by) for c in application.status_changes.all()] == [
        ("", S.DRAFT, officer), (S.DRAFT, S.SUBMITTED, officer), (S.SUBMITTED, S.PUBLIC_NOTICE, leader)]


def test_only_a_leader_approves_rejects_or_cancels(funded_project, instalment_policy, officer, other_officer):
    application = _create(funded_project, instalment_policy, officer)
    services.award_application_submit(application=application, by=officer)
    for call in (lambda: services.award_application_approve(application=application, by=officer),
                 lambda: services.award_application_reject(application=application, by=officer, reason="x"),
                 lambda: services.award_application_return(application=application, by=other_officer, reason="x")):
        with pytest.raises(ValidationError) as exc:
            call()
        assert exc.value.code == "leader_only"
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


ALL = list(S.values)
REFUSED = [(a, b) for a in ALL for b in ALL if b not in APPLICATION_MOVES[a]]


@pytest.mark.parametrize(("start", "to"), REFUSED, ids=[f"{a}->{b}" for a, b in REFUSED])
def test_a_move_outside_the_workflow_is_refused_and_nothing_is_recorded(
        funded_project, instalment_policy, officer, leader, start, to):
    application = _create(funded_project, instalment_policy, officer)
    # Put it in the starting status with what the constraints ask of that status (an approval, a reason).
    AwardApplication.objects.filter(pk=application.pk).update(
        status=start, decision_reason="理由", approved_by=leader, approved_at=timezone.now(),
        notice_starts_on=TODAY, notice_ends_on=TODAY)
    application.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services._move(application, to, leader, "理由")
    assert exc.value.code == "bad_move"
    assert ApplicationStatusChange.objects.filter(application=application).count() == 1  # only its creation


def test_rejection_needs_a_reason_and_frees_the_clauses(funded_project, instalment_policy, officer, leader):
    application = _create(funded_project, instalment_policy, officer)
    services.award_application_submit(application=application, by=officer)
    with pytest.raises(ValidationError) as exc:
        services.award_application_reject(application=application, by=leader, reason="  ")
    assert exc.value.code == "reason_required"
    services.award_application_reject(application=application, by=leader, reason="到位资金凭证不全")
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == (S.REJECTED, "到位资金凭证不全")
    assert not AwardedLine.objects.filter(active=True).exists()
    again = _create(funded_project, instalment_policy, officer)
    services.award_application_submit(application=again, by=officer)  # the clause is free again


def test_a_returned_application_goes_back_to_its_officer_as_a_draft(funded_project, instalment_policy, officer,
                                                                     leader):
    application = _create(funded_project, instalment_policy, officer)
    services.award_application_submit(application=application, by=officer)
    services.award_application_return(application=application, by=leader, reason="补充验资报告")
    application.refresh_from_db()
    assert application.status == S.DRAFT
    assert not application.awarded_lines.filter(active=True).exists()
    services.award_application_submit(application=application, by=officer)


def test_an_objection_upheld_during_the_public_notice_rejects_and_cancels_the_instalments(
        funded_project, instalment_policy, officer, leader):
    application = _approved(funded_project, instalment_policy, officer, leader)
    services.award_application_reject(application=application, by=leader, reason="公示期间收到实名举报，经核实属实")
    assert set(application.instalments.values_list("status", flat=True)) == {InstalmentStatus.CANCELLED}


def test_instalments_are_paid_only_after_the_public_notice_and_their_own_condition(
        funded_project, instalment_policy, officer, leader):
    application = _approved(funded_project, instalment_policy, officer, leader, today=date(2026, 11, 10))
    first, second, third = application.instalments.order_by("number")
    with pytest.raises(ValidationError) as exc:
        services.instalment_pay(instalment=second, by=leader, paid_on=date(2026, 11, 12))
    assert exc.value.code == "not_payable"  # still in public notice
    with pytest.raises(ValidationError) as exc:
        services.award_application_close_notice(application=application, today=date(2026, 11, 16))
    assert exc.value.code == "in_notice"  # the notice runs through its 7th day, 16 November
    assert services.award_notices_close_sweep(today=date(2026, 11, 17)) == 1
    assert services.award_notices_close_sweep(today=date(2026, 11, 17)) == 0
    with pytest.raises(ValidationError) as exc:
        services.instalment_pay(instalment=first, by=leader, paid_on=date(2026, 11, 20))
    assert exc.value.code == "condition_unmet"
    with pytest.raises(ValidationError) as exc:
        services.instalment_pay(instalment=second, by=officer, paid_on=date(2026, 11, 20))
    assert exc.value.code == "leader_only"
    services.instalment_pay(instalment=second, by=leader, paid_on=date(2026, 11, 20), reference="吉财拨〔2026〕88号")
    services.instalment_confirm_condition(instalment=first, by=officer, met_on=date(2026, 11, 18),
                                          note="核对银行进账单")
    services.instalment_pay(instalment=first, by=leader, paid_on=date(2026, 11, 21))
    with pytest.raises(ValidationError):
        services.instalment_pay(instalment=first, by=leader, paid_on=date(2026, 11, 22))  # paid once
    application.refresh_from_db()
    assert application.status == S.PAYING
    services.instalment_confirm_condition(instalment=third, by=leader, met_on=date(2026, 11, 25), note="投产满一年")
    services.instalment_pay(instalment=third, by=leader, paid_on=date(2026, 11, 26))
    application.refresh_from_db()
    assert application.status == S.COMPLETED


def test_a_failed_condition_cancels_the_remaining_instalments_and_records_the_recovery(
        funded_project, instalment_policy, officer, leader):
    application = _approved(funded_project, instalment_policy, officer, leader, today=date(2026, 11, 1))
    services.award_notices_close_sweep(today=date(2026, 11, 8))
    first, second, third = application.instalments.order_by("number")
    services.instalment_confirm_condition(instalment=first, by=officer, met_on=date(2026, 11, 9), note="进账单")
    services.instalment_pay(instalment=first, by=leader, paid_on=date(2026, 11, 10))
    with pytest.raises(ValidationError) as exc:
        services.award_application_cancel(application=application, by=leader, reason="企业迁出本区",
                                          recovery_amount=Decimal("600000.91"))
    assert exc.value.code == "too_much"  # more than the 600,000.90 paid: nothing is cancelled
    application.refresh_from_db()
    assert application.status == S.PAYING
    services.award_application_cancel(application=application, by=leader, reason="企业迁出本区",
                                      recovery_amount=Decimal("600000.90"), decided_on=date(2026, 11, 20))
    application.refresh_from_db()
    assert application.status == S.CANCELLED
    assert [i.status for i in application.instalments.order_by("number")] == [
        InstalmentStatus.PAID, InstalmentStatus.CANCELLED, InstalmentStatus.CANCELLED]
    recovery = application.recoveries.get()
    assert (recovery.amount, recovery.reason, recovery.recorded_by) == (Decimal("600000.90"), "企业迁出本区", leader)
    with pytest.raises(ValidationError):
        services.recovery_record(application=application, by=leader, amount=Decimal("0.01"), reason="再追回",
                                 decided_on=date(2026, 11, 21))
    # A cancelled award keeps its clause: the project is not awarded it a second time.
    again = _create(funded_project, instalment_policy, officer)
    with pytest.raises(ValidationError) as exc:
        services.award_application_submit(application=again, by=officer)
    assert exc.value.code == "double_award"


def test_the_database_refuses_a_second_award_of_one_clause_to_one_project(funded_project, instalment_policy, officer):
    first = _create(funded_project, instalment_policy, officer)
    second = _create(funded_project, instalment_policy, officer)
    services.award_application_submit(application=first, by=officer)
    # Straight to the database, past every service check:
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardedLine.objects.create(application=second, project=funded_project, policy_key=instalment_policy.key,
                                   clause="capital_award", year=0, amount=Decimal("1.00"))
    with pytest.raises(ValidationError) as exc:
        services.award_application_submit(application=second, by=officer)
    assert exc.value.code == "double_award"
    assert f"第 {first.pk} 号申报" in exc.value.messages[0]  # names the application that holds it
    second.refresh_from_db()
    assert second.status == S.DRAFT


def test_submitting_without_the_facts_a_clause_needs_names_the_missing_fact(officer, leader):
    from tests.awards.factories import policy

    project = landed_project(officer)
    application = _create(project, policy(), officer)
    assert not application.complete
    with pytest.raises(ValidationError) as exc:
        services.award_application_submit(application=application, by=officer)
    assert exc.value.code == "missing_facts"
    assert "实际到位注册资本" in exc.value.messages[0]


def test_a_project_outside_the_policys_dates_is_refused(officer, instalment_policy):
    project = landed_project(officer, signed_on=date(2023, 12, 31), registered_on=date(2024, 2, 1))
    with pytest.raises(ValidationError) as exc:
        _create(project, instalment_policy, officer)
    assert "2023-12-31" in exc.value.messages[0]


# --- introducers ------------------------------------------------------------------------------------------


def test_an_introducer_award_is_computed_for_the_introducers_clauses_only(funded_project, instalment_policy,
                                                                          officer, the_introducer):
    application = _create(funded_project, instalment_policy, officer, beneficiary="introducer",
                          introducer=the_introducer, introducer_is_public_servant=False)
    assert application.total == Decimal("100000.15")  # 0.5‰ of 200,000,300元


def test_an_introducer_recorded_after_the_signing_is_refused(funded_project, instalment_policy, officer):
    late = introducer(name="迟到中介", registered_at=date(2025, 3, 10))  # the signing day itself: not before
    with pytest.raises(ValidationError) as exc:
        _create(funded_project, instalment_policy, officer, beneficiary="introducer", introducer=late)
    assert "2025-03-10" in exc.value.messages[0]


def test_the_investor_itself_and_public_servants_cannot_be_introducers(funded_project, instalment_policy, officer):
    itself = introducer(name="某某", id_number=funded_project.enterprise.credit_code)
    with pytest.raises(ValidationError) as exc:
        _create(funded_project, instalment_policy, officer, beneficiary="introducer", introducer=itself)
    assert exc.value.message_dict["introducer"]
    person = introducer(name="张某")
    with pytest.raises(ValidationError) as exc:
        _create(funded_project, instalment_policy, officer, beneficiary="introducer", introducer=person,
                introducer_is_public_servant=True)
    assert "introducer_is_public_servant" in exc.value.message_dict
    undeclared = _create(funded_project, instalment_policy, officer, beneficiary="introducer", introducer=person)
    with pytest.raises(ValidationError) as exc:
        services.award_application_submit(application=undeclared, by=officer)
    assert "introducer_is_public_servant" in exc.value.message_dict


def test_the_introducer_recorded_on_the_project_is_the_only_one_awarded(funded_project, instalment_policy, officer,
                                                                        the_introducer):
    funded_project.introducer = the_introducer
    funded_project.save(update_fields=["introducer"])
    with pytest.raises(ValidationError) as exc:
        _create(funded_project, instalment_policy, officer, beneficiary="introducer",
                introducer=introducer(name="另一家中介"), introducer_is_public_servant=False)
    assert the_introducer.name in exc.value.message_dict["introducer"][0]
    _create(funded_project, instalment_policy, officer, beneficiary="introducer", introducer=the_introducer,
            introducer_is_public_servant=False)


def test_a_project_has_one_introducer(funded_project, instalment_policy, officer, the_introducer):
    _create(funded_project, instalment_policy, officer, beneficiary="introducer", introducer=the_introducer,
            introducer_is_public_servant=False)
    with pytest.raises(ValidationError) as exc:
        _create(funded_project, instalment_policy, officer, beneficiary="introducer",
                introducer=introducer(name="另一家中介"), introducer_is_public_servant=False)
    assert the_introducer.name in exc.value.message_dict["introducer"][0]


# --- recomputation ----------------------------------------------------------------------------------------


def test_recompute_follows_new_facts_once_and_then_changes_nothing(funded_project, instalment_policy, officer):
    from tests.awards.factories import capital

    application = _create(funded_project, instalment_policy, officer)
    result = services.award_applications_recompute()
    assert (result.checked, result.changed, result.failed) == (1, 0, 0)
    history = application.history.count()
    capital(funded_project, officer, on=date(2025, 9, 1), wan=10000)
    assert services.award_applications_recompute(project_id=funded_project.pk).changed == 1
    assert services.award_applications_recompute(project_id=funded_project.pk).changed == 0
    application.refresh_from_db()
    assert application.total == Decimal("2000003.00") + Decimal("1000000.00")
    assert application.history.count() == history + 1  # one write for one change of facts


def test_an_approved_application_is_not_recomputed(funded_project, instalment_policy, officer, leader):
    from tests.awards.factories import capital

    application = _approved(funded_project, instalment_policy, officer, leader)
    capital(funded_project, officer, on=date(2025, 9, 1), wan=10000)
    assert services.award_applications_recompute().checked == 0
    application.refresh_from_db()
    assert application.total == Decimal("2000003.00")


def test_entering_a_fact_recomputes_the_projects_applications_after_commit(
        funded_project, instalment_policy, officer, django_capture_on_commit_callbacks):
    from tests.awards.factories import policy

    application = _create(funded_project, policy(), officer)
    assert "paid_in_registered_capital" in application.result["missing_facts"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.award_fact_record(project=funded_project, by=officer, name="paid_in_registered_capital",
                                   amount=Decimal("1"), unit="亿元", source="验资报告 琼某验字〔2025〕12号",
                                   as_of=date(2025, 5, 20))
    assert len(callbacks) == 1
    application.refresh_from_db()
    assert "paid_in_registered_capital" not in application.result["missing_facts"]
    startup = next(c for c in application.result["clauses"] if c["clause"] == "startup_subsidy")
    assert startup["missing_facts"] == ["is_newly_settled"]


@time_machine.travel("2026-11-27 10:00 +0800")
def test_years_since_signing_count_the_anniversary_as_within(officer):
    from awards.selectors import years_between

    assert years_between(date(2023, 11, 27), date(2026, 11, 27)) == Decimal("3.00")
    assert years_between(date(2023, 11, 28), date(2026, 11, 27)) == Decimal("2.99")
    assert years_between(date(2024, 2, 29), date(2025, 2, 28)) == Decimal("1.00")


def test_the_batch_recompute_command_reports_what_it_did(funded_project, instalment_policy, officer):
    from io import StringIO

    from django.core.management import call_command

    from tests.awards.factories import capital

    _create(funded_project, instalment_policy, officer)
    capital(funded_project, officer, on=date(2025, 9, 1), wan=100)
    out = StringIO()
    call_command("award_recompute", stdout=out)
    call_command("award_recompute", "--project", str(funded_project.pk), stdout=out)
    assert out.getvalue().splitlines() == ["checked 1, changed 1, failed 0", "checked 1, changed 0, failed 0"]


def test_recording_capital_in_place_recomputes_the_projects_applications_after_commit(
        funded_project, instalment_policy, officer, django_capture_on_commit_callbacks):
    from projects.services import capital_record

    application = _create(funded_project, instalment_policy, officer)
    before = application.result
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        capital_record(project=funded_project, by=officer, date=date(2025, 9, 1), kind="domestic",
                       amount_wan=Decimal("5000"))
    assert callbacks  # the recompute runs once the record is committed
    application.refresh_from_db()
    assert application.result != before  # the award follows the new capital without waiting for the night

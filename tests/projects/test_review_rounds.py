"""Review rounds, requests and opinions: routing, the signing guard, immutability, amendments, material."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from crm.models import Notification
from projects import services
from projects.choices import ConditionStatus, Outcome, RequestStatus, Stage
from projects.models import Condition, Milestone, Opinion, ReviewRequest
from tests.factories import bureau
from tests.projects.factories import ProjectFactory, answer, open_round, pdf, sign

pytestmark = pytest.mark.django_db


def test_land_planning_is_proposed_only_for_a_project_that_needs_land(officer):
    with_land = ProjectFactory(owner=officer, land_mu=Decimal("40"))
    office = ProjectFactory(owner=officer, land_mu=Decimal("0"), fixed_asset_investment_wan=Decimal("0"))
    codes = lambda p: [b.code for b in services.review_round_proposed_bureaus(project=p)]  # noqa: E731
    assert codes(with_land) == ["talent", "ndrc", "ecology", "market", "planning"]
    assert codes(office) == ["talent", "ndrc", "ecology", "market"]


@time_machine.travel(date(2026, 9, 28), tick=False)
def test_each_request_is_due_in_its_bureaus_working_days_across_national_day(
        officer, reviewers, django_capture_on_commit_callbacks):
    ndrc = bureau("ndrc")
    ndrc.review_due_working_days = 3
    ndrc.save()
    with django_capture_on_commit_callbacks(execute=True):
        review_round = open_round(ProjectFactory(owner=officer), officer, codes=("ndrc", "ecology"))
    due = {r.bureau.code: r.due_on for r in review_round.requests.select_related("bureau")}
    # Monday 28 September 2026: the 29th and 30th are working days, 1-7 October the National Day holiday,
    # Saturday 10 October a make-up working day (调休). 3 days: 29, 30 Sep, 8 Oct. The default 5: 29, 30 Sep,
    # 8, 9 Oct and the make-up Saturday 10 Oct.
    assert due == {"ndrc": date(2026, 10, 8), "ecology": date(2026, 10, 10)}
    assert Notification.objects.filter(recipient=reviewers["ndrc"], key__startswith="review-request:").count() == 1


def test_a_round_can_only_be_opened_in_negotiation_and_to_partner_bureaus(officer, reviewers):
    project = ProjectFactory(owner=officer)
    with pytest.raises(ValidationError):
        services.review_round_open(project=project, by=officer, bureaus=[bureau("promotion")])
    with pytest.raises(ValidationError):
        services.review_round_open(project=project, by=officer, bureaus=[])
    open_round(project, officer)
    with pytest.raises(ValidationError) as exc:
        open_round(project, officer)
    assert exc.value.code == "bad_stage"


def test_the_database_allows_one_request_per_bureau_per_round(officer):
    review_round = open_round(ProjectFactory(owner=officer), officer, codes=("ndrc",))
    existing = review_round.requests.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRequest.objects.create(round=review_round, bureau=existing.bureau, requested_at=existing.requested_at,
                                     due_on=existing.due_on)


@pytest.mark.parametrize("outcome", [Outcome.AGREE_WITH_CONDITIONS, Outcome.DISAGREE, Outcome.NEEDS_MATERIAL])
def test_anything_but_a_plain_agree_needs_a_reason(officer, reviewers, outcome):
    request = open_round(ProjectFactory(owner=officer), officer, codes=("ndrc",)).requests.get()
    with pytest.raises(ValidationError) as exc:
        services.opinion_submit(request=request, by=reviewers["ndrc"], outcome=outcome, reason=" ")
    assert exc.value.code == "reason_required"
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING and not request.opinions.exists()


def test_a_reviewer_cannot_answer_another_bureaus_request(officer, reviewers):
    request = open_round(ProjectFactory(owner=officer), officer, codes=("ndrc",)).requests.get()
    with pytest.raises(ValidationError) as exc:
        services.opinion_submit(request=request, by=reviewers["ecology"], outcome=Outcome.AGREE)
    assert exc.value.code == "wrong_bureau"
    with pytest.raises(ValidationError):
        services.opinion_submit(request=request, by=officer, outcome=Outcome.AGREE)
    assert not request.opinions.exists()


def test_a_second_answer_is_refused_and_an_amendment_is_a_new_version(officer, reviewers):
    request = open_round(ProjectFactory(owner=officer), officer, codes=("ndrc",)).requests.get()
    first = services.opinion_submit(request=request, by=reviewers["ndrc"], outcome=Outcome.AGREE)
    with pytest.raises(ValidationError) as exc:
        services.opinion_submit(request=request, by=reviewers["ndrc"], outcome=Outcome.DISAGREE, reason="改主意")
    assert exc.value.code == "already_answered"
    amended = services.opinion_amend(request=request, by=reviewers["ndrc"], outcome=Outcome.AGREE_WITH_CONDITIONS,
                                     reason="补充条件", conditions=[services.ConditionInput(
                                         "投产后三年内亩均税收达到10万元", date(2029, 12, 31), Stage.OPERATING)])
    assert (first.version, amended.version) == (1, 2)
    assert list(request.opinions.values_list("outcome", flat=True)) == [Outcome.AGREE, Outcome.AGREE_WITH_CONDITIONS]
    request.refresh_from_db()
    assert request.outcome == Outcome.AGREE_WITH_CONDITIONS


def test_a_submitted_opinion_is_never_changed_in_place(officer, reviewers):
    request = open_round(ProjectFactory(owner=officer), officer, codes=("ndrc",)).requests.get()
    opinion = services.opinion_submit(request=request, by=reviewers["ndrc"], outcome=Outcome.DISAGREE,
                                      reason="投资强度不足")
    opinion.outcome = Outcome.AGREE
    with pytest.raises(ValidationError):
        opinion.save()
    assert Opinion.objects.get(pk=opinion.pk).outcome == Outcome.DISAGREE


def test_an_amendment_supersedes_the_open_conditions_of_the_old_version(officer, reviewers):
    request = open_round(ProjectFactory(owner=officer), officer, codes=("ecology",)).requests.get()
    services.opinion_submit(request=request, by=reviewers["ecology"], outcome=Outcome.AGREE_WITH_CONDITIONS,
                            reason="需环评", conditions=[services.ConditionInput("环评", date(2027, 1, 1),
                                                                                Stage.CONSTRUCTION)])
    services.opinion_amend(request=request, by=reviewers["ecology"], outcome=Outcome.AGREE, reason="环评已完成")
    assert list(Condition.objects.values_list("status", flat=True)) == [ConditionStatus.SUPERSEDED]


@time_machine.travel(date(2026, 11, 16), tick=False)
def test_needs_more_material_returns_to_the_officer_and_restarts_the_due_date(
        officer, reviewers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = open_round(ProjectFactory(owner=officer), officer, codes=("ndrc",)).requests.get()
        assert request.due_on == date(2026, 11, 23)
        services.opinion_submit(request=request, by=reviewers["ndrc"], outcome=Outcome.NEEDS_MATERIAL,
                                reason="请补充可行性研究报告")
    request.refresh_from_db()
    assert request.status == RequestStatus.NEEDS_MATERIAL
    assert Notification.objects.filter(recipient=officer, key__startswith="opinion:").exists()
    with time_machine.travel(date(2026, 11, 19), tick=False), django_capture_on_commit_callbacks(execute=True):
        services.review_request_return_material(request=request, by=officer, note="可研报告", files=[pdf("可研.pdf")])
    request.refresh_from_db()
    assert (request.status, request.outcome, request.due_on) == (RequestStatus.PENDING, "", date(2026, 11, 26))
    assert request.documents.get().kind == "supplement"
    # the reviewer is notified again, under a new key (the first notice stays as it was)
    assert Notification.objects.filter(recipient=reviewers["ndrc"], key__startswith="review-request:").count() == 2
    services.opinion_submit(request=request, by=reviewers["ndrc"], outcome=Outcome.AGREE)
    assert list(request.opinions.values_list("version", flat=True)) == [1, 2]


# --- the signing guard -------------------------------------------------------------------------------------


def _contract(project, officer):
    return dict(project=project, kind="contract", by=officer, date=date(2026, 11, 20),
                contract_amount_wan=Decimal("18000"), contract_file=pdf("合同.pdf"))


def test_signing_is_refused_while_a_request_is_pending(officer, reviewers):
    project = ProjectFactory(owner=officer)
    review_round = open_round(project, officer)
    services.opinion_submit(request=review_round.requests.get(bureau__code="ndrc"), by=reviewers["ndrc"],
                            outcome=Outcome.AGREE)
    with pytest.raises(ValidationError) as exc:
        services.milestone_record(**_contract(project, officer))
    assert exc.value.code == "pending"
    assert "生态环境分局" in exc.value.messages[0] and "发改委" not in exc.value.messages[0]
    assert not Milestone.objects.exists()
    project.refresh_from_db()
    assert project.stage == Stage.REVIEW


def test_signing_is_refused_while_a_bureau_disagrees_even_after_the_others_agree(officer, reviewers):
    project = ProjectFactory(owner=officer)
    review_round = open_round(project, officer)
    for request in review_round.requests.select_related("bureau"):
        outcome = Outcome.DISAGREE if request.bureau.code == "ecology" else Outcome.AGREE
        services.opinion_submit(request=request, by=reviewers[request.bureau.code], outcome=outcome,
                                reason="位于生态保护红线内" if outcome == Outcome.DISAGREE else "")
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING
    with pytest.raises(ValidationError):
        services.milestone_record(**_contract(project, officer))
    # even forced into review, the guard still sees the disagree
    with pytest.raises(ValidationError) as exc:
        services.review_round_require_cleared(project=project)
    assert exc.value.code == "disagreed"


def test_signing_is_refused_with_needs_material_outstanding(officer, reviewers):
    project = ProjectFactory(owner=officer)
    review_round = open_round(project, officer, codes=("ndrc",))
    services.opinion_submit(request=review_round.requests.get(), by=reviewers["ndrc"],
                            outcome=Outcome.NEEDS_MATERIAL, reason="补充材料")
    with pytest.raises(ValidationError) as exc:
        services.milestone_record(**_contract(project, officer))
    assert exc.value.code == "pending"


def test_signing_is_refused_before_any_round(officer):
    project = ProjectFactory(owner=officer)
    with pytest.raises(ValidationError):
        services.milestone_record(**_contract(project, officer))


def test_a_new_round_after_a_disagree_keeps_the_old_round_and_can_lead_to_signing(officer, reviewers):
    project = ProjectFactory(owner=officer)
    first = open_round(project, officer, codes=("ndrc", "ecology"))
    answer(first, reviewers, outcome=Outcome.DISAGREE, reason="不符合产业规划")
    second = open_round(project, officer, codes=("ndrc", "ecology"))
    first.refresh_from_db()
    assert first.superseded_at is not None and second.number == 2
    answer(second, reviewers)
    sign(project, officer)
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED
    assert first.requests.filter(outcome=Outcome.DISAGREE).count() == 2
    with pytest.raises(ValidationError) as exc:
        services.opinion_submit(request=first.requests.first(), by=reviewers["ndrc"], outcome=Outcome.AGREE)
    assert exc.value.code in ("already_answered", "superseded")


def test_signing_succeeds_when_every_request_agrees_with_or_without_conditions(
        officer, reviewers, django_capture_on_commit_callbacks):
    project = ProjectFactory(owner=officer)
    review_round = open_round(project, officer, codes=("ndrc", "ecology"))
    services.opinion_submit(request=review_round.requests.get(bureau__code="ndrc"), by=reviewers["ndrc"],
                            outcome=Outcome.AGREE)
    with django_capture_on_commit_callbacks(execute=True):
        services.opinion_submit(request=review_round.requests.get(bureau__code="ecology"), by=reviewers["ecology"],
                                outcome=Outcome.AGREE_WITH_CONDITIONS, reason="开工前完成环评",
                                conditions=[services.ConditionInput("环评批复", date(2027, 3, 1),
                                                                    Stage.CONSTRUCTION)])
    assert Notification.objects.filter(recipient=officer, key__startswith="round-cleared:").count() == 1
    milestone = sign(project, officer)
    assert milestone.contract_amount_wan == Decimal("18000")
    assert milestone.documents.get().kind == "contract"


def test_the_signing_guard_holds_for_a_direct_stage_move(officer, reviewers):
    project = ProjectFactory(owner=officer)
    review_round = open_round(project, officer, codes=("ndrc",))
    with pytest.raises(ValidationError) as exc:
        services.project_change_stage(project=project, to=Stage.SIGNED, by=officer)
    assert exc.value.code == "pending"
    answer(review_round, reviewers)
    # cleared, but a bare move still needs the contract recorded with it
    with pytest.raises(ValidationError) as exc:
        services.project_change_stage(project=project, to=Stage.SIGNED, by=officer)
    assert exc.value.code == "milestone_required"

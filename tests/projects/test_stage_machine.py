"""The stage machine: every allowed move and every refused one, through the one service that moves stages."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from projects import services
from projects.choices import MANUAL_TARGETS, PIPELINE, STAGE_MOVES, Stage
from projects.models import Condition, Project, StageChange
from tests.projects.factories import ProjectFactory, answer, open_round, sign

ALL = list(Stage.values)
# The milestone behind each later stage is recorded by its own service; a bare move there is refused.
NEEDS_MILESTONE = {Stage.SIGNED, Stage.REGISTERED, Stage.CONSTRUCTION, Stage.OPERATING}


def _put(project, stage, paused_from=""):
    Project.objects.filter(pk=project.pk).update(stage=stage, paused_from=paused_from)
    project.refresh_from_db()
    return project


REFUSED = [(a, b) for a in ALL for b in ALL if b not in STAGE_MOVES[a] and a != Stage.PAUSED]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "to"), REFUSED, ids=[f"{a}->{b}" for a, b in REFUSED])
def test_a_move_outside_the_machine_is_refused_and_nothing_changes(officer, start, to):
    project = _put(ProjectFactory(owner=officer), start)
    with pytest.raises(ValidationError) as exc:
        services.project_change_stage(project=project, to=to, by=officer, reason="理由")
    assert exc.value.code == "bad_move"
    project.refresh_from_db()
    assert project.stage == start
    assert not StageChange.objects.filter(project=project).exists()


MANUAL = [(a, b) for a in PIPELINE for b in sorted(MANUAL_TARGETS)]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "to"), MANUAL, ids=[f"{a}->{b}" for a, b in MANUAL])
def test_pause_and_terminate_are_allowed_from_every_working_stage_with_a_reason(officer, start, to):
    project = _put(ProjectFactory(owner=officer), start)
    with pytest.raises(ValidationError) as exc:
        services.project_change_stage(project=project, to=to, by=officer, reason="  ")
    assert exc.value.code == "reason_required"
    services.project_change_stage(project=project, to=to, by=officer, reason="投资方资金链紧张")
    project.refresh_from_db()
    assert project.stage == to
    assert project.paused_from == (start if to == Stage.PAUSED else "")
    change = StageChange.objects.get(project=project)
    assert (change.from_stage, change.to_stage, change.by, change.reason) == (start, to, officer, "投资方资金链紧张")


@pytest.mark.django_db
@pytest.mark.parametrize("start", PIPELINE)
def test_a_paused_project_resumes_only_into_the_stage_it_left(officer, start):
    project = _put(ProjectFactory(owner=officer), Stage.PAUSED, paused_from=start)
    for other in PIPELINE:
        if other != start:
            with pytest.raises(ValidationError):
                services.project_change_stage(project=project, to=other, by=officer)
    services.project_change_stage(project=project, to=start, by=officer)
    project.refresh_from_db()
    assert (project.stage, project.paused_from) == (start, "")


@pytest.mark.django_db
def test_a_paused_project_can_be_terminated(officer):
    project = _put(ProjectFactory(owner=officer), Stage.PAUSED, paused_from=Stage.SIGNED)
    services.project_change_stage(project=project, to=Stage.TERMINATED, by=officer, reason="项目取消")
    project.refresh_from_db()
    assert project.stage == Stage.TERMINATED


@pytest.mark.django_db
@pytest.mark.parametrize("to", sorted(NEEDS_MILESTONE - {Stage.SIGNED}))
def test_a_later_stage_needs_its_milestone_recorded(officer, to):
    previous = PIPELINE[PIPELINE.index(to) - 1]
    project = _put(ProjectFactory(owner=officer), previous)
    with pytest.raises(ValidationError) as exc:
        services.project_change_stage(project=project, to=to, by=officer)
    assert exc.value.code == "milestone_required"


@pytest.mark.django_db
def test_opening_a_round_moves_negotiating_to_review_and_a_disagree_moves_it_back(officer, reviewers):
    project = ProjectFactory(owner=officer)
    review_round = open_round(project, officer, codes=("ndrc",))
    project.refresh_from_db()
    assert project.stage == Stage.REVIEW
    answer(review_round, reviewers, outcome="disagree", reason="投资强度不足")
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING
    moves = list(project.stage_changes.values_list("from_stage", "to_stage"))
    assert moves == [(Stage.NEGOTIATING, Stage.REVIEW), (Stage.REVIEW, Stage.NEGOTIATING)]


@pytest.mark.django_db
def test_the_whole_pipeline_through_the_services(officer, reviewers):
    from datetime import date

    from projects.choices import MilestoneKind

    project = services.project_create(
        by=officer, owner=officer, name="吉阳数字产业园", enterprise=ProjectFactory().enterprise,
        industry=ProjectFactory().industry, total_investment_wan=20000, fixed_asset_investment_wan=15000,
        land_mu=40, expected_tax_wan=800)
    assert project.code.startswith("JY-2026-")
    review_round = open_round(project, officer)
    answer(review_round, reviewers)
    sign(project, officer, on=date(2026, 9, 1))
    services.milestone_record(project=project, kind=MilestoneKind.REGISTRATION, by=officer, date=date(2026, 9, 10))
    services.milestone_record(project=project, kind=MilestoneKind.CONSTRUCTION, by=officer, date=date(2026, 10, 8))
    services.milestone_record(project=project, kind=MilestoneKind.OPERATION, by=officer, date=date(2026, 11, 2))
    project.refresh_from_db()
    assert project.stage == Stage.OPERATING
    assert [c.to_stage for c in project.stage_changes.all()] == list(PIPELINE)


@pytest.mark.django_db
def test_the_database_refuses_an_unknown_stage_or_a_pause_without_origin(officer):
    project = ProjectFactory(owner=officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(stage="flying")
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(stage=Stage.PAUSED, paused_from="")
    with pytest.raises(IntegrityError), transaction.atomic():
        StageChange.objects.create(project=project, from_stage=Stage.REVIEW, to_stage=Stage.TERMINATED, reason="")


@pytest.mark.django_db
def test_an_open_condition_blocks_the_stage_it_names_until_closed_or_waived(officer, leader, reviewers):
    from datetime import date

    from projects.choices import MilestoneKind

    project = ProjectFactory(owner=officer)
    review_round = open_round(project, officer, codes=("ecology",))
    request = review_round.requests.get()
    services.opinion_submit(request=request, by=reviewers["ecology"], outcome="agree_conditions",
                            reason="需完成环评", conditions=[services.ConditionInput(
                                "开工前完成环境影响评价审批", date(2026, 12, 31), Stage.CONSTRUCTION)])
    sign(project, officer, on=date(2026, 9, 1))
    services.milestone_record(project=project, kind=MilestoneKind.REGISTRATION, by=officer, date=date(2026, 9, 10))
    with pytest.raises(ValidationError) as exc:
        services.milestone_record(project=project, kind=MilestoneKind.CONSTRUCTION, by=officer,
                                  date=date(2026, 10, 8))
    assert exc.value.code == "conditions_open"
    condition = Condition.objects.get(project=project)
    with pytest.raises(ValidationError):
        services.condition_waive(condition=condition, by=officer, reason="不需要")
    services.condition_waive(condition=condition, by=leader, reason="环评已由市局并联审批")
    services.milestone_record(project=project, kind=MilestoneKind.CONSTRUCTION, by=officer, date=date(2026, 10, 8))
    project.refresh_from_db()
    assert project.stage == Stage.CONSTRUCTION


@pytest.mark.django_db
def test_project_codes_keep_counting_past_9999_in_a_year(officer):
    project = ProjectFactory(owner=officer)
    Project.objects.filter(pk=project.pk).update(code="JY-2026-9999")
    other = ProjectFactory(owner=officer)
    Project.objects.filter(pk=other.pk).update(code="JY-2026-10000")
    assert services._next_code(2026) == "JY-2026-10001"


@pytest.mark.parametrize(("stage", "paused_from", "expected"), [
    (Stage.NEGOTIATING, "", [Stage.PAUSED, Stage.TERMINATED]),
    (Stage.OPERATING, "", [Stage.PAUSED, Stage.TERMINATED]),
    (Stage.PAUSED, Stage.SIGNED, [Stage.SIGNED, Stage.TERMINATED]),
    (Stage.TERMINATED, "", []),
])
def test_the_moves_a_person_makes_by_hand_are_one_rule_for_the_page_and_the_api(stage, paused_from, expected):
    from projects.choices import manual_stage_targets

    assert manual_stage_targets(stage, paused_from) == expected

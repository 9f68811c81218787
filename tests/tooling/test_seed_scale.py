"""seed_scale: the promised counts at a small factor, and data that keeps every invariant the services keep."""

import pytest
from django.db import transaction
from django.db.models import F

from awards.services import award_applications_recompute
from crm.models import Enterprise
from crm.validators import credit_code_problem
from leads.models import Lead, LeadStatusChange, MeetingLog
from projects.choices import MILESTONE_ORDER, PIPELINE, STAGE_MOVES, ConditionStatus, Stage
from projects.models import CapitalInPlace, Condition, Milestone, Opinion, Project, ReviewRequest
from projects.services import review_round_require_cleared
from tooling.scale.seed import TARGETS, seed_scale

FACTOR = 0.01


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One data set for the module, rolled back at its end (each test runs in a savepoint inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_scale(factor=FACTOR, out=lambda line: None)
        transaction.set_rollback(True)


def test_a_small_factor_gives_the_promised_counts(seeded, db):
    counts = seeded.counts
    # Counts the generators place exactly (scaled and rounded) ...
    for name in ("enterprises", "leads", "projects", "meeting logs", "capital in place", "award applications"):
        assert counts[name] == round(TARGETS[name] * FACTOR), name
    assert Enterprise.objects.count() == 200
    assert Lead.objects.count() == 500
    assert Project.objects.count() == 100
    assert MeetingLog.objects.count() == 2_000
    assert CapitalInPlace.objects.count() == 300
    # ... and the one that follows from the simulated review rounds: about 400, never wildly off.
    assert 250 <= ReviewRequest.objects.count() == counts["review requests"] <= 600


def test_projects_cover_every_stage_and_their_histories_agree_with_them(seeded, db):
    from_leads = Project.objects.filter(lead__isnull=False)
    assert from_leads.exists() and not from_leads.exclude(lead__enterprise=F("enterprise")).exists()
    assert not from_leads.exclude(lead__status="converted").exists()
    stages = set(Project.objects.values_list("stage", flat=True))
    assert {Stage.NEGOTIATING, Stage.TERMINATED, Stage.OPERATING} <= stages
    for project in Project.objects.prefetch_related("stage_changes", "milestones"):
        moves = list(project.stage_changes.all())
        assert moves[0].from_stage == "" and moves[-1].to_stage == project.stage
        # the statistics read a project that has not moved since a moment in its current stage
        assert moves[-1].at <= project.stage_changed_at
        for before, after in zip(moves, moves[1:], strict=False):
            assert before.to_stage == after.from_stage and before.at <= after.at
            assert after.to_stage in STAGE_MOVES[before.to_stage]
        milestones = sorted(project.milestones.all(), key=lambda m: MILESTONE_ORDER.index(m.kind))
        assert [m.kind for m in milestones] == list(MILESTONE_ORDER[:len(milestones)])
        assert [m.date for m in milestones] == sorted(m.date for m in milestones)
        if project.stage in PIPELINE[2:]:
            review_round_require_cleared(project=project)  # raises if a signed project's round is not cleared
            entered = PIPELINE[2:PIPELINE.index(project.stage) + 1]
            assert not project.conditions.filter(status=ConditionStatus.OPEN, blocks_stage__in=entered).exists()
        project.full_clean()


def test_codes_opinions_and_leads_are_valid(seeded, db):
    codes = Enterprise.objects.exclude(credit_code=None).values_list("credit_code", flat=True)
    assert codes and all(credit_code_problem(code) is None for code in codes)
    registration_codes = Milestone.objects.filter(kind="registration").values_list("credit_code", flat=True)
    assert all(credit_code_problem(code) is None for code in registration_codes)
    for request in ReviewRequest.objects.prefetch_related("opinions"):
        versions = [o.version for o in request.opinions.all()]
        assert versions == list(range(1, len(versions) + 1))
        if request.status != "pending":  # returned material makes a request pending again, outcome cleared
            assert request.outcome == max(request.opinions.all(), key=lambda o: o.version).outcome
    assert Condition.objects.count() and Opinion.objects.count()
    # The stored award computations are the engine's: recomputing the drafts changes none of them.
    assert award_applications_recompute().changed == 0
    for lead in Lead.objects.all()[:100]:
        lead.full_clean()
        assert LeadStatusChange.objects.filter(lead=lead).order_by("changed_at", "id").last().new_status == lead.status

"""The seed commands: seed_scale's report and its refusal to seed one database twice; seed_demo in any year."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from crm.models import User


def test_the_command_prints_the_counts_and_refuses_a_second_run(db):
    out = StringIO()
    call_command("seed_scale", factor=0.002, stdout=out)
    assert "enterprises                              40         40" in out.getvalue()
    assert User.objects.filter(username__startswith="scale.officer.").count() == 4
    with pytest.raises(CommandError):
        call_command("seed_scale", factor=0.002, stdout=StringIO())


@pytest.mark.parametrize("instant", ["2028-03-15 10:00 +0800", "2030-12-31 23:30 +0800"])
def test_seed_demo_builds_a_living_district_whatever_the_year(db, instant):
    """A trial started in any year shows this year's activity and the two years before, nothing in the future."""
    import time_machine
    from django.utils import timezone

    from leads.models import Lead
    from projects.models import CapitalInPlace, Milestone, Project, StageChange
    from reports.models import Snapshot, WorkPlan

    with time_machine.travel(instant, tick=False):
        out = StringIO()
        call_command("seed_demo", stdout=out)
        call_command("seed_demo", stdout=StringIO())  # idempotent on the same day
        today = timezone.localdate()
        year = today.year
    assert "officer.wang" in out.getvalue()
    moves = StageChange.objects.all()
    assert moves.filter(at__year=year).exists() and moves.filter(at__year=year - 2).exists()
    assert not moves.filter(at__date__gt=today).exists()
    assert not Milestone.objects.filter(date__gt=today).exists()
    assert not CapitalInPlace.objects.filter(date__gt=today).exists()
    assert Project.objects.filter(stage_changed_at__date__gte=today - timedelta(days=30)).exists()
    assert Lead.objects.filter(received_on__gte=today - timedelta(days=60)).exists()
    assert set(WorkPlan.objects.values_list("year", flat=True)) >= {year - 2, year - 1, year}
    published = set(Snapshot.objects.values_list("year", "month"))
    assert {(year - 1, m) for m in range(1, 13)} <= published
    assert all((y, m) < (today.year, today.month) for y, m in published)

"""The demo data of the statistics: both work plans, ten published months of 2026, and idempotence."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from reports import demo
from reports.models import Snapshot, WorkPlan

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_the_plans_and_publishes_january_to_october_once():
    from crm import demo as crm_demo

    with time_machine.travel(datetime(2026, 11, 27, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        crm_demo.seed(out=lambda *a: None)
        demo.seed(out=lambda *a: None)
        demo.seed(out=lambda *a: None)
    assert set(WorkPlan.objects.values_list("year", flat=True)) == {2025, 2026}
    assert list(Snapshot.objects.order_by("month").values_list("month", flat=True)) == list(range(1, 11))
    plan = WorkPlan.objects.get(year=2026)
    assert plan.targets.filter(officer__username="officer.wang", indicator="signed_projects").exists()

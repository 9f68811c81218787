"""The demo data of the statistics: a work plan for this year and the two before, every month of them that is over
published once, and idempotence."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from reports import demo
from reports.models import Snapshot, WorkPlan

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_three_years_of_plans_and_publishes_each_month_that_is_over_once():
    from crm import demo as crm_demo

    with time_machine.travel(datetime(2026, 11, 27, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        crm_demo.seed(out=lambda *a: None)
        demo.seed(out=lambda *a: None)
        demo.seed(out=lambda *a: None)
    assert set(WorkPlan.objects.values_list("year", flat=True)) == {2024, 2025, 2026}
    published = list(Snapshot.objects.order_by("year", "month").values_list("year", "month"))
    # November 2026 is not over on the 27th
    assert published == [(y, m) for y in (2024, 2025) for m in range(1, 13)] + [(2026, m) for m in range(1, 11)]
    plan = WorkPlan.objects.get(year=2026)
    assert plan.targets.filter(officer__username="officer.wang", indicator="signed_projects").exists()

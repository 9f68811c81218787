"""Demo data of the statistics: a work plan with targets for this year and the two before, and every month of
those years that is over, published.

Runs after the leads and projects demo modules (seed_demo's order), so the snapshots freeze the figures their
records give. Idempotent: a plan that exists is left as it is, a month already published is not published again.
"""

from decimal import Decimal

from django.utils import timezone

from crm.models import Industry, User
from reports import services
from reports.models import Snapshot, WorkPlan
from reports.services import TargetInput

# District targets of each year's plan (counts, 万元, 万美元), sized to the demo district's records.
# Keyed by the story's years: the last is this year's plan, the others the years before it.
DISTRICT_TARGETS = {
    2024: {"signed_projects": 3, "signed_amount": 80000, "landed_projects": 2, "started_projects": 1,
           "operating_projects": 1, "domestic_capital": 20000, "foreign_capital": 500, "new_leads": 16,
           "negotiating_projects": 3},
    2025: {"signed_projects": 5, "signed_amount": 120000, "landed_projects": 4, "started_projects": 2,
           "operating_projects": 1, "domestic_capital": 45000, "foreign_capital": 2000, "new_leads": 20,
           "negotiating_projects": 4},
    2026: {"signed_projects": 5, "signed_amount": 130000, "landed_projects": 4, "started_projects": 4,
           "operating_projects": 2, "domestic_capital": 50000, "foreign_capital": 6000, "new_leads": 24,
           "negotiating_projects": 6},
}
# Each officer's share of signed projects and new leads.
OFFICER_TARGETS = {"officer.wang": (2, 6), "officer.li": (1, 5), "officer.zhang": (1, 5),
                   "officer.huang": (1, 4), "officer.fu": (1, 4)}
# Signed amount (万元) expected from the district's leading sections.
INDUSTRY_TARGETS = {"L": 40000, "I": 30000, "H": 30000, "J": 20000}


def _targets(district: dict) -> list[TargetInput]:
    targets = [TargetInput(key, Decimal(value)) for key, value in district.items()]
    officers = {u.username: u for u in User.objects.filter(username__in=OFFICER_TARGETS)}
    for username, (signed, leads) in OFFICER_TARGETS.items():
        if username in officers:
            targets += [TargetInput("signed_projects", Decimal(signed), officer=officers[username]),
                        TargetInput("new_leads", Decimal(leads), officer=officers[username])]
    industries = {i.code: i for i in Industry.objects.filter(code__in=INDUSTRY_TARGETS)}
    targets += [TargetInput("signed_amount", Decimal(value), industry=industries[code])
                for code, value in INDUSTRY_TARGETS.items() if code in industries]
    return targets


def seed(out=print):
    leader = User.objects.filter(username="leader.chen").first()
    today = timezone.localdate()
    for story, targets in DISTRICT_TARGETS.items():
        year = today.year - (max(DISTRICT_TARGETS) - story)  # the story's last year is this year's plan
        if not WorkPlan.objects.filter(year=year).exists():
            services.work_plan_save(year=year, by=leader, targets=_targets(targets),
                                    note=f"{year}年全区招商引资工作目标（示例）")
            out(f"  work plan {year}")
    years = range(today.year - 2, today.year + 1)
    done = set(Snapshot.objects.filter(year__in=years).values_list("year", "month"))
    over = [(year, month) for year in years for month in range(1, 13) if (year, month) < (today.year, today.month)]
    for year, month in over:  # each month once it is over, as the month-end task does
        if (year, month) not in done:
            services.snapshot_publish(year=year, month=month, by=leader, today=today)
    services.check_all_restatements(today=today)
    out(f"  published {len(set(over) - done)} month(s) of {years[0]}-{years[-1]}")

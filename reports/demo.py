"""Demo data of the statistics: the 2025 and 2026 work plans with targets, and the published months of 2026.

Runs after the leads and projects demo modules (seed_demo's order), so the snapshots freeze the figures their
records give. Idempotent: a plan that exists is left as it is, a month already published is not published again.
"""

from decimal import Decimal

from django.utils import timezone

from crm.models import Industry, User
from reports import services
from reports.models import Snapshot, WorkPlan
from reports.services import TargetInput

# District targets of each year's plan (counts, 万元, 万美元).
DISTRICT_TARGETS = {
    2025: {"signed_projects": 36, "signed_amount": 650000, "landed_projects": 22, "started_projects": 16,
           "operating_projects": 10, "domestic_capital": 260000, "foreign_capital": 4200, "new_leads": 140,
           "negotiating_projects": 25},
    2026: {"signed_projects": 40, "signed_amount": 800000, "landed_projects": 25, "started_projects": 20,
           "operating_projects": 12, "domestic_capital": 300000, "foreign_capital": 5000, "new_leads": 150,
           "negotiating_projects": 30},
}
# Each officer's share of signed projects and new leads.
OFFICER_TARGETS = {"officer.wang": (9, 32), "officer.li": (8, 30), "officer.zhang": (8, 30),
                   "officer.huang": (8, 30), "officer.fu": (7, 28)}
# Signed amount (万元) expected from the district's leading sections.
INDUSTRY_TARGETS = {"L": 200000, "I": 150000, "H": 120000, "J": 100000}


def _targets(year: int) -> list[TargetInput]:
    targets = [TargetInput(key, Decimal(value)) for key, value in DISTRICT_TARGETS[year].items()]
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
    for year in DISTRICT_TARGETS:
        if not WorkPlan.objects.filter(year=year).exists():
            services.work_plan_save(year=year, by=leader, targets=_targets(year),
                                    note=f"{year}年全区招商引资工作目标（示例）")
            out(f"  work plan {year}")
    today = timezone.localdate()
    published = 0
    for month in range(1, 11):  # January to October 2026, each once its month is over
        if (2026, month) < (today.year, today.month) and not Snapshot.objects.filter(year=2026, month=month).exists():
            services.snapshot_publish(year=2026, month=month, by=leader, today=today)
            published += 1
    services.check_all_restatements(today=today)
    out(f"  published {published} month(s) of 2026")

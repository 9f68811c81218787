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

# District targets of each year's plan (counts, 万元, 万美元), sized to the demo district's records.
DISTRICT_TARGETS = {
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

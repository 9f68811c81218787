"""Award applications at scale: 2,000 (factor 1) over the years the shipped policies cover, each computed by
the award engine from its project's records and the facts entered for it, as the services would store them.

Enterprises apply under the headquarters policy once registered (with their paid-in registered capital, their
yearly local fiscal contribution and the newly-settled flag on record); introducers put on record before the
signing apply under the intermediary policy. Recent applications are drafts or submitted (their clauses
claimed); older ones that were not pursued were rejected with a reason. Approved, paying and paid awards,
with their instalments, are not generated (docs/performance.md says so).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from awards.choices import ApplicationStatus, BeneficiaryKind, FactName, MoneyUnit
from awards.engine import Beneficiary, Status, compute, result_as_data
from awards.models import ApplicationStatusChange, AwardApplication, AwardedLine, AwardFact, AwardPolicy
from awards.selectors import facts_as_data, gather_project_facts
from projects.choices import MilestoneKind
from projects.models import Project
from tooling.scale.common import Context, chunks, explicit_timestamps, insert

REJECT_REASON = "材料不全且逾期未补正，不予奖励"


def _candidates(ctx: Context) -> list[tuple[AwardPolicy, str, int]]:
    """(policy, beneficiary, project) pairs, at most one application per project and policy."""
    pairs = []
    for policy in AwardPolicy.objects.filter(is_current=True).order_by("key"):
        beneficiaries = {clause.beneficiary.value for clause in policy.policy.clauses}
        for beneficiary in sorted(beneficiaries & {BeneficiaryKind.ENTERPRISE, BeneficiaryKind.INTRODUCER}):
            pairs += [(policy, beneficiary, pk) for pk in _eligible(policy, beneficiary)]
    ctx.rng.shuffle(pairs)
    return pairs[:ctx.n(2_000)]


def _eligible(policy: AwardPolicy, beneficiary: str) -> list[int]:
    parsed = policy.policy
    kind = MilestoneKind.CONTRACT if parsed.applies_to.value == "signed" else MilestoneKind.REGISTRATION
    dated = {"milestones__kind": kind, "milestones__date__gte": parsed.effective_from}
    if parsed.effective_to:
        dated["milestones__date__lte"] = parsed.effective_to
    qs = Project.objects.filter(**dated)
    if beneficiary != BeneficiaryKind.INTRODUCER:
        return list(qs.values_list("pk", flat=True).distinct())
    signed = dict(Project.objects.filter(milestones__kind=MilestoneKind.CONTRACT, introducer__isnull=False)
                  .values_list("pk", "milestones__date"))
    rows = qs.filter(introducer__isnull=False).values_list("pk", "introducer__registered_at").distinct()
    return [pk for pk, registered in rows if registered and pk in signed and registered < signed[pk]]


def _facts(ctx: Context, project: Project, first_year: int, by: int) -> list[AwardFact]:
    """What an officer enters for a headquarters award: paid-in registered capital, the yearly local fiscal
    contribution since the first award year, and the newly-settled flag, each with its source."""
    as_of = min(ctx.today, project.registered_on + timedelta(days=60))
    paid_in = Decimal(round(float(project.total_investment_wan) * ctx.rng.uniform(0.1, 0.6), 2))
    facts = [
        AwardFact(project_id=project.pk, name=FactName.PAID_IN_REGISTERED_CAPITAL, amount=paid_in,
                  unit=MoneyUnit.WAN_YUAN, source="验资报告", as_of=as_of, entered_by_id=by, entered_at=ctx.at(as_of)),
        AwardFact(project_id=project.pk, name=FactName.IS_NEWLY_SETTLED, flag=ctx.rng.random() < 0.8,
                  source="总部企业认定文件", as_of=as_of, entered_by_id=by, entered_at=ctx.at(as_of)),
    ]
    for year in range(first_year, min(ctx.today.year - 1, first_year + 4) + 1):
        facts.append(AwardFact(
            project_id=project.pk, name=FactName.LOCAL_FISCAL_CONTRIBUTION, year=year, unit=MoneyUnit.WAN_YUAN,
            amount=Decimal(round(float(project.expected_tax_wan) * ctx.rng.uniform(0.1, 0.5), 2)),
            source=f"{year}年度税务部门完税证明", as_of=(on := min(ctx.today, date(year + 1, 3, 31))),
            entered_by_id=by, entered_at=ctx.at(on)))
    return facts


def seed_awards(ctx: Context) -> None:
    """Applications, their entered facts, engine snapshots, status histories and claimed clauses."""
    pairs = _candidates(ctx)
    with explicit_timestamps(AwardApplication, ApplicationStatusChange, AwardFact):
        for block in chunks(len(pairs), 500):
            part = [pairs[i] for i in block]
            projects = Project.objects.in_bulk([pk for _p, _b, pk in part])
            registered = dict(Project.objects.filter(pk__in=projects, milestones__kind=MilestoneKind.REGISTRATION)
                              .values_list("pk", "milestones__date"))
            signed = dict(Project.objects.filter(pk__in=projects, milestones__kind=MilestoneKind.CONTRACT)
                          .values_list("pk", "milestones__date"))
            facts, seen = [], set()
            for _policy, beneficiary, pk in part:
                project = projects[pk]
                project.registered_on = registered.get(pk) or signed[pk]
                if beneficiary == BeneficiaryKind.ENTERPRISE and pk not in seen and pk in registered:
                    seen.add(pk)
                    facts += _facts(ctx, project, project.registered_on.year, project.owner_id)
            insert(AwardFact, facts)
            ctx.count("award facts", len(facts))
            _applications(ctx, part, projects)


def _applications(ctx: Context, part, projects) -> None:
    apps, histories, lines = [], [], []
    keys = {policy.pk: policy.key for policy, _b, _pk in part}
    for policy, beneficiary, pk in part:
        project = projects[pk]
        day = project.registered_on + timedelta(days=ctx.rng.randint(30, 400))
        if day > ctx.today:
            day = ctx.today - timedelta(days=ctx.rng.randint(0, 20))
        created = min(ctx.now, ctx.at(day))
        first_year = project.registered_on.year
        gathered = gather_project_facts(project, first_award_year=first_year, today=ctx.today)
        result = compute(policy.policy, gathered.facts)
        who = Beneficiary(beneficiary)
        outcomes = [o for o in result.clauses if o.beneficiary == who]
        complete = not [o for o in outcomes if o.status in (Status.MISSING_FACTS, Status.UNDECIDED)]
        total = result.total_for(who)
        data = result_as_data(result)
        payable = [line for line in data.get("lines", []) if line["beneficiary"] == beneficiary
                   and Decimal(line["amount"]) > 0]
        recent = (ctx.today - day).days < 120
        if recent:
            status = ApplicationStatus.SUBMITTED if complete and payable and ctx.rng.random() < 0.4 \
                else ApplicationStatus.DRAFT
        else:
            status = ApplicationStatus.REJECTED if ctx.rng.random() < 0.7 else ApplicationStatus.DRAFT
        app = AwardApplication(
            project_id=pk, policy_id=policy.pk, beneficiary=beneficiary, first_award_year=first_year,
            introducer_id=project.introducer_id if beneficiary == BeneficiaryKind.INTRODUCER else None,
            introducer_is_public_servant=False if beneficiary == BeneficiaryKind.INTRODUCER else None,
            status=status, facts=facts_as_data(gathered.facts), fact_sources=gathered.sources, result=data,
            total=total, complete=complete, computed_at=created, created_by_id=project.owner_id,
            created_at=created, updated_at=created,
            decision_reason=REJECT_REASON if status == ApplicationStatus.REJECTED else "",
            submitted_at=created + timedelta(days=3) if status != ApplicationStatus.DRAFT else None)
        apps.append((app, payable))
    insert(AwardApplication, [a for a, _payable in apps])
    for app, payable in apps:
        histories.append(ApplicationStatusChange(application_id=app.pk, from_status="",
                                                 to_status=ApplicationStatus.DRAFT, by_id=app.created_by_id,
                                                 at=app.created_at))
        if app.status != ApplicationStatus.DRAFT:
            histories.append(ApplicationStatusChange(
                application_id=app.pk, from_status=ApplicationStatus.DRAFT, to_status=ApplicationStatus.SUBMITTED,
                by_id=app.created_by_id, at=app.submitted_at))
        if app.status == ApplicationStatus.REJECTED:
            histories.append(ApplicationStatusChange(
                application_id=app.pk, from_status=ApplicationStatus.SUBMITTED, to_status=ApplicationStatus.REJECTED,
                by_id=ctx.rng.choice(ctx.leaders), at=app.submitted_at + timedelta(days=10), reason=REJECT_REASON))
        if app.status == ApplicationStatus.SUBMITTED:
            lines += [AwardedLine(application_id=app.pk, project_id=app.project_id, policy_key=keys[app.policy_id],
                                  clause=line["clause"], amount=Decimal(line["amount"]),
                                  year=0 if line["year"] is None else app.first_award_year + line["year"] - 1)
                      for line in payable]
    insert(ApplicationStatusChange, histories)
    insert(AwardedLine, lines)
    ctx.count("award applications", len(apps))
    ctx.count("awarded lines", len(lines))

"""Projects at scale: 10,000 projects (factor 1) whose stage histories, review rounds, versioned opinions,
conditions, milestones, capital in place and talent requests are what the services would have written.

Each project is simulated from its creation: rounds open, bureaus answer after their own delay (a few are
slow), a disagree sends it back to negotiation, a cleared round leads to signing, milestones follow in date
order. Whatever would happen after today has not happened, so recent projects sit in early stages and some
requests are pending or overdue, as in a live register.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from crm.choices import BureauKind, EnterpriseKind
from crm.models import Bureau, Enterprise
from projects.choices import (
    CapitalKind,
    ConditionStatus,
    MilestoneKind,
    Outcome,
    RequestStatus,
    Stage,
    TalentKind,
    TalentStatus,
)
from projects.models import (
    CapitalInPlace,
    Condition,
    Milestone,
    Opinion,
    Project,
    ReviewRequest,
    ReviewRound,
    StageChange,
    TalentRequest,
)
from projects.services import CODE_PREFIX
from tooling.scale.common import SHANGHAI, Context, chunks, explicit_timestamps, insert

CENT = Decimal("0.01")
PIPELINE = [Stage.NEGOTIATING, Stage.REVIEW, Stage.SIGNED, Stage.REGISTERED, Stage.CONSTRUCTION, Stage.OPERATING]
# How far a project would get if nothing stopped it: most stall early.
REACH_WEIGHTS = [32, 10, 14, 12, 14, 18]
MILESTONE_FOR = {Stage.SIGNED: MilestoneKind.CONTRACT, Stage.REGISTERED: MilestoneKind.REGISTRATION,
                 Stage.CONSTRUCTION: MilestoneKind.CONSTRUCTION, Stage.OPERATING: MilestoneKind.OPERATION}
# Days from one milestone to the next (low, high).
MILESTONE_GAPS = {Stage.REGISTERED: (20, 150), Stage.CONSTRUCTION: (30, 300), Stage.OPERATING: (120, 720)}
# Working days a bureau takes to answer (low, high): planning and ecology are the slow ones.
ANSWER_DELAY = {"talent": (1, 6), "ndrc": (2, 8), "ecology": (3, 16), "market": (1, 4), "planning": (6, 32)}
DISAGREE_WEIGHT = {"ecology": 3, "planning": 3, "ndrc": 2}
USD_CNY = {2016: 6.64, 2017: 6.75, 2018: 6.62, 2019: 6.90, 2020: 6.90, 2021: 6.45, 2022: 6.73, 2023: 7.05,
           2024: 7.18, 2025: 7.18, 2026: 7.10, 2027: 7.10}
PAUSE_REASONS = ["投资方资金安排调整，项目暂缓", "等待用地规划调整", "企业股东变更，暂停推进"]
TERMINATE_REASONS = ["投资方放弃投资", "项目不符合准入条件", "企业转投其他地区", "用地无法落实"]
DISAGREE_REASONS = {"ecology": "项目选址涉及生态保护红线", "planning": "用地不符合控制性详细规划",
                    "ndrc": "投资强度未达到准入条件"}
PROJECT_WORDS = ["区域总部", "度假酒店", "数字产业园", "免税商业综合体", "康养社区", "游艇码头", "研发中心",
                 "跨境结算中心", "文旅演艺", "冷链仓储", "国际学校", "医美中心", "会展中心", "种业基地", "融资租赁平台"]


@dataclass
class OpinionPlan:
    version: int
    outcome: str
    at: datetime
    reviewer: int
    reason: str = ""
    condition: tuple | None = None  # (text, due_on, blocks_stage)
    superseded: bool = False


@dataclass
class RequestPlan:
    bureau: int
    requested_at: datetime
    due_on: object
    estimate: bool
    status: str = RequestStatus.PENDING
    outcome: str = ""
    answered_at: datetime | None = None
    opinions: list[OpinionPlan] = field(default_factory=list)


@dataclass
class RoundPlan:
    number: int
    opened_at: datetime
    superseded_at: datetime | None = None
    requests: list[RequestPlan] = field(default_factory=list)


@dataclass
class ProjectPlan:
    """One simulated project: what the services would have stored for it."""

    project: Project
    events: list[tuple] = field(default_factory=list)  # (from, to, at, reason)
    rounds: list[RoundPlan] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    reached_at: dict[str, datetime] = field(default_factory=dict)


class _Stop(Exception):
    """The simulation reached today: nothing later has happened."""


class Simulation:
    """Drives one project through the pipeline the way the services allow, stopping at today."""

    def __init__(self, ctx: Context, bureaus: list[Bureau], plan: ProjectPlan):
        self.ctx, self.bureaus, self.plan = ctx, bureaus, plan
        self.project = plan.project
        self.stage = Stage.NEGOTIATING
        self.t = self.project.created_at

    def later(self, low_days: float, high_days: float) -> datetime:
        moment = self.t + timedelta(days=self.ctx.rng.uniform(low_days, high_days))
        if moment > self.ctx.now:
            raise _Stop
        return moment

    def move(self, to: str, at: datetime, reason: str) -> None:
        self.plan.events.append((self.stage, to, at, reason))
        if to == Stage.PAUSED:
            self.project.paused_from = self.stage
        self.stage = to
        self.t = at
        self.plan.reached_at.setdefault(to, at)

    def run(self, reach: int, disagree_rounds: int, ending: str | None) -> None:
        self.plan.events.append(("", Stage.NEGOTIATING, self.t, "项目立项"))
        self.plan.reached_at[Stage.NEGOTIATING] = self.t
        try:
            for number in range(1, disagree_rounds + 1):
                self.review_round(number, final=False)
            if reach >= 1:
                cleared = self.review_round(disagree_rounds + 1, final=True)
                if reach >= 2 and cleared is not None:
                    self.t = max(self.t, cleared)
                    self.milestones(reach)
            if ending:
                at = self.later(20, 400)
                self.move(ending, at, self.ctx.rng.choice(PAUSE_REASONS if ending == Stage.PAUSED
                                                          else TERMINATE_REASONS))
        except _Stop:
            pass
        self.project.stage = self.stage
        self.project.stage_changed_at = self.t
        self.project.updated_at = self.t

    # --- review rounds -------------------------------------------------------------------------------

    def review_round(self, number: int, *, final: bool) -> datetime | None:
        """Open a round; a non-final round ends with one bureau disagreeing and the project back in
        negotiation. Returns when a final round was cleared (every bureau agreed), else None."""
        ctx = self.ctx
        opened = self.later(10, 120)
        if self.plan.rounds:
            self._supersede(self.plan.rounds[-1], opened)
        self.move(Stage.REVIEW, opened, f"第{number}轮会签已发起")
        round_ = RoundPlan(number=number, opened_at=opened)
        self.plan.rounds.append(round_)
        land = self.project.land_mu > 0
        bureaus = [b for b in self.bureaus if land or not b.reviews_only_with_land]
        if final:
            return self._final_round(round_, bureaus)
        dissenter = ctx.rng.choices(bureaus, weights=[DISAGREE_WEIGHT.get(b.code, 1) for b in bureaus])[0]
        disagree_at = self._answer_time(dissenter, opened)
        for bureau in bureaus:
            request = self._request(bureau, opened)
            round_.requests.append(request)
            if bureau is dissenter:
                if disagree_at <= ctx.now:
                    self._opinion(request, bureau, Outcome.DISAGREE, disagree_at,
                                  DISAGREE_REASONS.get(bureau.code, "不符合本部门审查要求"))
                continue
            at = self._answer_time(bureau, opened)
            if at <= ctx.now:  # the other bureaus still answer, unless a new round replaces this one first
                self._opinion(request, bureau, Outcome.AGREE, at)
        if disagree_at > ctx.now:
            raise _Stop
        reason = DISAGREE_REASONS.get(dissenter.code, "")
        self.move(Stage.NEGOTIATING, disagree_at, f"{dissenter.short_name}不同意：{reason}")
        return None

    @staticmethod
    def _supersede(round_: RoundPlan, at: datetime) -> None:
        """A new round replaces the last one: its requests cannot be answered after that moment."""
        round_.superseded_at = at
        for request in round_.requests:
            if request.opinions and request.opinions[-1].at > at:
                request.opinions.pop()
                request.status, request.outcome, request.answered_at = RequestStatus.PENDING, "", None

    def _final_round(self, round_: RoundPlan, bureaus: list[Bureau]) -> datetime | None:
        ctx = self.ctx
        cleared = round_.opened_at
        all_answered = True
        for bureau in bureaus:
            request = self._request(bureau, round_.opened_at)
            round_.requests.append(request)
            at = self._answer_time(bureau, round_.opened_at)
            if ctx.rng.random() < 0.1:  # needs more material first, then answered on the returned material
                if at > ctx.now:
                    all_answered = False
                    continue
                self._opinion(request, bureau, Outcome.NEEDS_MATERIAL, at, "请补充项目可行性研究报告")
                returned = at + timedelta(days=ctx.rng.uniform(3, 40))
                if returned > ctx.now:
                    all_answered = False
                    continue
                request.status, request.outcome, request.answered_at = RequestStatus.PENDING, "", None
                request.requested_at = returned
                request.due_on = ctx.calendar.add(returned.date(), bureau.review_due_working_days)
                at = self._answer_time(bureau, returned)
            if at > ctx.now:
                all_answered = False
                continue
            outcome = Outcome.AGREE_WITH_CONDITIONS if ctx.rng.random() < 0.25 else Outcome.AGREE
            self._opinion(request, bureau, outcome, at, "" if outcome == Outcome.AGREE else "须落实附加条件")
            if outcome == Outcome.AGREE_WITH_CONDITIONS and ctx.rng.random() < 0.1:  # amended to a plain agree
                amended = at + timedelta(days=ctx.rng.uniform(2, 15))
                if amended <= ctx.now:
                    request.opinions[-1].superseded = True
                    self._opinion(request, bureau, Outcome.AGREE, amended, "条件已提前落实，修改为同意")
                    at = amended
            cleared = max(cleared, at)
        return cleared if all_answered else None

    def _request(self, bureau: Bureau, at: datetime) -> RequestPlan:
        due = self.ctx.calendar.add(at.date(), bureau.review_due_working_days)
        return RequestPlan(bureau=bureau.pk, requested_at=at, due_on=due,
                           estimate=self.ctx.calendar.is_estimate(at.date(), due))

    def _answer_time(self, bureau: Bureau, asked: datetime) -> datetime:
        low, high = ANSWER_DELAY.get(bureau.code, (1, 8))
        day = self.ctx.calendar.add(asked.date(), self.ctx.rng.randint(low, high))
        return max(asked + timedelta(minutes=5), self.ctx.at(day))

    def _opinion(self, request: RequestPlan, bureau: Bureau, outcome: str, at: datetime, reason: str = "") -> None:
        ctx = self.ctx
        condition = None
        if outcome == Outcome.AGREE_WITH_CONDITIONS:
            condition = ("开工前取得环评批复并报备", at.date() + timedelta(days=ctx.rng.randint(30, 120)),
                         ctx.pick([Stage.SIGNED, Stage.REGISTERED, Stage.CONSTRUCTION], [20, 40, 40]))
        request.opinions.append(OpinionPlan(
            version=len(request.opinions) + 1, outcome=outcome, at=at, reason=reason, condition=condition,
            reviewer=ctx.rng.choice(ctx.reviewers[bureau.pk])))
        request.outcome = outcome
        request.answered_at = at
        request.status = RequestStatus.NEEDS_MATERIAL if outcome == Outcome.NEEDS_MATERIAL else RequestStatus.ANSWERED

    # --- milestones ----------------------------------------------------------------------------------

    def milestones(self, reach: int) -> None:
        """Sign, register, start and operate, in date order, as far as ``reach`` and today allow."""
        project = self.project
        for stage in PIPELINE[2:reach + 1]:
            low, high = MILESTONE_GAPS.get(stage, (5, 90))
            at = self.later(low, high)
            kind = MILESTONE_FOR[stage]
            milestone = Milestone(kind=kind, date=at.date(), recorded_by_id=project.owner_id, recorded_at=at)
            if kind == MilestoneKind.CONTRACT:
                share = Decimal(str(round(self.ctx.rng.uniform(0.6, 1.0), 2)))
                milestone.contract_amount_wan = max(CENT, (project.total_investment_wan * share).quantize(CENT))
            if kind == MilestoneKind.REGISTRATION:
                milestone.credit_code = self.ctx.store["credit_codes"][project.enterprise_id]
            self.plan.milestones.append(milestone)
            self.move(stage, at, milestone.get_kind_display())


def _figures(ctx: Context, project: Project, foreign: bool) -> None:
    """Skewed amounts: a median project of 8,000万元, a few of several 亿; a quarter need no land."""
    rng = ctx.rng
    total = Decimal(round(ctx.skewed_amount(8000, 1.3, 100, 5_000_000), 2))
    project.total_investment_wan = total
    project.fixed_asset_investment_wan = (total * Decimal(str(round(rng.uniform(0.3, 0.95), 2)))).quantize(CENT)
    project.foreign_capital_usd_wan = (total / Decimal("7.1") * Decimal(str(round(rng.uniform(0.3, 1), 2)))
                                       ).quantize(CENT) if foreign else Decimal(0)
    project.land_mu = Decimal(0) if rng.random() < 0.25 else Decimal(round(ctx.skewed_amount(40, 1.0, 1, 5000), 2))
    project.expected_output_wan = (total * Decimal(str(round(rng.uniform(0.5, 2), 2)))).quantize(CENT)
    project.expected_tax_wan = (project.expected_output_wan * Decimal(str(round(rng.uniform(0.03, 0.1), 3)))
                                ).quantize(CENT)
    project.expected_jobs = max(5, int(float(total) / 100 * rng.uniform(0.5, 2)))
    project.is_key_project = total >= 50_000 or rng.random() < 0.03


def _project_seeds(ctx: Context, total: int) -> list[tuple]:
    """(created, enterprise, owner, industry, lead, introducer) for every project, oldest first: most come from
    converted leads (opened when the lead was converted, carrying its introducer), the rest were opened directly
    on a registered enterprise."""
    converted = [lead for lead in ctx.store["leads"] if lead[4] == "converted"]
    ctx.rng.shuffle(converted)
    seeds = [(lead[8], lead[1], lead[2], lead[6], lead[0], lead[7]) for lead in converted[:total]]
    with_code = ctx.store["enterprises_with_code"]
    industry_of = ctx.store["enterprise_industry"]
    while len(seeds) < total:
        enterprise = ctx.rng.choice(with_code)
        seeds.append((ctx.at(ctx.day_in_window()), enterprise, ctx.officer(), industry_of[enterprise], None, None))
    seeds.sort(key=lambda s: s[0])
    return seeds


def _next_numbers() -> dict[int, int]:
    """The last project number already used in each year (the demo's, or an earlier run's)."""
    last: dict[int, int] = {}
    for code in Project.objects.filter(code__startswith=f"{CODE_PREFIX}-").values_list("code", flat=True):
        _prefix, year, number = code.split("-")
        last[int(year)] = max(last.get(int(year), 0), int(number))
    return last


def seed_projects(ctx: Context) -> None:
    """Projects and everything the pipeline records about them, in chunks, oldest first."""
    bureaus = list(Bureau.objects.filter(kind=BureauKind.PARTNER, is_active=True, reviews_by_default=True)
                   .order_by("sort_order", "id"))
    ctx.store["credit_codes"] = dict(Enterprise.objects.filter(pk__in=ctx.store["enterprises_with_code"])
                                     .values_list("pk", "credit_code"))
    kinds = ctx.store["enterprise_kind"]
    numbers = _next_numbers()
    seeds = _project_seeds(ctx, ctx.n(10_000, 5))
    registered: list[tuple] = []  # (project id, registration date, foreign, total investment, enterprise)
    signed: list[tuple] = []  # (project id, contract date, owner)
    with explicit_timestamps(Project, StageChange, ReviewRound, Opinion, Milestone):
        for block in chunks(len(seeds), 2000):
            plans = []
            for i in block:
                created, enterprise, owner, industry, lead, introducer = seeds[i]
                year = created.astimezone(SHANGHAI).year
                numbers[year] = numbers.get(year, 0) + 1
                project = Project(
                    code=f"{CODE_PREFIX}-{year}-{numbers[year]:04d}",
                    name=f"{ctx.rng.choice(PROJECT_WORDS)}项目{i + 1:05d}", enterprise_id=enterprise,
                    industry_id=industry, owner_id=owner, created_by_id=owner, created_at=created,
                    lead_id=lead, introducer_id=introducer,
                    description="拟在吉阳区投资建设，详见项目建议书。")
                foreign = kinds[enterprise] != EnterpriseKind.DOMESTIC
                _figures(ctx, project, foreign)
                plan = ProjectPlan(project=project)
                reach = ctx.pick(range(len(PIPELINE)), REACH_WEIGHTS)
                age_days = (ctx.now - created).days
                ending = ctx.pick([None, Stage.PAUSED, Stage.TERMINATED], [76, 9, 15])
                if reach <= 1 and age_days > 365 and ending is None and ctx.rng.random() < 0.35:
                    ending = Stage.TERMINATED  # old projects that never signed were mostly given up
                disagree_rounds = ctx.pick([0, 1, 2], [78, 17, 5]) if reach >= 1 else ctx.pick([0, 1, 2], [75, 20, 5])
                Simulation(ctx, bureaus, plan).run(reach, disagree_rounds, ending)
                plans.append(plan)
            _insert_plans(ctx, plans)
            for plan in plans:
                p = plan.project
                for m in plan.milestones:
                    if m.kind == MilestoneKind.REGISTRATION:
                        registered.append((p.pk, m.date, kinds[p.enterprise_id] != EnterpriseKind.DOMESTIC,
                                           p.total_investment_wan, p.enterprise_id))
                    if m.kind == MilestoneKind.CONTRACT:
                        signed.append((p.pk, m.date, p.owner_id))
    ctx.store["registered_projects"] = registered
    ctx.store["signed_projects"] = signed


def _insert_plans(ctx: Context, plans: list[ProjectPlan]) -> None:
    """Write a chunk of simulated projects, parents before children so each insert knows its keys."""
    projects = insert(Project, [p.project for p in plans])
    co_owners = []
    for p in projects:
        other = ctx.officer()
        if ctx.rng.random() < 0.15 and other != p.owner_id:
            co_owners.append(Project.co_owners.through(project_id=p.pk, user_id=other))
    insert(Project.co_owners.through, co_owners)
    changes, rounds, milestones = [], [], []
    for plan in plans:
        pk, owner = plan.project.pk, plan.project.owner_id
        changes += [StageChange(project_id=pk, from_stage=a, to_stage=b, at=at, reason=why, by_id=owner)
                    for a, b, at, why in plan.events]
        for r in plan.rounds:
            rounds.append((r, ReviewRound(project_id=pk, number=r.number, opened_by_id=owner, opened_at=r.opened_at,
                                          superseded_at=r.superseded_at)))
        for m in plan.milestones:
            m.project_id = pk
            milestones.append(m)
    insert(StageChange, changes)
    insert(ReviewRound, [row for _plan, row in rounds])
    insert(Milestone, milestones)
    requests = []
    for r, row in rounds:
        for q in r.requests:
            requests.append((q, ReviewRequest(
                round_id=row.pk, bureau_id=q.bureau, status=q.status, requested_at=q.requested_at, due_on=q.due_on,
                due_is_estimate=q.estimate, outcome=q.outcome, answered_at=q.answered_at)))
    insert(ReviewRequest, [row for _q, row in requests])
    opinions = []
    for q, row in requests:
        for o in q.opinions:
            opinions.append((o, Opinion(request_id=row.pk, version=o.version, outcome=o.outcome, reason=o.reason,
                                        reviewer_id=o.reviewer, submitted_at=o.at)))
    insert(Opinion, [row for _o, row in opinions])
    project_of_request = {}
    for plan in plans:
        for r in plan.rounds:
            for q in r.requests:
                project_of_request[id(q)] = plan
    conditions = []
    plan_of_opinion = {id(o): project_of_request[id(q)] for q, _row in requests for o in q.opinions}
    for o, row in opinions:
        if o.condition:
            conditions.append(_condition(ctx, plan_of_opinion[id(o)], o, row))
    insert(Condition, conditions)
    ctx.count("projects", len(projects))
    ctx.count("project co-owners", len(co_owners))
    ctx.count("stage changes", len(changes))
    ctx.count("review rounds", len(rounds))
    ctx.count("review requests", len(requests))
    ctx.count("opinions", len(opinions))
    ctx.count("conditions", len(conditions))
    ctx.count("milestones", len(milestones))


def _condition(ctx: Context, plan: ProjectPlan, o: OpinionPlan, opinion: Opinion) -> Condition:
    """A condition is closed (or, now and then, waived by a leader) before the project entered the stage it
    blocks; an amended opinion's condition is superseded; otherwise it is still open."""
    text, due, blocks = o.condition
    condition = Condition(opinion_id=opinion.pk, project_id=plan.project.pk, text=text, owner_id=plan.project.owner_id,
                          due_on=due, blocks_stage=blocks)
    entered = plan.reached_at.get(blocks)
    if o.superseded:
        condition.status = ConditionStatus.SUPERSEDED
    elif entered is not None:
        waived = ctx.rng.random() < 0.1
        condition.status = ConditionStatus.WAIVED if waived else ConditionStatus.CLOSED
        condition.resolved_by_id = ctx.rng.choice(ctx.leaders) if waived else plan.project.owner_id
        condition.resolved_at = max(o.at, entered - timedelta(days=ctx.rng.uniform(0, 10)))
        condition.resolution = "经领导研究同意豁免" if waived else "已提交相关批复文件"
    return condition


def seed_capital(ctx: Context) -> None:
    """Capital actually in place: 30,000 dated records (factor 1) on registered projects, bigger projects
    more often; foreign investors pay in US dollars at the rate of the day."""
    registered = ctx.store["registered_projects"]
    if not registered:
        return
    weights = [math.sqrt(float(r[3])) for r in registered]
    total = ctx.n(30_000)
    with explicit_timestamps(CapitalInPlace):
        for block in chunks(total):
            batch = []
            for project, since, foreign, investment, _enterprise in ctx.rng.choices(registered, weights, k=len(block)):
                span = max(0, (ctx.today - since).days)
                day = since + timedelta(days=ctx.rng.randint(0, span))
                amount = Decimal(round(max(1.0, float(investment) / 8 * ctx.rng.lognormvariate(0, 0.8)), 2))
                record = CapitalInPlace(project_id=project, date=day, recorded_by_id=ctx.officer(),
                                        recorded_at=ctx.at(day), note="")
                if foreign:
                    rate = Decimal(str(round(USD_CNY.get(day.year, 7.0) + ctx.rng.uniform(-0.08, 0.08), 4)))
                    usd = max(CENT, (amount / rate).quantize(CENT))
                    record.kind, record.amount_usd_wan, record.usd_cny_rate = CapitalKind.FOREIGN, usd, rate
                    record.cny_equivalent_wan = (usd * rate).quantize(CENT, rounding=ROUND_HALF_UP)
                else:
                    record.kind, record.amount_wan, record.cny_equivalent_wan = CapitalKind.DOMESTIC, amount, amount
                batch.append(record)
            insert(CapitalInPlace, batch)
            ctx.count("capital in place", len(batch))


def seed_talent_requests(ctx: Context) -> None:
    """Talent needs on one signed project in six, answered by the talent bureau unless recent."""
    if not ctx.talent_reviewers:
        return
    batch = []
    for project, contract_day, owner in ctx.store["signed_projects"]:
        if ctx.rng.random() >= 1 / 6:
            continue
        created = ctx.at(contract_day + timedelta(days=ctx.rng.randint(0, 60)))
        if created > ctx.now:
            continue
        talent = TalentRequest(project_id=project, kind=ctx.rng.choice(list(TalentKind)),
                               people=ctx.rng.randint(1, 40), description="核心团队人才落户及子女入学",
                               created_by_id=owner, created_at=created)
        answered = created + timedelta(days=ctx.rng.uniform(3, 40))
        if answered <= ctx.now:
            talent.status = ctx.pick([TalentStatus.GRANTED, TalentStatus.PARTLY, TalentStatus.DECLINED,
                                      TalentStatus.IN_PROGRESS], [60, 20, 10, 10])
            talent.answer, talent.answered_by_id, talent.answered_at = (
                "已按政策办理", ctx.rng.choice(ctx.talent_reviewers), answered)
        batch.append(talent)
    with explicit_timestamps(TalentRequest):
        insert(TalentRequest, batch)
    ctx.count("talent requests", len(batch))


def aftercare_targets(ctx: Context) -> list[tuple[int, object]]:
    """(enterprise, registration date) of every registered project: where aftercare visits go."""
    return [(enterprise, since) for _p, since, _f, _i, enterprise in ctx.store["registered_projects"]]

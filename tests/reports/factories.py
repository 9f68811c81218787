"""Builders for the statistics tests: dated milestones, capital, stage history and leads written directly, so
a test controls every date (the services stamp today's time on what they record).

``build_dataset`` is the hand-built data set of tests/reports/test_statistics.py; the figures it must give
are worked out by hand there.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from crm.choices import EnterpriseKind
from crm.models import Bureau, Industry, KeyIndustry
from leads.choices import LeadSource
from leads.models import Lead
from projects.choices import CapitalKind, MilestoneKind, RequestStatus, Stage
from projects.models import CapitalInPlace, Milestone, Project, ReviewRequest, ReviewRound, StageChange
from tests.factories import EnterpriseFactory
from tests.projects.factories import ProjectFactory

MILESTONE_STAGE = {MilestoneKind.CONTRACT: Stage.SIGNED, MilestoneKind.REGISTRATION: Stage.REGISTERED,
                   MilestoneKind.CONSTRUCTION: Stage.CONSTRUCTION, MilestoneKind.OPERATION: Stage.OPERATING}


def at(day: date, hour: int = 10) -> datetime:
    """A local (Asia/Shanghai) moment on a day."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def d(text: str) -> date:
    return date.fromisoformat(text)


def enterprise(name, *, kind=EnterpriseKind.DOMESTIC, province="", country="", industry="L", key=()):
    e = EnterpriseFactory(name=name, kind=kind, origin_province=province, origin_country=country,
                          industry=Industry.objects.get(code=industry))
    e.key_industries.set(KeyIndustry.objects.filter(code__in=key))
    return e


def project(code, ent, owner, *, industry="L", history=(), parent=None, relation="", **fields):
    """A project with its stage history: ``history`` is [(date, stage), ...], the first entry its creation."""
    p = ProjectFactory(code=code, name=f"项目{code}", enterprise=ent, owner=owner,
                       industry=Industry.objects.get(code=industry), parent=parent, relation=relation,
                       stage=history[-1][1] if history else Stage.NEGOTIATING, **fields)
    previous = ""
    for day, stage in history:
        change = StageChange.objects.create(project=p, from_stage=previous, to_stage=stage, by=owner,
                                            reason="测试" if stage in (Stage.PAUSED, Stage.TERMINATED) else "")
        StageChange.objects.filter(pk=change.pk).update(at=at(day))
        previous = stage
    if history:
        Project.objects.filter(pk=p.pk).update(created_at=at(history[0][0], 9))
    return p


def milestone(p, kind, day, amount=None, by=None):
    return Milestone.objects.create(project=p, kind=kind, date=day, recorded_by=by or p.owner,
                                    contract_amount_wan=Decimal(amount) if amount is not None else None,
                                    credit_code="91460200MA5T000000" if kind == MilestoneKind.REGISTRATION else "")


def domestic(p, day, amount):
    amount = Decimal(amount)
    return CapitalInPlace.objects.create(project=p, date=day, kind=CapitalKind.DOMESTIC, amount_wan=amount,
                                         cny_equivalent_wan=amount, recorded_by=p.owner)


def foreign(p, day, usd, rate):
    usd, rate = Decimal(usd), Decimal(rate)
    return CapitalInPlace.objects.create(project=p, date=day, kind=CapitalKind.FOREIGN, amount_usd_wan=usd,
                                         usd_cny_rate=rate, cny_equivalent_wan=(usd * rate).quantize(Decimal("0.01")),
                                         recorded_by=p.owner)


def lead(title, ent, owner, received, source, industry=None):
    return Lead.objects.create(
        title=title, enterprise=ent, owner=owner, source=source, received_on=received,
        first_response_due=received + timedelta(days=1), assessment_due=received + timedelta(days=3),
        industry=Industry.objects.get(code=industry) if industry else None)


def review(p, by, requested: datetime, answers: dict):
    """A review round on ``p``: answers maps bureau code -> (due date, answered datetime or None)."""
    number = p.review_rounds.count() + 1
    rnd = ReviewRound.objects.create(project=p, number=number, opened_by=by)
    for code, (due, answered) in answers.items():
        fields = ({"status": RequestStatus.ANSWERED, "outcome": "agree", "answered_at": answered} if answered
                  else {"status": RequestStatus.PENDING})
        ReviewRequest.objects.create(round=rnd, bureau=Bureau.objects.get(code=code), requested_at=requested,
                                     due_on=due, **fields)
    return rnd


@dataclass
class Dataset:
    officer: object
    other: object
    projects: dict
    leads: dict


def build_dataset(officer, other) -> Dataset:
    """Four enterprises, ten projects and eight leads over 2025 and 2026 (see test_statistics.py)."""
    e1 = enterprise("三亚统计测试旅游有限公司", province="海南省", industry="L", key=("tourism",))
    e2 = enterprise("广东统计测试制造有限公司", province="广东省", industry="C", key=("high-tech",))
    e3 = enterprise("新加坡统计测试酒店有限公司", kind=EnterpriseKind.FOREIGN, country="新加坡", industry="H",
                    key=("tourism",))
    e4 = enterprise("香港统计测试投资有限公司", kind=EnterpriseKind.HMT, country="中国香港", industry="J")
    N, R, S, G, C, OP, T = (Stage.NEGOTIATING, Stage.REVIEW, Stage.SIGNED, Stage.REGISTERED, Stage.CONSTRUCTION,
                           Stage.OPERATING, Stage.TERMINATED)
    p = {}
    p[1] = project("P1", e1, officer, industry="L", history=[
        (d("2025-01-10"), N), (d("2025-02-10"), R), (d("2025-03-10"), S), (d("2025-05-20"), G),
        (d("2026-02-15"), C)])
    milestone(p[1], MilestoneKind.CONTRACT, d("2025-03-10"), "5000")
    milestone(p[1], MilestoneKind.REGISTRATION, d("2025-05-20"))
    milestone(p[1], MilestoneKind.CONSTRUCTION, d("2026-02-15"))
    domestic(p[1], d("2025-06-01"), "1000")
    domestic(p[1], d("2026-03-01"), "2000")

    # Signed in December 2025, registered in January 2026.
    p[2] = project("P2", e2, other, industry="C", history=[
        (d("2025-09-01"), N), (d("2025-11-15"), R), (d("2025-12-18"), S), (d("2026-01-08"), G)])
    milestone(p[2], MilestoneKind.CONTRACT, d("2025-12-18"), "8000")
    milestone(p[2], MilestoneKind.REGISTRATION, d("2026-01-08"))
    domestic(p[2], d("2026-04-10"), "1500")

    # A foreign investor: capital in 万美元 at the rate of its day; the November payment is after the cut-off.
    p[3] = project("P3", e3, officer, industry="H", history=[
        (d("2026-01-20"), N), (d("2026-03-20"), R), (d("2026-04-20"), S), (d("2026-07-15"), G)])
    milestone(p[3], MilestoneKind.CONTRACT, d("2026-04-20"), "12000")
    milestone(p[3], MilestoneKind.REGISTRATION, d("2026-07-15"))
    foreign(p[3], d("2026-06-30"), "300", "7.1000")
    foreign(p[3], d("2026-11-05"), "100", "7.0500")
    review(p[3], officer, at(d("2026-03-20")), {"ndrc": (d("2026-03-27"), at(d("2026-03-25"), 15)),
                                                "ecology": (d("2026-03-27"), at(d("2026-04-01"), 15))})

    # Signed in 2026 and terminated later in 2026: the signing still counts.
    p[4] = project("P4", e2, officer, industry="C", history=[
        (d("2025-12-01"), N), (d("2026-01-10"), R), (d("2026-02-05"), S), (d("2026-08-01"), T)])
    milestone(p[4], MilestoneKind.CONTRACT, d("2026-02-05"), "3000")

    # A capital increase of P1: its own contract amount and capital count, it is not a new project.
    p[5] = project("P5", e1, other, industry="L", parent=p[1], relation=Project.Relation.CAPITAL_INCREASE,
                   history=[(d("2026-04-01"), N), (d("2026-04-20"), R), (d("2026-05-12"), S)])
    milestone(p[5], MilestoneKind.CONTRACT, d("2026-05-12"), "2000")
    domestic(p[5], d("2026-06-15"), "800")

    # A later phase of P3: a new signed project, but not a new landing.
    p[6] = project("P6", e3, officer, industry="H", parent=p[3], relation=Project.Relation.LATER_PHASE, history=[
        (d("2026-07-01"), N), (d("2026-08-01"), R), (d("2026-09-01"), S), (d("2026-09-20"), G)])
    milestone(p[6], MilestoneKind.CONTRACT, d("2026-09-01"), "4000")
    milestone(p[6], MilestoneKind.REGISTRATION, d("2026-09-20"))
    review(p[6], officer, at(d("2026-07-27")), {"ndrc": (d("2026-08-03"), at(d("2026-07-29"), 11))})

    p[7] = project("P7", e4, other, industry="J", history=[
        (d("2025-06-01"), N), (d("2025-06-15"), R), (d("2025-07-01"), S), (d("2025-08-01"), G),
        (d("2025-10-01"), C), (d("2026-06-01"), OP)])
    milestone(p[7], MilestoneKind.CONTRACT, d("2025-07-01"), "6000")
    milestone(p[7], MilestoneKind.REGISTRATION, d("2025-08-01"))
    milestone(p[7], MilestoneKind.CONSTRUCTION, d("2025-10-01"))
    milestone(p[7], MilestoneKind.OPERATION, d("2026-06-01"))
    foreign(p[7], d("2025-09-01"), "200", "7.2000")

    p[8] = project("P8", e1, officer, industry="L", history=[(d("2026-03-01"), N)])

    p[9] = project("P9", e2, other, industry="C", history=[(d("2025-11-01"), N), (d("2026-05-01"), R)])
    review(p[9], other, at(d("2026-05-06")), {"market": (d("2026-05-13"), None), "planning": (d("2026-11-20"), None)})

    # Signed in November 2025 (outside both January-October periods), never registered, no capital.
    p[10] = project("P10", e4, officer, industry="J", history=[
        (d("2025-11-05"), N), (d("2025-11-10"), R), (d("2025-11-20"), S)])
    milestone(p[10], MilestoneKind.CONTRACT, d("2025-11-20"), "1000")

    leads = {
        1: lead("L1", e1, officer, d("2026-01-05"), LeadSource.EVENT, industry="L"),
        2: lead("L2", e2, other, d("2026-03-12"), LeadSource.INTERMEDIARY),
        3: lead("L3", e3, officer, d("2026-06-01"), LeadSource.REFERRAL),
        4: lead("L4", e4, officer, d("2026-10-31"), LeadSource.INBOUND),
        5: lead("L5", e1, officer, d("2026-11-02"), LeadSource.EVENT),
        6: lead("L6", e1, officer, d("2025-02-01"), LeadSource.EVENT),
        7: lead("L7", e2, other, d("2025-09-15"), LeadSource.PROSPECTING),
        8: lead("L8", e2, officer, d("2025-11-20"), LeadSource.INBOUND),
    }
    return Dataset(officer=officer, other=other, projects=p, leads=leads)

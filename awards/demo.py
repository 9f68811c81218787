"""Demo awards: facts and applications in every state over the demo story's last two years (moved with it:
crm.demo.story_day), on the demo projects. Idempotent: an
application is found by its project code, policy key and beneficiary before it is created.

The two shipped policies (Sanya 2018 headquarters measures, Yunnan 2016 intermediary award) are loaded by the
awards data migration; this module only adds what depends on the demo projects (projects/demo.py runs first).
"""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from awards import services
from awards.models import ApplicationStatusChange, AwardApplication, AwardPolicy
from crm.demo import story_code, story_day, story_text, story_year
from crm.models import User
from leads.models import Introducer
from projects.models import Project

SANYA = "sanya-2018-headquarters"
YUNNAN = "yunnan-2016-intermediary"
SHANGHAI = ZoneInfo("Asia/Shanghai")

# project code → facts entered for awards: (name, year, amount 万元 or flag, source, dated)
FACTS = {
    "JY-2025-0002": [
        ("paid_in_registered_capital", None, 10000, "验资报告 琼信会验字〔2025〕0412号", "2025-05-28"),
        ("is_newly_settled", None, True, "三亚市总部企业认定通知书（三商务〔2025〕61号）", "2025-06-20"),
        ("is_international_organisation_hq", None, False, "三亚市总部企业认定通知书（三商务〔2025〕61号）",
         "2025-06-20"),
        ("local_fiscal_contribution", 2024, 0, "吉阳区税务局纳税证明（2024年度）", "2026-01-20"),
        ("local_fiscal_contribution", 2025, 600, "吉阳区税务局纳税证明（2025年度）", "2026-01-20"),
        ("rent", 2025, 200, "办公用房租赁合同及租金发票", "2026-01-15"),
        ("purchase_price", None, 0, "未购置办公用房（企业承诺函）", "2026-01-15"),
    ],
    "JY-2025-0005": [
        ("paid_in_registered_capital", None, 20000, "验资报告 琼中审验字〔2025〕0719号", "2025-07-18"),
        ("is_newly_settled", None, True, "三亚市总部企业认定通知书（三商务〔2025〕97号）", "2025-09-30"),
        ("is_international_organisation_hq", None, False, "三亚市总部企业认定通知书（三商务〔2025〕97号）",
         "2025-09-30"),
        ("local_fiscal_contribution", 2024, 0, "吉阳区税务局纳税证明（2024年度）", "2026-02-10"),
        ("local_fiscal_contribution", 2025, 900, "吉阳区税务局纳税证明（2025年度）", "2026-02-10"),
        ("rent", 2025, 150, "办公用房租赁合同及租金发票", "2026-02-05"),
        ("purchase_price", None, 0, "未购置办公用房（企业承诺函）", "2026-02-05"),
    ],
    "JY-2026-0001": [
        ("paid_in_registered_capital", None, 5000, "验资报告", "2026-06-18"),
        ("is_newly_settled", None, True, "企业自报（待认定）", "2026-06-18"),
        ("is_international_organisation_hq", None, False, "企业自报（待认定）", "2026-06-18"),
        ("local_fiscal_contribution", 2025, 0, "新设企业，2025年度无纳税记录", "2026-06-18"),
        ("rent", 2026, 80, "办公用房租赁合同", "2026-06-18"),
        ("purchase_price", None, 0, "未购置办公用房", "2026-06-18"),
    ],
}

# (project code, policy, beneficiary, introducer name, first award year, story)
APPLICATIONS = [
    ("JY-2025-0002", SANYA, "enterprise", None, 2025, "paid"),
    ("JY-2025-0005", SANYA, "enterprise", None, 2025, "notice"),
    ("JY-2026-0001", SANYA, "enterprise", None, 2026, "rejected"),
    ("JY-2026-0007", SANYA, "enterprise", None, 2026, "draft"),
    ("JY-2025-0003", YUNNAN, "introducer", "海南自贸港招商顾问有限公司", 2025, "submitted"),
    ("JY-2025-0004", YUNNAN, "introducer", "深圳湾商务咨询有限公司", 2025, "cancelled"),
]


def _d(text: str) -> date:
    return story_day(text)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def seed(out=print):
    projects = {p.code: p for p in Project.objects.filter(code__in=[story_code(a[0]) for a in APPLICATIONS])
                .select_related("owner", "enterprise")}
    if not projects:
        out("awards: no demo projects yet, nothing to add")
        return
    leader = User.objects.get(username="leader.chen")
    created = 0
    for code, facts in FACTS.items():
        project = projects.get(story_code(code))
        if project is None or project.award_facts.exists():
            continue
        for name, year, value, source, dated in facts:
            flag = value if isinstance(value, bool) else None
            amount = None if flag is not None else Decimal(value)
            services.award_fact_record(project=project, by=project.owner, name=name,
                                       year=story_year(year) if year else year, amount=amount,
                                       unit="万元" if amount is not None else "", flag=flag, source=story_text(source),
                                       as_of=_d(dated))
    for code, key, beneficiary, introducer_name, first_year, story in APPLICATIONS:
        project = projects.get(story_code(code))
        if project is None or AwardApplication.objects.filter(project=project, policy__key=key,
                                                              beneficiary=beneficiary).exists():
            continue
        introducer = Introducer.objects.filter(name=introducer_name).first() if introducer_name else None
        if introducer_name and introducer is None:
            continue
        STORIES[story](project, AwardPolicy.objects.get(key=key, is_current=True), beneficiary, introducer,
                       story_year(first_year), leader)
        created += 1
    out(f"awards: {created} demo applications")


def _create(project, policy, beneficiary, introducer, first_year, on: str):
    application = services.award_application_create(
        project=project, policy=policy, beneficiary=beneficiary, by=project.owner, introducer=introducer,
        introducer_is_public_servant=False if introducer else None, first_award_year=first_year)
    _backdate(application, "created_at", on)
    return application


def _submit(application, on: str):
    services.award_application_submit(application=application, by=application.project.owner)
    _backdate(application, "submitted_at", on)


def _approve(application, leader, on: str):
    services.award_application_approve(application=application, by=leader, today=_d(on))
    _backdate(application, "approved_at", on)


def _backdate(application, field: str, on: str) -> None:
    """Demo history happened on its own days: the stamp, and the move recorded with it."""
    stamp = _at(_d(on))
    AwardApplication.objects.filter(pk=application.pk).update(**{field: stamp, "computed_at": stamp})
    last = ApplicationStatusChange.objects.filter(application=application).order_by("-id").first()
    ApplicationStatusChange.objects.filter(pk=last.pk).update(at=stamp)


def _paid(project, policy, beneficiary, introducer, first_year, leader):
    application = _create(project, policy, beneficiary, introducer, first_year, "2026-02-26")
    _submit(application, "2026-02-27")
    _approve(application, leader, "2026-03-09")
    services.award_notices_close_sweep(today=_d("2026-03-16"))
    for number, instalment in enumerate(application.instalments.order_by("clause", "year", "number"), start=1):
        services.instalment_pay(instalment=instalment, by=leader, paid_on=_d("2026-04-10"),
                                reference=story_text(f"吉财拨〔2026〕{40 + number}号"))


def _notice(project, policy, beneficiary, introducer, first_year, leader):
    application = _create(project, policy, beneficiary, introducer, first_year, "2026-11-10")
    _submit(application, "2026-11-12")
    _approve(application, leader, "2026-11-24")


def _rejected(project, policy, beneficiary, introducer, first_year, leader):
    application = _create(project, policy, beneficiary, introducer, first_year, "2026-07-06")
    _submit(application, "2026-07-08")
    services.award_application_reject(application=application, by=leader,
                                      reason="尚未取得三亚市总部企业认定，不符合开办补助申报条件；认定后可重新申报。")
    _backdate(application, "updated_at", "2026-07-20")


def _draft(project, policy, beneficiary, introducer, first_year, leader):
    _create(project, policy, beneficiary, introducer, first_year, "2026-11-18")


def _submitted(project, policy, beneficiary, introducer, first_year, leader):
    application = _create(project, policy, beneficiary, introducer, first_year, "2026-11-16")
    _submit(application, "2026-11-19")


def _cancelled(project, policy, beneficiary, introducer, first_year, leader):
    application = _create(project, policy, beneficiary, introducer, first_year, "2026-07-01")
    _submit(application, "2026-07-03")
    _approve(application, leader, "2026-07-10")
    services.award_notices_close_sweep(today=_d("2026-07-17"))
    instalment = application.instalments.get()
    services.instalment_pay(instalment=instalment, by=leader, paid_on=_d("2026-08-05"),
                            reference=story_text("吉财拨〔2026〕97号"))
    services.award_application_cancel(
        application=application, by=leader, reason="经核查，引荐人与投资方存在关联关系，不符合中介奖励条件。",
        recovery_amount=instalment.amount, decided_on=_d("2026-10-21"))
    _backdate(application, "updated_at", "2026-10-21")


STORIES = {"paid": _paid, "notice": _notice, "rejected": _rejected, "draft": _draft, "submitted": _submitted,
           "cancelled": _cancelled}

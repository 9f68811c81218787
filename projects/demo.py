"""Demo data for the pipeline: projects in every stage over three years (the story of 2024-2026, moved to end
in the week seed_demo runs: crm.demo.story_day), review rounds with opinions (a disagree
then a new round, an amendment, conditions), milestones, capital in place and talent requests.

Everything goes through the services, so the demo obeys the same rules as the pages; afterwards the
timestamps of each step are set back to the day it "happened", so the district has more than a year of
history. Idempotent: a project whose code exists is left alone.
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from crm.calendar_days import calendar_overrides, due_date
from crm.demo import story_code, story_day, story_text
from crm.models import Bureau, Enterprise, Industry, User
from projects import services
from projects.choices import CapitalKind, MilestoneKind, Outcome, Stage
from projects.models import Area, Opinion, Project, ReviewRequest, ReviewRound, StageChange, TalentRequest

PDF = b"%PDF-1.4\n% demo document\n"
AGRI_PARK = "农产品加工园区"
CBD = "三亚中央商务区"


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _file(name: str) -> ContentFile:
    return ContentFile(PDF, name=name)


def _d(text: str) -> date:
    return story_day(text)


# code, name, enterprise, industry, area, total, fixed, foreign (万美元), land, output, tax, jobs, key,
# owner, co-owner, opened on, steps
PROJECTS = [
    ("JY-2024-0001", "海棠湾免税购物中心二期", "三亚海棠湾旅游发展有限公司", "F", None,
     36000, 30000, 0, 45, 80000, 3200, 600, True, "officer.wang", "", "2024-02-19", [
         ("round", "2024-03-18", {"talent": "agree", "ndrc": "agree", "ecology": "agree", "market": "agree",
                                  "planning": "agree"}),
         ("sign", "2024-05-21", 36000),
         ("register", "2024-06-17"),
         ("construction", "2024-08-12"),
         ("capital", "2024-09-27", "domestic", 15000),
         ("capital", "2025-03-28", "domestic", 12000),
         ("operation", "2025-06-30"),
     ]),
    ("JY-2024-0002", "游艇制造华南基地", "广州珠江游艇制造有限公司", "C", None,
     20000, 16000, 0, 60, 30000, 700, 260, False, "officer.li", "", "2024-04-08", [
         ("terminate", "2024-09-20", "选址涉及生态保护红线且无法调整，企业决定另选城市。"),
     ]),
    ("JY-2025-0001", "亚龙湾滨海度假酒店提升项目", "三亚亚龙湾度假酒店管理有限公司", "H", None,
     48000, 42000, 0, 60, 36000, 2400, 420, True, "officer.wang", "officer.li", "2025-01-08", [
         ("round", "2025-02-10", {"talent": "agree", "ndrc": "agree", "ecology": "agree", "market": "agree",
                                  "planning": "agree"}),
         ("sign", "2025-03-18", 45000),
         ("register", "2025-04-10"),
         ("construction", "2025-05-20"),
         ("capital", "2025-06-30", "domestic", 12000),
         ("capital", "2025-12-20", "domestic", 18000),
         ("operation", "2026-06-28"),
         ("capital", "2026-07-15", "domestic", 9000),
         ("talent", "2026-07-20", "settlement", 12, "酒店管理团队落户三亚", ("granted", "已办理12人人才落户手续")),
     ]),
    ("JY-2025-0002", "鹏程数字华南区域总部", "深圳鹏程数字科技股份有限公司", "I", None,
     15000, 1200, 0, 0, 60000, 1800, 260, True, "officer.li", "", "2025-02-14", [
         ("round", "2025-03-05", {"talent": "agree", "ndrc": "agree", "ecology": "agree", "market": "agree"}),
         ("sign", "2025-04-08", 15000),
         ("register", "2025-05-06"),
         ("capital", "2025-05-30", "domestic", 5000),
         ("capital", "2026-03-18", "domestic", 5000),
     ]),
    ("JY-2025-0003", "热带果蔬精深加工基地", "海南热带农业科技开发有限公司", "A", AGRI_PARK,
     22000, 19500, 0, 60, 30000, 720, 350, False, "officer.zhang", "officer.wang", "2025-03-03", [
         ("round", "2025-04-07", {"ndrc": "agree", "market": "agree", "planning": "agree",
                                  "ecology": ("disagree", "选址涉及临春河生态保护红线，请调整用地范围。")}),
         ("round", "2025-06-16", {"ndrc": "agree", "market": "agree", "planning": "agree",
                                  "ecology": ("agree_conditions", "调整选址后原则同意。",
                                              [("开工前取得环境影响评价批复", "2025-12-31", "construction")])}),
         ("sign", "2025-09-12", 21000),
         ("register", "2025-10-09"),
         ("close_conditions", "2025-12-15", "已取得三亚市生态环境局环评批复（三环审〔2025〕88号）"),
         ("construction", "2026-01-06"),
         ("capital", "2026-01-30", "domestic", 6000),
         ("capital", "2026-08-28", "domestic", 4500),
     ]),
    ("JY-2025-0004", "南洋国际酒店", "新加坡南洋酒店投资有限公司", "H", None,
     60000, 52000, 8000, 45, 28000, 2000, 380, True, "officer.huang", "", "2025-04-21", [
         ("round", "2025-06-02", {"talent": "agree", "ndrc": "agree", "ecology": "agree", "market": "agree",
                                  "planning": "agree"}),
         ("sign", "2025-11-06", 58000),
         ("register", "2026-01-12"),
         ("capital", "2026-02-10", "foreign", 1500, "7.0312"),
         ("construction", "2026-04-15"),
         ("capital", "2026-06-30", "foreign", 2500, "7.1586"),
         ("talent", "2026-05-10", "housing", 20, "外籍管理人员住房保障",
          ("partly", "可提供人才公寓10套，其余按租房补贴办理")),
     ]),
    ("JY-2025-0005", "浦江融资租赁华南总部", "上海浦江融资租赁有限公司", "J", None,
     30000, 800, 0, 0, 0, 3000, 80, True, "officer.fu", "officer.huang", "2025-05-12", [
         ("round", "2025-06-09", {"ndrc": "agree", "ecology": "agree", "market": "agree"}),
         ("amend", "2025-06-20", "ndrc", "agree_conditions", "补充意见：注册资本应于签约后一年内实缴到位。",
          [("注册资本实缴到位不少于2亿元", "2026-07-31", "registered")]),
         ("close_conditions", "2025-07-20", "注册资本已实缴2亿元（验资报告附后）"),
         ("sign", "2025-07-25", 30000),
         ("register", "2025-08-19"),
         ("capital", "2025-08-30", "domestic", 20000),
     ]),
    ("JY-2025-0006", "光谷生物医药中试基地", "武汉光谷生物医药有限公司", "C", None,
     26000, 21000, 0, 30, 40000, 900, 210, False, "officer.wang", "", "2025-08-04", [
         ("round", "2025-09-15", {"ndrc": "agree", "ecology": ("needs_material", "请补充危险废物处置方案。")}),
         ("pause", "2026-03-10", "企业融资计划调整，暂缓推进，2026年底再议。"),
     ]),
    ("JY-2025-0007", "北极光旅游服务中心", "俄罗斯北极光旅游有限公司", "L", None,
     3000, 500, 400, 0, 5000, 120, 40, False, "officer.li", "", "2025-06-18", [
         ("terminate", "2025-10-30", "受国际航线调整影响，投资方决定不在三亚设立服务中心。"),
     ]),
    ("JY-2026-0001", "莱茵医疗器械华南中心", "德国莱茵医疗技术有限公司", "C", None,
     35000, 28000, 4500, 25, 50000, 1500, 300, True, "officer.zhang", "", "2026-01-15", [
         ("round", "2026-02-12", {"talent": "agree", "ndrc": "agree", "ecology": "agree", "market": "agree",
                                  "planning": "agree"}),
         ("sign", "2026-05-08", 34000),
         ("register", "2026-06-03"),
         ("capital", "2026-06-20", "foreign", 2000, "7.1692"),
         ("talent", "2026-06-25", "schooling", 6, "外籍专家子女入读国际学校",
          ("in_progress", "正与三亚国际学校协调学位")),
     ]),
    ("JY-2026-0002", "维港商务总部大厦", "香港维港投资控股有限公司", "L", CBD,
     40000, 32000, 3000, 8, 20000, 1100, 150, True, "officer.huang", "officer.fu", "2026-07-06", [
         ("round", "2026-11-09", {"ndrc": "agree", "market": "agree", "ecology": None,
                                  "planning": ("needs_material", "请补充建筑方案及容积率测算。")}),
     ]),
    ("JY-2026-0003", "云栖跨境电商直播基地", "杭州云栖跨境电子商务有限公司", "F", None,
     5000, 600, 0, 0, 30000, 400, 120, False, "officer.fu", "", "2026-10-19", []),
    ("JY-2026-0004", "量子通信创新中心", "合肥量子通信技术有限公司", "I", None,
     18000, 14000, 0, 12, 25000, 600, 90, False, "officer.wang", "officer.zhang", "2026-09-01", [
         ("round", "2026-11-20", {"talent": None, "ndrc": "agree", "ecology": None, "market": None,
                                  "planning": None}),
     ]),
    ("JY-2026-0005", "南繁种业研发中心", "三亚南繁种业科技有限公司", "M", None,
     12000, 9000, 0, 20, 8000, 260, 110, False, "officer.li", "", "2026-03-09", [
         ("round", "2026-04-13", {"talent": "agree", "ndrc": "agree", "market": "agree", "planning": "agree",
                                  "ecology": ("agree_conditions", "原则同意。",
                                              [("投产前完成排污许可登记", "2027-06-30", "operating")])}),
         ("sign", "2026-08-18", 12000),
         ("talent", "2026-09-02", "settlement", 8, "育种科研人员落户", None),
     ]),
    ("JY-2026-0006", "海洋康养中心", "日本株式会社海洋健康", "Q", None,
     9000, 7000, 1200, 15, 6000, 300, 90, False, "officer.huang", "", "2026-06-15", [
         ("round", "2026-09-07", {"ndrc": ("disagree", "投资强度低于准入条件，建议提高固定资产投资或压缩用地。"),
                                  "ecology": "agree", "market": "agree", "planning": "agree"}),
     ]),
    ("JY-2026-0007", "中医药康养综合体", "中国中医药健康产业集团有限公司", "Q", None,
     52000, 46000, 0, 80, 30000, 1600, 500, True, "officer.zhang", "officer.li", "2026-01-05", [
         ("round", "2026-02-02", {"talent": "agree", "ndrc": "agree", "ecology": "agree", "market": "agree",
                                  "planning": "agree"}),
         ("sign", "2026-04-16", 50000),
         ("register", "2026-05-14"),
         ("construction", "2026-10-10"),
         ("capital", "2026-10-30", "domestic", 15000),
         ("talent", "2026-10-12", "subsidy", 30, "中医药专业人才引进补贴", ("granted", "按吉阳区人才政策给予安家补贴")),
     ]),
    ("JY-2026-0008", "彩云康养旅居社区", "昆明彩云康养产业有限公司", "Q", None,
     8000, 6500, 0, 40, 4000, 150, 60, False, "officer.fu", "", "2026-04-20", [
         ("pause", "2026-08-03", "企业暂停对外投资计划。"),
     ]),
    ("JY-2026-0009", "云顶滨海度假村", "马来西亚云顶度假村有限公司", "H", None,
     120000, 105000, 15000, 150, 60000, 5000, 900, True, "officer.wang", "officer.huang", "2026-08-10", [
         ("round", "2026-11-02", {"talent": "agree", "ndrc": None, "ecology": None, "market": "agree",
                                  "planning": None}),
     ]),
]


def seed(out=print):
    users = {u.username: u for u in User.objects.filter(username__contains=".")}
    if "officer.wang" not in users:
        out("projects: demo users missing (run the crm demo first)")
        return
    bureaus = {b.code: b for b in Bureau.objects.all()}
    reviewers = {u.bureau.code: u for u in User.objects.filter(role="reviewer").select_related("bureau")}
    leader = users["leader.chen"]
    created = 0
    for spec in PROJECTS:
        if Project.objects.filter(code=story_code(spec[0])).exists():
            continue
        _seed_project(spec, users, bureaus, reviewers, leader)
        created += 1
    out(f"projects: {Project.objects.count()} projects ({created} new)")


def _seed_project(spec, users, bureaus, reviewers, leader):
    (code, name, enterprise_name, industry, area, total, fixed, foreign, land, output, tax, jobs, key, owner,
     co_owner, opened, steps) = spec
    code = story_code(code)
    owner_user = users[owner]
    project = Project(
        code=code, name=name, enterprise=Enterprise.objects.get(name=enterprise_name),
        industry=Industry.objects.get(code=industry), area=Area.objects.filter(name=area).first() if area else None,
        total_investment_wan=Decimal(total), fixed_asset_investment_wan=Decimal(fixed),
        foreign_capital_usd_wan=Decimal(foreign), land_mu=Decimal(land), expected_output_wan=Decimal(output),
        expected_tax_wan=Decimal(tax), expected_jobs=jobs, is_key_project=key, owner=owner_user,
        created_by=owner_user, stage=Stage.NEGOTIATING)
    project.full_clean()
    project.save()
    if co_owner:
        project.co_owners.set([users[co_owner]])
    StageChange.objects.create(project=project, from_stage="", to_stage=Stage.NEGOTIATING, by=owner_user,
                               reason="项目立项")
    _backdate_project(project, _d(opened))
    for step in steps:
        _STEPS[step[0]](project, step[1:], owner_user, bureaus, reviewers, leader)


def _backdate_project(project, day):
    Project.objects.filter(pk=project.pk).update(created_at=_at(day, 9), stage_changed_at=_at(day, 9))
    StageChange.objects.filter(project=project).update(at=_at(day, 9))


def _last_move_on(project, day):
    last = StageChange.objects.filter(project=project).order_by("-id").first()
    StageChange.objects.filter(pk=last.pk).update(at=_at(day))
    Project.objects.filter(pk=project.pk).update(stage_changed_at=_at(day))


def _round(project, args, owner, bureaus, reviewers, leader):
    day, answers = _d(args[0]), args[1]
    project.refresh_from_db()
    review_round = services.review_round_open(project=project, by=owner, bureaus=[bureaus[c] for c in answers],
                                              note="请各部门在规定时限内出具会签意见。")
    ReviewRound.objects.filter(pk=review_round.pk).update(opened_at=_at(day))
    overrides = calendar_overrides()
    for request in review_round.requests.select_related("bureau"):
        due = due_date(start=day, working_days=request.bureau.review_due_working_days, overrides=overrides)
        ReviewRequest.objects.filter(pk=request.pk).update(requested_at=_at(day), due_on=due.due)
    _last_move_on(project, day)
    for offset, (bureau_code, answer) in enumerate(answers.items(), start=1):
        if answer is None:
            continue  # still pending
        # an answer is an outcome, or (outcome, reason) or (outcome, reason, conditions)
        outcome, reason, conditions = (answer, "", []) if isinstance(answer, str) else (*answer, [])[:3]
        request = review_round.requests.get(bureau__code=bureau_code)
        opinion = services.opinion_submit(request=request, by=reviewers[bureau_code], outcome=outcome,
                                          reason=reason, conditions=_conditions(conditions))
        _backdate_opinion(opinion, _d(args[0]).toordinal() + offset)
        if outcome == Outcome.DISAGREE:
            _last_move_on(project, date.fromordinal(day.toordinal() + offset))


def _conditions(rows):
    return [services.ConditionInput(text, _d(due), stage) for text, due, stage in rows]


def _backdate_opinion(opinion, ordinal):
    when = _at(date.fromordinal(ordinal), 15)
    Opinion.objects.filter(pk=opinion.pk).update(submitted_at=when)
    ReviewRequest.objects.filter(pk=opinion.request_id).update(answered_at=when)


def _amend(project, args, owner, bureaus, reviewers, leader):
    day, bureau_code, outcome, reason, conditions = args
    request = ReviewRequest.objects.filter(round__project=project, bureau__code=bureau_code).order_by("-id").first()
    opinion = services.opinion_amend(request=request, by=reviewers[bureau_code], outcome=outcome, reason=reason,
                                     conditions=_conditions(conditions))
    _backdate_opinion(opinion, _d(day).toordinal())


def _close_conditions(project, args, owner, bureaus, reviewers, leader):
    for condition in project.conditions.filter(status="open"):
        services.condition_close(condition=condition, by=owner, resolution=story_text(args[1]))
    project.conditions.update(resolved_at=_at(_d(args[0])))


def _milestone(kind):
    def step(project, args, owner, bureaus, reviewers, leader):
        day = _d(args[0])
        extra = {}
        if kind == MilestoneKind.CONTRACT:
            extra = {"contract_amount_wan": Decimal(args[1]), "contract_file": _file(f"{project.code}-合同.pdf")}
        services.milestone_record(project=project, kind=kind, by=owner, date=day, **extra)
        _last_move_on(project, day)
    return step


def _capital(project, args, owner, bureaus, reviewers, leader):
    day, kind, amount = _d(args[0]), args[1], Decimal(args[2])
    if kind == CapitalKind.FOREIGN:
        services.capital_record(project=project, by=owner, date=day, kind=kind, amount_usd_wan=amount,
                                usd_cny_rate=Decimal(args[3]), evidence=[_file(f"{project.code}-外资到账凭证.pdf")])
    else:
        services.capital_record(project=project, by=owner, date=day, kind=kind, amount_wan=amount,
                                evidence=[_file(f"{project.code}-银行回单.pdf")])


def _talent(project, args, owner, bureaus, reviewers, leader):
    day, kind, people, need, answer = args
    talent = services.talent_request_create(project=project, by=owner, kind=kind, people=people, description=need)
    TalentRequest.objects.filter(pk=talent.pk).update(created_at=_at(_d(day)))
    if answer:
        services.talent_request_answer(talent_request=talent, by=reviewers["talent"], status=answer[0],
                                       answer=answer[1])
        TalentRequest.objects.filter(pk=talent.pk).update(answered_at=_at(date.fromordinal(_d(day).toordinal() + 6)))


def _move(to):
    def step(project, args, owner, bureaus, reviewers, leader):
        project.refresh_from_db()
        services.project_change_stage(project=project, to=to, by=owner, reason=story_text(args[1]))
        _last_move_on(project, _d(args[0]))
    return step


_STEPS = {
    "round": _round,
    "amend": _amend,
    "close_conditions": _close_conditions,
    "sign": _milestone(MilestoneKind.CONTRACT),
    "register": _milestone(MilestoneKind.REGISTRATION),
    "construction": _milestone(MilestoneKind.CONSTRUCTION),
    "operation": _milestone(MilestoneKind.OPERATION),
    "capital": _capital,
    "talent": _talent,
    "pause": _move(Stage.PAUSED),
    "terminate": _move(Stage.TERMINATED),
}

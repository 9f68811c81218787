"""Demo data for aftercare: key enterprises with cadences and a visit history (some visits overdue), complaints
and requests in every state (one reopened), last year's annual checks of the foreign-invested enterprises
(the story moves with crm.demo.story_day), and the
association, chambers and representative offices with their contacts.

Records go through the services, so they obey the same rules as the pages; afterwards the dates of each step
are set back to the day it "happened". Idempotent: every record is found by a natural key first.
"""

from datetime import datetime, time

from django.utils import timezone

from aftercare import services
from aftercare.choices import Category, Channel, CheckResult, ComplaintKind, Satisfaction
from aftercare.models import Complaint, ComplianceCheck, KeyEnterprise, Organisation
from crm.calendar_days import due_date
from crm.choices import EnterpriseKind
from crm.demo import story_day, story_text, story_year
from crm.models import Bureau, Enterprise, User
from leads.choices import MeetingKind
from leads.models import MeetingLog
from leads.services import meeting_log_create


def _at(day: str, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(story_day(day), time(hour)))


# enterprise, service officer, cadence (months), designated on, visits (dates)
KEY_ENTERPRISES = [
    ("三亚亚龙湾度假酒店管理有限公司", "officer.wang", 3, "2025-03-01", ["2025-06-10", "2025-09-12", "2026-09-15"]),
    ("深圳鹏程数字科技股份有限公司", "officer.li", 3, "2025-05-10", ["2025-08-20", "2026-02-11", "2026-07-02"]),
    ("新加坡南洋酒店投资有限公司", "officer.wang", 6, "2025-04-01", ["2025-10-08", "2026-04-20"]),
    ("香港维港投资控股有限公司", "officer.zhang", 1, "2025-09-01", ["2026-09-30", "2026-11-03"]),
    ("三亚大小洞天免税品经营有限公司", "officer.huang", 2, "2025-07-01", ["2026-06-18"]),
    ("德国莱茵医疗技术有限公司", "officer.fu", 3, "2026-01-15", ["2026-03-20", "2026-06-25", "2026-09-28"]),
    ("海南自贸港国际会展有限公司", "officer.li", 12, "2025-02-01", ["2025-11-20"]),
]

# enterprise, kind, channel, category, bureau, subject, content, received on, working days,
# steps: [("answer", day, text), ("close", day, verdict), ("reopen", day, reason, bureau)]
COMPLAINTS = [
    ("三亚亚龙湾度假酒店管理有限公司", "request", "visit", "talent", "talent", "酒店管理团队子女入学",
     "外籍高管子女希望就近入读国际学校。", "2026-11-24", 10, []),
    ("深圳鹏程数字科技股份有限公司", "complaint", "call", "approval_delay", "ndrc", "技改项目备案迟迟未办",
     "二期技改项目备案材料提交已超过一个月仍未办结。", "2026-11-02", 5, []),
    ("新加坡南洋酒店投资有限公司", "request", "letter", "utilities", "planning", "酒店配套道路接驳",
     "酒店二期入口道路需与市政道路接驳，请协调规划条件。", "2026-11-09", 10,
     [("answer", "2026-11-18", "已核对控详规划，同意在东侧设置接驳口，企业可按程序报建。")]),
    ("香港维港投资控股有限公司", "complaint", "call", "permits", "market", "分支机构登记材料反复退回",
     "分支机构设立登记材料三次被退回，每次意见不同。", "2026-06-03", 5,
     [("answer", "2026-06-09", "已一次性告知所需材料并安排专人辅导，6月12日完成登记。"),
      ("close", "2026-06-15", "satisfied")]),
    ("三亚大小洞天免税品经营有限公司", "request", "visit", "land", "planning", "仓储用地选址",
     "希望在吉阳区内落实约20亩仓储物流用地。", "2026-03-10", 15,
     [("answer", "2026-03-27", "已提供两处备选地块及规划条件，请企业实地踏勘。"),
      ("close", "2026-04-02", "basically")]),
    ("德国莱茵医疗技术有限公司", "complaint", "letter", "policy_payment", "promotion", "落户奖励兑现延迟",
     "2025年度落户奖励已审核通过，但尚未拨付。", "2026-05-06", 10,
     [("answer", "2026-05-25", "资金已纳入本月拨付计划。"), ("close", "2026-05-28", "dissatisfied"),
      ("reopen", "2026-06-01", "企业认为拨付计划不明确，请明确到账时间。", "promotion"),
      ("answer", "2026-06-10", "奖励资金已于6月9日拨付到企业账户。"), ("close", "2026-06-12", "satisfied")]),
    ("海南自贸港国际会展有限公司", "complaint", "call", "utilities", "ecology", "展馆施工噪声投诉处理",
     "周边居民对夜间布展噪声投诉，希望明确夜间施工许可办理方式。", "2026-08-04", 5,
     [("answer", "2026-08-14", "已告知夜间施工许可办理流程。"), ("close", "2026-08-17", "dissatisfied"),
      ("reopen", "2026-08-19", "企业反映答复未涉及具体时限，请补充。", "ecology")]),
    ("三亚凤凰岛邮轮服务有限公司", "complaint", "visit", "permits", "market", "邮轮票务分公司证照变更",
     "分公司负责人变更登记办理时间过长。", "2026-09-07", 5,
     [("answer", "2026-09-18", "已完成变更登记。"), ("close", "2026-09-21", "dissatisfied")]),
    ("台湾宝岛精密科技股份有限公司", "request", "api", "talent", "talent", "台籍技术人员居住证办理",
     "12名台籍技术人员需办理居住证及社保。", "2026-10-20", 10,
     [("answer", "2026-10-29", "已开通绿色通道，企业可集中预约办理。")]),
]

# 2025 annual checks of foreign-invested enterprises: enterprise, result, findings, follow-up, due, done
CHECKS_2025 = [
    ("新加坡南洋酒店投资有限公司", "compliant", "", "", None, None),
    ("日本株式会社海洋健康", "compliant", "", "", None, None),
    ("德国莱茵医疗技术有限公司", "rectify", "外商投资信息年度报告逾期15天报送。", "督促企业补报并完善报送责任人。",
     "2026-05-31", ("2026-05-20", "企业已补报，明确财务总监为报送责任人。")),
    ("法国蔚蓝游艇俱乐部有限公司", "compliant", "", "", None, None),
    ("美国太平洋资本管理有限公司", "rectify", "实际经营范围超出登记范围（咨询服务）。",
     "督促企业办理经营范围变更登记。", "2026-12-31", None),
    ("韩国首尔美容医疗株式会社", "referred", "医疗美容执业许可过期仍在营业。",
     "已移交卫生健康部门依法处理，跟踪处理结果。", "2026-12-15", None),
    ("香港维港投资控股有限公司", "compliant", "", "", None, None),
    ("澳门濠江娱乐文化有限公司", "compliant", "", "", None, None),
    ("台湾宝岛精密科技股份有限公司", "compliant", "", "", None, None),
    ("香港东方航运有限公司", "compliant", "", "", None, None),
    ("马来西亚云顶度假村有限公司", "compliant", "", "", None, None),
]

# name, kind, country, address, notes, contacts (name, title, mobile, email)
ORGANISATIONS = [
    ("三亚市外商投资企业协会", "association", "", "三亚市吉阳区新风街",
     "全市外商投资企业的行业自律组织，每季度召开会员座谈会。",
     [("林国华", "秘书长", "13907550101", "fiea@sanya.example.cn"), ("陈小敏", "联络部主任", "13907550102", "")]),
    ("海南省新加坡商会", "chamber", "新加坡", "海口市龙华区滨海大道", "新加坡在琼企业的联络平台。",
     [("Tan Wei Ming", "会长", "13807560201", "tan@sgchamber.example.sg")]),
    ("三亚市香港商会", "chamber", "中国香港", "三亚市吉阳区迎宾路", "",
     [("黄志强", "常务副会长", "13907550301", "")]),
    ("德国工商大会（海南联络处）", "office", "德国", "海口市美兰区国兴大道", "德国企业赴琼投资的代表机构。",
     [("Anna Schmidt", "首席代表", "13807560401", "schmidt@ahk.example.de")]),
]


def seed(out=print):
    users = {u.username: u for u in User.objects.filter(username__contains=".")}
    if "leader.chen" not in users:
        out("aftercare: demo users missing (run the crm demo first)")
        return
    enterprises = {e.name: e for e in Enterprise.objects.all()}
    bureaus = {b.code: b for b in Bureau.objects.all()}
    reviewers = {u.bureau.code: u for u in User.objects.filter(role="reviewer").select_related("bureau")}
    leader = users["leader.chen"]
    keys = sum(_seed_key(spec, enterprises, users, leader) for spec in KEY_ENTERPRISES)
    complaints = sum(_seed_complaint(spec, enterprises, bureaus, users, reviewers, leader) for spec in COMPLAINTS)
    checks = sum(_seed_check(spec, enterprises, users) for spec in CHECKS_2025)
    organisations = sum(_seed_organisation(spec, users["officer.wang"]) for spec in ORGANISATIONS)
    out(f"aftercare: {keys} key enterprises, {complaints} complaints, {checks} annual checks, "
        f"{organisations} organisations (new)")


def _seed_key(spec, enterprises, users, leader) -> int:
    name, officer, cadence, designated, visits = spec
    enterprise = enterprises.get(name)
    if enterprise is None or KeyEnterprise.objects.filter(enterprise=enterprise).exists():
        return 0
    key = services.key_enterprise_designate(by=leader, enterprise=enterprise, officer=users[officer],
                                            cadence_months=cadence, reason="纳税和投资贡献突出，列入重点服务。")
    KeyEnterprise.objects.filter(pk=key.pk).update(designated_on=story_day(designated))
    for day in visits:
        if not MeetingLog.objects.filter(enterprise=enterprise, kind=MeetingKind.VISIT,
                                         occurred_at=_at(day, 15)).exists():
            meeting_log_create(by=users[officer], enterprise=enterprise, occurred_at=_at(day, 15),
                               kind=MeetingKind.VISIT, place="企业现场", discussion="走访了解企业经营情况和发展诉求。")
    return 1


def _seed_complaint(spec, enterprises, bureaus, users, reviewers, leader) -> int:
    (name, kind, channel, category, bureau, subject, content, received, days, steps) = spec
    enterprise = enterprises.get(name)
    if enterprise is None or Complaint.objects.filter(enterprise=enterprise, subject=subject).exists():
        return 0
    key = KeyEnterprise.objects.filter(enterprise=enterprise).select_related("officer").first()
    owner = key.officer if key else users["officer.wang"]
    complaint = services.complaint_register(
        by=owner, enterprise=enterprise, bureau=bureaus[bureau], kind=ComplaintKind(kind), channel=Channel(channel),
        category=Category(category), subject=subject, content=story_text(content),
        received_on=story_day(received),
        complainant=enterprise.contacts.values_list("name", flat=True).first() or "企业负责人")
    _backdate_cycle(complaint.current_cycle, received, days)
    for step in steps:
        cycle = Complaint.objects.get(pk=complaint.pk).current_cycle
        if step[0] == "answer":
            answerer = owner if cycle.bureau.code == "promotion" else reviewers[cycle.bureau.code]
            services.complaint_answer(complaint=complaint, by=answerer, answer=step[2])
            cycle.refresh_from_db()
            cycle.answered_at = _at(step[1], 16)
            cycle.answered_on_time = story_day(step[1]) <= cycle.due_on
            cycle.save(update_fields=["answered_at", "answered_on_time"])
        elif step[0] == "close":
            services.complaint_close(complaint=complaint, by=owner, satisfaction=Satisfaction(step[2]),
                                     note="电话回访企业负责人。")
            cycle.refresh_from_db()
            cycle.closed_at = _at(step[1], 11)
            cycle.save(update_fields=["closed_at"])
        else:
            new = services.complaint_reopen(complaint=complaint, by=leader, reason=step[2], bureau=bureaus[step[3]],
                                            due_working_days=5)
            _backdate_cycle(new, step[1], 5)
    return 1


def _backdate_cycle(cycle, day: str, days: int) -> None:
    """Set a handling's routing day and its due date as they were on the day it was routed."""
    start = story_day(day)
    due = due_date(start=start, working_days=days)
    cycle.routed_at, cycle.due_on, cycle.due_is_estimate = _at(day, 9), due.due, due.used_fallback
    cycle.save(update_fields=["routed_at", "due_on", "due_is_estimate"])


def _seed_check(spec, enterprises, users) -> int:
    name, result, findings, follow_up, due, done = spec
    enterprise = enterprises.get(name)
    if enterprise is None or enterprise.kind not in (EnterpriseKind.FOREIGN, EnterpriseKind.HMT) \
            or ComplianceCheck.objects.filter(enterprise=enterprise, year=story_year(2025)).exists():
        return 0
    officer = users["officer.fu"]
    check = services.compliance_check_record(
        by=officer, enterprise=enterprise, year=story_year(2025), checked_on=story_day("2026-03-16"),
        result=CheckResult(result),
        findings=findings, follow_up=follow_up, follow_up_due=story_day(due) if due else None)
    if done:
        services.compliance_check_close_follow_up(check=check, by=officer, done_on=story_day(done[0]),
                                                  note=done[1])
    return 1


def _seed_organisation(spec, officer) -> int:
    name, kind, country, address, notes, contacts = spec
    if Organisation.objects.filter(name=name).exists():
        return 0
    organisation = services.organisation_save(by=officer, name=name, kind=kind, country=country, address=address,
                                              notes=notes)
    for contact_name, title, mobile, email in contacts:
        services.organisation_contact_add(by=officer, organisation=organisation, name=contact_name, title=title,
                                          mobile=mobile, email=email)
    return 1

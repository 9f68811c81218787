"""Demo data for leads: introducers, promotion events, leads over 2025 and 2026 with meetings, follow-ups and
status changes, so the work pages, clocks and timelines look like a district at work.

Idempotent: events by name, introducers by name, leads by (enterprise, title), meetings by (enterprise, time),
follow-ups by (lead, title, due date). Dates are relative to today, so the demo stays alive.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from crm.models import Enterprise, User
from leads import services
from leads.choices import (
    EventKind,
    FollowUpStatus,
    IntroducerKind,
    LeadSource,
    LeadStatus,
    MeetingKind,
)
from leads.models import FollowUp, Introducer, Lead, LeadStatusChange, MeetingLog, PromotionEvent

OFFICERS = ["officer.wang", "officer.li", "officer.zhang", "officer.huang", "officer.fu"]

# name, kind, days before today it started, length in days, city, organiser
EVENTS = [
    ("2025海南自贸港招商推介会（上海站）", EventKind.PROMOTION, 620, 1, "上海", "海南省商务厅"),
    ("2025中国国际消费品博览会", EventKind.EXPO, 570, 5, "海口", "商务部、海南省人民政府"),
    ("吉阳区赴粤港澳大湾区招商考察", EventKind.TOUR, 480, 4, "深圳", "吉阳区投资促进局"),
    ("2025博鳌亚洲论坛吉阳专场座谈会", EventKind.SYMPOSIUM, 410, 1, "琼海", "吉阳区人民政府"),
    ("吉阳区现代服务业线上推介会", EventKind.ONLINE, 300, 1, "线上", "吉阳区投资促进局"),
    ("2026海南自贸港招商推介会（北京站）", EventKind.PROMOTION, 200, 1, "北京", "海南省商务厅"),
    ("2026中国国际消费品博览会", EventKind.EXPO, 210, 5, "海口", "商务部、海南省人民政府"),
    ("吉阳区康养旅游产业座谈会", EventKind.SYMPOSIUM, 60, 1, "三亚", "吉阳区投资促进局"),
    ("2026吉阳区总部经济推介会（杭州站）", EventKind.PROMOTION, -12, 1, "杭州", "吉阳区人民政府"),
    ("2027年新春招商恳谈会", EventKind.SYMPOSIUM, -45, 1, "三亚", "吉阳区投资促进局"),
]

INTRODUCERS = [
    ("海南自贸港招商顾问有限公司", IntroducerKind.ORGANISATION, "91460000MA5T8K2L3X", "何经理 13907560001"),
    ("深圳湾商务咨询有限公司", IntroducerKind.ORGANISATION, "", "陈总 13823450002"),
    ("李建华", IntroducerKind.PERSON, "", "13876540003"),
]

PROJECT_WORDS = ["区域总部", "度假酒店", "数字产业园", "研发中心", "冷链物流基地", "康养综合体", "跨境电商中心",
                 "游艇服务基地", "融资租赁公司", "育种基地"]
DISCUSSIONS = [
    ("介绍吉阳区产业政策和自贸港税收优惠，企业对设立区域总部有浓厚兴趣。", "希望明确企业所得税15%优惠的适用条件",
     "整理政策汇编并约请税务部门解读"),
    ("陪同企业考察备选地块，讨论用地规模和规划条件。", "需要约50亩商业用地，希望尽快明确控规指标",
     "对接资规分局确认地块控详规划"),
    ("视频会议沟通项目投资计划和时间表。", "关注人才落户和子女入学政策", "协调人才局答复人才诉求"),
    ("在推介会现场洽谈，企业高管了解吉阳区营商环境。", "希望提供办公场地过渡方案", "提供楼宇招商清单"),
    ("企业来访，汇报项目可研进展。", "希望加快会签流程", "准备会商材料"),
]


def _local(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed(out=print):
    today = timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=[*OFFICERS, "leader.chen"])}
    officers = [users[name] for name in OFFICERS if name in users]
    if not officers:
        out("leads: no demo officers; run the crm seed first")
        return
    leader = users.get("leader.chen", officers[0])

    events = []
    for name, kind, days_ago, length, city, organiser in EVENTS:
        starts = today - timedelta(days=days_ago)
        event = PromotionEvent.objects.filter(name=name).first()
        if event is None:
            event = services.event_create(by=leader, name=name, kind=kind, starts_on=starts,
                                          ends_on=starts + timedelta(days=length - 1), city=city,
                                          organiser=organiser, attendees=officers[:2 + len(events) % 3])
        events.append(event)
    past_events = [e for e in events if e.starts_on <= today]

    introducers = []
    for name, kind, id_number, contact in INTRODUCERS:
        introducer = Introducer.objects.filter(name=name).first() or services.introducer_create(
            by=leader, name=name, kind=kind, id_number=id_number, contact=contact,
            registered_at=today - timedelta(days=500))
        introducers.append(introducer)

    created = 0
    enterprises = list(Enterprise.objects.filter(created_by__isnull=False).select_related("industry")
                       .order_by("pk")[:44])
    for index, enterprise in enumerate(enterprises):
        rng = random.Random(index * 31)
        title = f"{enterprise.name[:6]}{PROJECT_WORDS[index % len(PROJECT_WORDS)]}项目"
        if Lead.objects.filter(enterprise=enterprise, title=title).exists():
            continue
        # Spread arrivals over the last 23 months, a handful in the last few days (their clocks are running).
        days_ago = [1, 0, 2, 3, 5][index] if index < 5 else 20 + (index * 37) % 680
        received = today - timedelta(days=days_ago)
        owner = officers[index % len(officers)]
        source = list(LeadSource)[index % len(LeadSource)]
        lead = services.lead_create(
            by=owner, enterprise=enterprise, title=title, source=source, owner=owner, received_on=received,
            source_event=past_events[index % len(past_events)] if source == LeadSource.EVENT else None,
            introducer=introducers[index % 3] if source in (LeadSource.INTERMEDIARY, LeadSource.REFERRAL) else None,
            intended_investment_wan=Decimal(rng.choice([800, 2000, 5000, 12000, 30000, 50000, 150000])),
            industry=enterprise.industry, co_owners=[officers[(index + 1) % len(officers)]] if index % 4 == 0 else (),
            notes="", check_duplicates=False)
        created += 1
        _backdate(lead, received)
        if index < 3:
            continue  # brand new: nobody has answered yet
        _meetings(lead, owner, received, today, rng, index)
        _status(lead, owner, received, index)
    out(f"leads: {Lead.objects.count()} leads ({created} new), {PromotionEvent.objects.count()} events, "
        f"{MeetingLog.objects.count()} meetings, {FollowUp.objects.filter(status=FollowUpStatus.OPEN).count()} "
        "open follow-ups")


def _backdate(lead, received):
    """Date the record as the day it arrived, so timelines read like history."""
    stamp = _local(received, 9)
    Lead.objects.filter(pk=lead.pk).update(created_at=stamp, status_changed_at=stamp)
    LeadStatusChange.objects.filter(lead=lead).update(changed_at=stamp)


def _meetings(lead, owner, received, today, rng, index):
    span = max((today - received).days, 1)
    count = 1 + index % 3
    for n in range(count):
        day = received + timedelta(days=min(span, 1 + n * max(span // count, 1)))
        if day > today:
            day = today
        occurred = _local(day, 10 + n)
        if occurred > timezone.now():
            occurred = timezone.now() - timedelta(hours=1)
        discussion, demands, next_steps = DISCUSSIONS[(index + n) % len(DISCUSSIONS)]
        last = n == count - 1
        # The last meeting of a lead sets a follow-up: some due today, some overdue, some in the coming days.
        due = None
        if last:
            due = max(timezone.localdate(occurred), today + timedelta(days=(index % 7) - 2))
        meeting, follow_up = services.meeting_log_create(
            by=owner, enterprise=lead.enterprise, lead=lead, kind=list(MeetingKind)[(index + n) % 4],
            occurred_at=occurred, place=rng.choice(["吉阳区政府会议室", "企业总部", "备选地块现场", "视频会议"]),
            our_attendees=[owner], their_attendees=list(lead.enterprise.contacts.all()[:1]), discussion=discussion,
            demands=demands, next_steps=next_steps, follow_up_title=next_steps if last else "",
            follow_up_due=due)
        MeetingLog.objects.filter(pk=meeting.pk).update(created_at=occurred)
        if not last:
            FollowUp.objects.create(title=next_steps, due_on=timezone.localdate(occurred) + timedelta(days=3),
                                    owner=owner, enterprise=lead.enterprise, lead=lead, meeting=meeting,
                                    status=FollowUpStatus.DONE, closed_at=occurred + timedelta(days=3),
                                    created_by=owner)
    LeadStatusChange.objects.filter(lead=lead, new_status=LeadStatus.FOLLOWING).update(
        changed_at=_local(received + timedelta(days=1), 11))
    Lead.objects.filter(pk=lead.pk).update(first_responded_on=F("first_response_due"))


def _status(lead, owner, received, index):
    if index % 9 == 4:
        services.lead_record_assessment(lead=lead, by=owner, assessment="投资意向真实，资金实力较强，建议重点跟进。")
    if index % 11 == 6:
        services.lead_set_status(lead=lead, to=LeadStatus.SHELVED, by=owner,
                                 reason="企业因集团战略调整暂缓对外投资，半年后回访。")
    elif index % 13 == 8:
        services.lead_set_status(lead=lead, to=LeadStatus.INVALID, by=owner,
                                 reason="经核实为中介虚报的投资意向，企业无实际投资计划。")
    elif index % 2 == 1:
        Lead.objects.filter(pk=lead.pk).update(assessed_on=F("assessment_due"),
                                               assessment="项目符合区域产业规划，进入深度洽谈。")

"""Leads at scale: introducers, promotion events, 50,000 leads with consistent status histories and clocks,
200,000 meeting logs and their follow-ups (factor 1)."""

from __future__ import annotations

import bisect
from datetime import timedelta
from decimal import Decimal

from leads.choices import EventKind, FollowUpStatus, IntroducerKind, LeadSource, LeadStatus, MeetingKind
from leads.models import (
    FollowUp,
    Introducer,
    Lead,
    LeadStatusChange,
    MeetingLog,
    PromotionEvent,
    ResponseClockRule,
)
from tooling.scale.common import Context, chunks, explicit_timestamps, insert

SOURCES = [LeadSource.EVENT, LeadSource.INTERMEDIARY, LeadSource.REFERRAL, LeadSource.ASSIGNED,
           LeadSource.PROSPECTING, LeadSource.INBOUND]
SOURCE_WEIGHTS = [25, 15, 15, 10, 25, 10]
CITIES = ["北京", "上海", "深圳", "广州", "杭州", "成都", "香港", "新加坡", "海口", "三亚", "武汉", "南京"]
LEAD_WORDS = ["区域总部", "度假酒店", "数字产业园", "免税商业综合体", "康养社区", "游艇码头", "研发中心",
              "跨境结算中心", "文旅演艺", "冷链仓储", "国际学校", "医美诊所", "会展中心", "种业基地", "融资租赁平台"]
SHELVE_REASONS = ["投资方资金链紧张，暂缓", "选址未谈拢，企业转向他处", "企业内部战略调整", "用地指标暂不具备"]
INVALID_REASONS = ["重复线索", "企业无真实投资意向", "联系方式失效", "不符合产业导向"]
DISCUSSIONS = ["介绍吉阳区营商环境和产业政策，企业表达投资意向。", "企业询问用地指标、税收优惠和人才政策。",
               "实地考察拟选地块，讨论项目规模和建设周期。", "对接投资协议条款，明确双方权利义务。",
               "走访落地企业，了解经营情况和困难诉求。", "电话沟通项目进展，约定下次面谈时间。"]
DEMANDS = ["", "", "希望协调用地指标", "希望享受人才落户政策", "希望加快审批", "希望协调办公场地租金补贴"]


def _status_for_age(ctx: Context, age_days: int) -> str:
    """Young leads are still being worked; old ones were mostly shelved, some converted, few still open."""
    if age_days < 45:
        return ctx.pick([LeadStatus.NEW, LeadStatus.FOLLOWING, LeadStatus.INVALID], [45, 50, 5])
    if age_days < 365:
        return ctx.pick([LeadStatus.NEW, LeadStatus.FOLLOWING, LeadStatus.CONVERTED, LeadStatus.SHELVED,
                         LeadStatus.INVALID], [4, 40, 18, 28, 10])
    return ctx.pick([LeadStatus.FOLLOWING, LeadStatus.CONVERTED, LeadStatus.SHELVED, LeadStatus.INVALID],
                    [6, 22, 52, 20])


def seed_introducers_and_events(ctx: Context) -> None:
    """1,500 introducers and 400 promotion events at factor 1, events spread over the ten years."""
    with explicit_timestamps(Introducer, PromotionEvent):
        introducers = insert(Introducer, [
            Introducer(name=f"{ctx.rng.choice(CITIES)}招商顾问{i:05d}", kind=ctx.pick(
                [IntroducerKind.ORGANISATION, IntroducerKind.PERSON], [60, 40]),
                contact=f"139{ctx.rng.randint(10000000, 99999999)}",
                registered_at=(day := ctx.day_in_window()), created_at=ctx.at(day))
            for i in range(ctx.n(1_500, 2))
        ])
        events = []
        for i in range(ctx.n(400, 2)):
            starts = ctx.day_in_window()
            events.append(PromotionEvent(
                name=f"{starts.year}年{ctx.rng.choice(CITIES)}海南自贸港招商推介会第{i + 1}场",
                kind=ctx.pick(list(EventKind), [40, 20, 20, 15, 5]), starts_on=starts,
                ends_on=starts + timedelta(days=ctx.rng.randint(0, 2)), city=ctx.rng.choice(CITIES),
                organiser="吉阳区投资促进局", created_by_id=ctx.officer(),
                created_at=ctx.at(starts - timedelta(days=20))))
        insert(PromotionEvent, events)
    attendees = [PromotionEvent.attendees.through(promotionevent_id=e.pk, user_id=officer)
                 for e in events for officer in set(ctx.rng.choices(ctx.officers, k=ctx.rng.randint(1, 3)))]
    insert(PromotionEvent.attendees.through, attendees)
    events.sort(key=lambda e: e.starts_on)
    ctx.store.update(introducers=[i.pk for i in introducers], event_days=[e.starts_on for e in events],
                     event_ids=[e.pk for e in events])
    ctx.count("introducers", len(introducers))
    ctx.count("promotion events", len(events))


def _after(previous, moment):
    """A status change never precedes the one before it (same-day moves keep their order)."""
    return moment if moment > previous else previous + timedelta(minutes=30)


def _clock_rules() -> list[tuple[Decimal, int, int]]:
    rules = list(ResponseClockRule.objects.order_by("min_investment_wan").values_list(
        "min_investment_wan", "first_response_working_days", "assessment_working_days"))
    return rules or [(Decimal(0), 1, 3)]


def _event_before(ctx: Context, day) -> int | None:
    """The latest promotion event that started up to half a year before ``day``, if any."""
    days = ctx.store["event_days"]
    index = bisect.bisect_right(days, day) - 1
    if index < 0 or (day - days[index]).days > 180:
        return None
    return ctx.store["event_ids"][index]


def seed_leads(ctx: Context) -> None:
    """Leads whose status, status history, clocks and reasons agree with each other and with their age."""
    rules = _clock_rules()
    thresholds = [r[0] for r in rules]
    with_code, prospects = ctx.store["enterprises_with_code"], ctx.store["prospects"]
    industry_of = ctx.store["enterprise_industry"]
    introducers = ctx.store["introducers"]
    total = ctx.n(50_000, 5)
    # (id, enterprise, owner, received_on, status, investment, industry, introducer, status changed at) per lead
    leads: list[tuple] = []
    with explicit_timestamps(Lead, LeadStatusChange):
        for block in chunks(total):
            batch, histories = [], []
            for _i in block:
                received = ctx.day_in_window()
                status = _status_for_age(ctx, (ctx.today - received).days)
                # A lead that became a project needs an enterprise with a credit code (registration needs one).
                pool = with_code if status == LeadStatus.CONVERTED or not prospects or ctx.rng.random() < 0.8 \
                    else prospects
                enterprise = ctx.rng.choice(pool)
                investment = Decimal(round(ctx.skewed_amount(6000, 1.3, 50, 5_000_000), 2))
                rule = rules[max(0, bisect.bisect_right(thresholds, investment) - 1)]
                source = ctx.pick(SOURCES, SOURCE_WEIGHTS)
                owner = ctx.officer()
                created = ctx.at(received)
                history = [("", LeadStatus.NEW, created, "")]
                responded = assessed = None
                assessment = reason = ""
                if status != LeadStatus.NEW:
                    delay = ctx.pick([0, 1, 2, 4, 8], [30, 40, 15, 10, 5])
                    responded = min(ctx.today, received + timedelta(days=delay))
                    followed = _after(history[-1][2], ctx.at(responded))
                    history.append((LeadStatus.NEW, LeadStatus.FOLLOWING, followed, ""))
                if status in (LeadStatus.CONVERTED, LeadStatus.SHELVED, LeadStatus.INVALID) or (
                        status == LeadStatus.FOLLOWING and ctx.rng.random() < 0.6):
                    assessed = min(ctx.today, responded + timedelta(days=ctx.rng.randint(1, 12)))
                    assessment = "项目符合区域产业导向，建议继续跟进。"
                if status in (LeadStatus.CONVERTED, LeadStatus.SHELVED, LeadStatus.INVALID):
                    decided = min(ctx.today, assessed + timedelta(days=int(ctx.skewed_amount(60, 0.9, 1, 700))))
                    reason = ctx.rng.choice(SHELVE_REASONS if status == LeadStatus.SHELVED else INVALID_REASONS) \
                        if status != LeadStatus.CONVERTED else ""
                    history.append((LeadStatus.FOLLOWING, status, _after(history[-1][2], ctx.at(decided)), reason))
                changed_at = history[-1][2]
                lead = Lead(
                    enterprise_id=enterprise, title=f"{ctx.rng.choice(LEAD_WORDS)}项目", source=source,
                    source_event_id=_event_before(ctx, received) if source == LeadSource.EVENT else None,
                    introducer_id=(ctx.rng.choice(introducers) if source == LeadSource.INTERMEDIARY
                                   and ctx.rng.random() < 0.8 else None),
                    intended_investment_wan=investment, industry_id=industry_of[enterprise], owner_id=owner,
                    status=status, status_reason=reason, status_changed_at=changed_at,
                    received_on=received, first_response_due=ctx.calendar.add(received, rule[1]),
                    first_responded_on=responded, assessment_due=ctx.calendar.add(received, rule[2]),
                    assessed_on=assessed, assessment=assessment, created_by_id=owner, created_at=created,
                    updated_at=changed_at,
                )
                batch.append(lead)
                histories.append(history)
            insert(Lead, batch)
            changes = []
            for lead, history in zip(batch, histories, strict=True):
                leads.append((lead.pk, lead.enterprise_id, lead.owner_id, lead.received_on, lead.status,
                              lead.intended_investment_wan, lead.industry_id, lead.introducer_id,
                              lead.status_changed_at))
                changes += [LeadStatusChange(lead_id=lead.pk, old_status=old, new_status=new, reason=why,
                                             changed_by_id=lead.owner_id, changed_at=at)
                            for old, new, at, why in history]
            insert(LeadStatusChange, changes)
            ctx.count("leads", len(batch))
            ctx.count("lead status changes", len(changes))
    ctx.store["leads"] = leads


def seed_meetings(ctx: Context, aftercare_enterprises: list[tuple[int, object]] | None = None) -> None:
    """Meeting logs: most on a lead while it is worked (busier leads get more), the rest aftercare visits to
    enterprises whose projects registered; a follow-up is agreed at three meetings in ten."""
    leads = ctx.store["leads"]
    contacts_of = ctx.store["contacts_of"]
    total = ctx.n(200_000, 10)
    aftercare = aftercare_enterprises or []
    on_leads = total if not aftercare else round(total * 0.85)
    weights = [3 if lead[4] in (LeadStatus.FOLLOWING, LeadStatus.CONVERTED) else 1 for lead in leads]
    targets = [("lead", lead) for lead in ctx.rng.choices(leads, weights=weights, k=on_leads)]
    targets += [("aftercare", visit) for visit in ctx.rng.choices(aftercare, k=total - on_leads)] if aftercare else []
    with explicit_timestamps(MeetingLog, FollowUp):
        for block in chunks(len(targets)):
            meetings, owners = [], []
            for i in block:
                what, target = targets[i]
                if what == "lead":
                    lead_id, enterprise, owner, received, status, *_rest, last_change = target
                    start = received
                    end = last_change.date() if status not in (LeadStatus.NEW, LeadStatus.FOLLOWING) else ctx.today
                else:
                    lead_id, owner = None, ctx.officer()
                    enterprise, start = target
                    end = ctx.today
                span = max(0, (min(end, ctx.today) - start).days)
                day = start + timedelta(days=int(ctx.rng.triangular(0, span, 0)) if span else 0)
                occurred = min(ctx.now, ctx.at(day))
                meetings.append(MeetingLog(
                    kind=ctx.pick(list(MeetingKind), [45, 25, 25, 5]), occurred_at=occurred,
                    place=ctx.pick(["吉阳区政府会议室", "企业办公室", "项目选址现场", "线上会议"], [40, 30, 20, 10]),
                    enterprise_id=enterprise, lead_id=lead_id, discussion=ctx.rng.choice(DISCUSSIONS),
                    demands=ctx.rng.choice(DEMANDS), next_steps="整理材料，约定下次对接",
                    created_by_id=owner, created_at=occurred, updated_at=occurred))
                owners.append(owner)
            insert(MeetingLog, meetings)
            ours, theirs, follow_ups = [], [], []
            for meeting, owner in zip(meetings, owners, strict=True):
                people = {owner} | ({ctx.officer()} if ctx.rng.random() < 0.2 else set())
                ours += [MeetingLog.our_attendees.through(meetinglog_id=meeting.pk, user_id=u) for u in people]
                contacts = contacts_of.get(meeting.enterprise_id)
                if contacts and ctx.rng.random() < 0.6:
                    theirs.append(MeetingLog.their_attendees.through(meetinglog_id=meeting.pk,
                                                                     contact_id=ctx.rng.choice(contacts)))
                if ctx.rng.random() < 0.3:
                    follow_ups.append(_follow_up(ctx, meeting, owner))
            insert(MeetingLog.our_attendees.through, ours)
            insert(MeetingLog.their_attendees.through, theirs)
            insert(FollowUp, follow_ups)
            ctx.count("meeting logs", len(meetings))
            ctx.count("meeting attendees", len(ours) + len(theirs))
            ctx.count("follow-ups", len(follow_ups))


def _follow_up(ctx: Context, meeting: MeetingLog, owner: int) -> FollowUp:
    """The next step agreed at a meeting: open while it is not yet due; afterwards mostly done."""
    due = meeting.occurred_at.date() + timedelta(days=ctx.rng.randint(3, 30))
    status = FollowUpStatus.OPEN
    closed = None
    if due < ctx.today:
        status = ctx.pick([FollowUpStatus.DONE, FollowUpStatus.CANCELLED, FollowUpStatus.OPEN], [82, 8, 10])
        if status != FollowUpStatus.OPEN:
            closed = min(ctx.now, ctx.at(due))
    return FollowUp(
        title="发送政策材料并确认下次面谈时间", due_on=due, owner_id=owner, status=status,
        enterprise_id=meeting.enterprise_id, lead_id=meeting.lead_id, meeting_id=meeting.pk, closed_at=closed,
        closing_note="已完成" if status == FollowUpStatus.DONE else "", created_by_id=owner,
        created_at=meeting.occurred_at)

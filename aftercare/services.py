"""Every change to aftercare records. Views, the API and the reminder task call these keyword-only functions;
none takes a request. The complaint machine (choices.COMPLAINT_MOVES), the routing rule (only the bureau a
complaint is routed to answers it) and the working-day due dates are enforced here and only here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.access import can_handle_complaint
from aftercare.choices import (
    COMPLAINT_MOVES,
    DEFAULT_DUE_WORKING_DAYS,
    Cadence,
    Channel,
    CheckResult,
    ComplaintKind,
    ComplaintStatus,
    FollowUpState,
    Satisfaction,
)
from aftercare.models import (
    Complaint,
    ComplaintCycle,
    ComplianceCheck,
    KeyEnterprise,
    Organisation,
    OrganisationContact,
)
from crm.access import WORKING_ROLES, can_work, working_people
from crm.calendar_days import calendar_overrides, due_date
from crm.choices import BureauKind, Role
from crm.lib import workdays
from crm.lib.deadlines import SweepResult, reminder_for
from crm.models import Bureau, Contact, Enterprise, User
from crm.notifications import notify
from crm.services import locked_at_version
from leads.choices import MeetingKind
from leads.models import MeetingLog
from leads.services import meeting_log_create

# After this many working days overdue a complaint is escalated to the leaders (as review requests are).
ESCALATE_AFTER_WORKING_DAYS = getattr(settings, "AFTERCARE_ESCALATE_AFTER_WORKING_DAYS", 3)


def _require_leader(by: User, message: str) -> None:
    if by.role != Role.LEADER:
        raise ValidationError(message, code="not_leader")


# --- key enterprises ----------------------------------------------------------------------------------------


def _check_officer(officer: User) -> None:
    if not can_work(officer):
        raise ValidationError({"officer": _("The service officer must be an active promotion officer or leader.")})


def _check_cadence(cadence_months: int) -> None:
    if cadence_months not in Cadence.values:
        raise ValidationError({"cadence_months": _("Choose a visit cadence.")})


@transaction.atomic
def key_enterprise_designate(*, by: User, enterprise: Enterprise, officer: User, cadence_months: int,
                             reason: str = "") -> KeyEnterprise:
    """A leader marks an enterprise as key, naming its service officer and visit cadence; an enterprise that
    was key before is designated again on the same record (its history keeps the earlier period)."""
    _require_leader(by, _("Only a leader can mark an enterprise as key."))
    _check_officer(officer)
    _check_cadence(cadence_months)
    key = KeyEnterprise.objects.select_for_update().filter(enterprise=enterprise).first()
    if key is not None and key.is_active:
        raise ValidationError({"enterprise": _("%(name)s is already a key enterprise.") % {"name": enterprise.name}})
    if key is not None:
        key.version += 1  # designated again: a page showing the earlier period is stale
    key = key or KeyEnterprise(enterprise=enterprise)
    key.officer, key.cadence_months, key.reason = officer, cadence_months, reason.strip()
    key.designated_on, key.designated_by, key.ended_on = timezone.localdate(), by, None
    key.full_clean()
    key._history_user = by
    key.save()
    transaction.on_commit(lambda: notify(
        recipient=officer, key=f"key-enterprise:{key.pk}:{officer.pk}:{key.designated_on}",
        url=enterprise.get_absolute_url(),
        message=_("You are the service officer of the key enterprise %(name)s (%(cadence)s).") % {
            "name": enterprise.name, "cadence": Cadence(cadence_months).label}))
    return key


@transaction.atomic
def key_enterprise_update(*, key: KeyEnterprise, by: User, version: int | None, officer: User, cadence_months: int,
                          reason: str = "") -> KeyEnterprise:
    """A leader changes the service officer or the cadence of a key enterprise, from a page that showed
    `version` (StaleEdit if someone changed, ended or designated it again since)."""
    _require_leader(by, _("Only a leader can change a key enterprise."))
    _check_officer(officer)
    _check_cadence(cadence_months)
    key = locked_at_version(key, version=version)
    if not key.is_active:
        raise ValidationError(_("This enterprise is no longer key; designate it again instead."), code="ended")
    key.officer, key.cadence_months, key.reason = officer, cadence_months, reason.strip()
    key.version = version + 1
    key.full_clean()
    key._history_user = by
    key.save()
    return key


@transaction.atomic
def key_enterprise_end(*, key: KeyEnterprise, by: User) -> KeyEnterprise:
    """A leader takes an enterprise off the key list; its visits and history stay."""
    _require_leader(by, _("Only a leader can take an enterprise off the key list."))
    key = KeyEnterprise.objects.select_for_update().get(pk=key.pk)
    if not key.is_active:
        raise ValidationError(_("This enterprise is no longer key."), code="ended")
    key.ended_on = max(timezone.localdate(), key.designated_on)
    key.version += 1
    key._history_user = by
    key.save()
    return key


# --- visits ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemandInput:
    """One demand (诉求) raised at a visit: it becomes a request routed to the bureau that must act."""

    subject: str
    content: str
    category: str
    bureau: Bureau
    due_working_days: int = DEFAULT_DUE_WORKING_DAYS


@transaction.atomic
def visit_log(*, by: User, enterprise: Enterprise, occurred_at: datetime, discussion: str, place: str = "",
              their_attendees=(), next_steps: str = "", demands: list[DemandInput] = ()
              ) -> tuple[MeetingLog, list[Complaint]]:
    """Log an aftercare visit in the meeting log (kind "visit") and register each demand raised as a request
    routed to its bureau, so nothing the investor asked for is lost in a paragraph of minutes."""
    demands = list(demands)
    text = "\n".join(f"{i}. {d.subject}: {d.content}" for i, d in enumerate(demands, start=1))
    meeting, _follow_up = meeting_log_create(
        by=by, enterprise=enterprise, occurred_at=occurred_at, kind=MeetingKind.VISIT, discussion=discussion,
        place=place, their_attendees=their_attendees, demands=text, next_steps=next_steps)
    received_on = timezone.localdate(occurred_at)
    contact = next(iter(their_attendees), None)
    complaints = [
        complaint_register(by=by, enterprise=enterprise, kind=ComplaintKind.REQUEST, channel=Channel.VISIT,
                           category=d.category, subject=d.subject, content=d.content, bureau=d.bureau,
                           due_working_days=d.due_working_days, received_on=received_on, contact=contact,
                           meeting=meeting)
        for d in demands
    ]
    return meeting, complaints


# --- complaints: routing ----------------------------------------------------------------------------------------


def answerers_of(bureau: Bureau):
    """Who answers for a bureau: its partner reviewers, or for the promotion bureau itself its officers and
    leaders (a policy payment, for example, is the promotion bureau's own to settle)."""
    if bureau.kind == BureauKind.PROMOTION:
        return working_people().filter(bureau_id=bureau.pk)
    return User.objects.filter(role=Role.REVIEWER, bureau_id=bureau.pk, is_active=True)


def may_answer_for(user: User, bureau: Bureau) -> bool:
    if bureau.kind == BureauKind.PROMOTION:
        return can_work(user)
    return user.role == Role.REVIEWER and user.is_active and user.bureau_id == bureau.pk


def _due(*, due_on: date | None, due_working_days: int | None, today: date) -> workdays.WorkdayResult:
    """The answer's due date: the one given (never in the past) or so many working days from today."""
    if due_on is not None:
        if due_on < today:
            raise ValidationError({"due_on": _("The due date cannot be in the past.")})
        return workdays.WorkdayResult(due=due_on)
    days = DEFAULT_DUE_WORKING_DAYS if due_working_days is None else due_working_days
    if days < 1 or days > 120:
        raise ValidationError({"due_working_days": _("Give between 1 and 120 working days.")})
    return due_date(start=today, working_days=days, overrides=calendar_overrides())


def _route(complaint: Complaint, *, bureau: Bureau, by: User, due: workdays.WorkdayResult,
           reopen_reason: str = "") -> ComplaintCycle:
    if not bureau.is_active:
        raise ValidationError({"bureau": _("%(bureau)s is no longer active.") % {"bureau": bureau.name}})
    number = (complaint.current_cycle.number + 1) if complaint.current_cycle_id else 1
    cycle = ComplaintCycle.objects.create(
        complaint=complaint, number=number, bureau=bureau, routed_at=timezone.now(), routed_by=by,
        due_on=due.due, due_is_estimate=due.used_fallback, reopen_reason=reopen_reason)
    complaint.current_cycle = cycle
    transaction.on_commit(lambda: _notify_routed(complaint, cycle))
    return cycle


def _notify_routed(complaint: Complaint, cycle: ComplaintCycle) -> None:
    message = _("%(kind)s %(code)s routed to %(bureau)s: %(subject)s, answer due %(due)s") % {
        "kind": complaint.get_kind_display(), "code": complaint.code, "bureau": cycle.bureau.short_name,
        "subject": complaint.subject, "due": cycle.due_on.isoformat()}
    for user in answerers_of(cycle.bureau):
        notify(recipient=user, key=f"complaint-routed:{cycle.pk}", url=complaint.get_absolute_url(),
               message=message[:300])


@transaction.atomic
def complaint_register(*, by: User, enterprise: Enterprise | None, bureau: Bureau | None, category: str,
                       subject: str, content: str, channel: str, kind: str = ComplaintKind.COMPLAINT,
                       contact: Contact | None = None, complainant: str = "", received_on: date | None = None,
                       due_on: date | None = None, due_working_days: int | None = None,
                       meeting: MeetingLog | None = None, owner: User | None = None) -> Complaint:
    """Register an investor's complaint or request and route it to the bureau that must act, with a due date
    in working days; that bureau's people are told."""
    today = timezone.localdate()
    errors = {}
    if enterprise is None:
        errors["enterprise"] = _("Name the enterprise that raised it.")
    if not (content or "").strip():
        errors["content"] = _("Write what the investor says.")
    if not (subject or "").strip():
        errors["subject"] = _("Give it a short subject.")
    if bureau is None:
        errors["bureau"] = _("Choose the bureau that must act.")
    if contact is not None and enterprise is not None and contact.enterprise_id != enterprise.pk:
        errors["contact"] = _("This contact works at another enterprise.")
    received_on = received_on or today
    if received_on > today:
        errors["received_on"] = _("A complaint cannot be received in the future.")
    owner = owner or by
    if owner.role not in WORKING_ROLES:
        errors["owner"] = _("A complaint is followed by a promotion officer or leader.")
    if errors:
        raise ValidationError(errors)
    due = _due(due_on=due_on, due_working_days=due_working_days, today=today)
    complaint = Complaint(enterprise=enterprise, contact=contact, complainant=complainant.strip(), kind=kind,
                          channel=channel, category=category, subject=subject.strip(), content=content.strip(),
                          meeting=meeting, received_on=received_on, owner=owner, created_by=by)
    complaint.full_clean(exclude=["current_cycle"])
    complaint._history_user = by
    complaint.save()
    _route(complaint, bureau=bureau, by=by, due=due)
    complaint.save(update_fields=["current_cycle"])
    return complaint


def _lock(complaint: Complaint) -> Complaint:
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to the current cycle.
    return (Complaint.objects.select_for_update(of=("self",)).select_related("current_cycle__bureau", "enterprise")
            .get(pk=complaint.pk))


def _move(complaint: Complaint, to: str, by: User) -> None:
    if to not in COMPLAINT_MOVES[ComplaintStatus(complaint.status)]:
        raise ValidationError(
            _("This cannot be done while the complaint is “%(status)s”."),
            params={"status": complaint.get_status_display()}, code="bad_move")
    complaint.status = to
    complaint._history_user = by
    complaint.save(update_fields=["status", "current_cycle"])


@transaction.atomic
def complaint_answer(*, complaint: Complaint, by: User, answer: str) -> ComplaintCycle:
    """The responsible bureau answers; only the bureau the complaint is routed to may. Whether the answer came
    by the due date is recorded with it, for the on-time rate."""
    complaint = _lock(complaint)
    cycle = complaint.current_cycle
    if not may_answer_for(by, cycle.bureau):
        raise ValidationError(_("This is routed to %(bureau)s; only that bureau can answer it."),
                              params={"bureau": cycle.bureau.name}, code="not_routed_here")
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    now = timezone.now()
    cycle.answer, cycle.answered_by, cycle.answered_at = answer.strip(), by, now
    cycle.answered_on_time = timezone.localdate(now) <= cycle.due_on
    _move(complaint, ComplaintStatus.ANSWERED, by)
    cycle._history_user = by
    cycle.save()
    transaction.on_commit(lambda: notify(
        recipient=complaint.owner, key=f"complaint-answered:{cycle.pk}", url=complaint.get_absolute_url(),
        message=(_("%(bureau)s answered %(code)s %(subject)s; ask the investor whether they are satisfied.") % {
            "bureau": cycle.bureau.short_name, "code": complaint.code, "subject": complaint.subject})[:300]))
    return cycle


def _require_handler(complaint: Complaint, by: User) -> None:
    if not can_handle_complaint(by, complaint):
        raise ValidationError(_("Only the officer in charge or a leader can do this."), code="not_handler")


@transaction.atomic
def complaint_close(*, complaint: Complaint, by: User, satisfaction: str, note: str = "") -> ComplaintCycle:
    """Close an answered complaint with the investor's verdict on the answer (satisfied, basically satisfied,
    dissatisfied); a dissatisfied close can later be reopened."""
    complaint = _lock(complaint)
    _require_handler(complaint, by)
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("Record whether the investor is satisfied.")})
    if complaint.status != ComplaintStatus.ANSWERED:
        raise ValidationError(_("Only an answered complaint can be closed."), code="not_answered")
    cycle = complaint.current_cycle
    cycle.satisfaction, cycle.close_note, cycle.closed_by, cycle.closed_at = (
        satisfaction, note.strip(), by, timezone.now())
    cycle._history_user = by
    cycle.save()
    _move(complaint, ComplaintStatus.CLOSED, by)
    return cycle


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, by: User, reason: str, bureau: Bureau | None = None,
                     due_on: date | None = None, due_working_days: int | None = None) -> ComplaintCycle:
    """Reopen a complaint the investor was dissatisfied with: a new handling, routed again (to the same or
    another bureau) with a new due date. The dissatisfied close stays on record."""
    complaint = _lock(complaint)
    _require_handler(complaint, by)
    previous = complaint.current_cycle
    if complaint.status != ComplaintStatus.CLOSED or previous.satisfaction != Satisfaction.DISSATISFIED:
        raise ValidationError(_("Only a complaint closed with the investor dissatisfied can be reopened."),
                              code="not_dissatisfied")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why it is reopened.")})
    due = _due(due_on=due_on, due_working_days=due_working_days, today=timezone.localdate())
    cycle = _route(complaint, bureau=bureau or previous.bureau, by=by, due=due, reopen_reason=reason.strip())
    _move(complaint, ComplaintStatus.OPEN, by)
    return cycle


# --- complaints: reminders ----------------------------------------------------------------------------------


def complaint_reminders_sweep(*, today: date) -> SweepResult:
    """Remind the responsible bureau the working day before a complaint's answer is due and on each working
    day it is overdue; after ESCALATE_AFTER_WORKING_DAYS overdue working days tell the leaders. Idempotent:
    each notification key carries the handling and the day (or its due date), so a second run notifies no one."""
    overrides = calendar_overrides()
    if not workdays.is_working_day(today, **overrides):
        return SweepResult(0, 0, 0)
    waiting = (Complaint.objects.filter(status=ComplaintStatus.OPEN)
               .select_related("current_cycle__bureau", "enterprise").order_by("pk"))
    leaders = list(User.objects.filter(role=Role.LEADER, is_active=True))
    counts = {"due": 0, "overdue": 0, "escalated": 0}
    for complaint in waiting.iterator(chunk_size=500):
        cycle = complaint.current_cycle
        reminder = reminder_for(due_on=cycle.due_on, today=today, escalate_after=ESCALATE_AFTER_WORKING_DAYS,
                                **overrides)
        params = {"code": complaint.code, "subject": complaint.subject, "due": cycle.due_on.isoformat(),
                  "bureau": cycle.bureau.short_name, "days": reminder.late_working_days,
                  "enterprise": complaint.enterprise.name}
        url = complaint.get_absolute_url()
        if reminder.due_tomorrow:
            message = _("Due tomorrow: answer to %(code)s %(subject)s (%(due)s)") % params
            counts["due"] += _notify_all(answerers_of(cycle.bureau), f"complaint-due:{cycle.pk}:{cycle.due_on}",
                                         message, url)
        elif reminder.overdue:
            message = _("Overdue since %(due)s: answer to %(code)s %(subject)s") % params
            counts["overdue"] += _notify_all(answerers_of(cycle.bureau), f"complaint-overdue:{cycle.pk}:{today}",
                                             message, url)
        if reminder.escalate:
            message = _("%(bureau)s is %(days)s working days late answering %(code)s of %(enterprise)s") % params
            counts["escalated"] += _notify_all(leaders, f"complaint-escalated:{cycle.pk}:{cycle.due_on}",
                                               message, reverse("aftercare:complaint_overview"))
    return SweepResult(counts["due"], counts["overdue"], counts["escalated"])


def _notify_all(users, key: str, message: str, url: str) -> int:
    return sum(1 for user in users if notify(recipient=user, key=key, message=message[:300], url=url))


# --- foreign-invested enterprises -------------------------------------------------------------------------------


def _check_follow_up(check: ComplianceCheck) -> None:
    if check.result != CheckResult.COMPLIANT and not check.findings.strip():
        raise ValidationError({"findings": _("Write the findings when the enterprise is not compliant.")})
    if check.follow_up.strip() and check.follow_up_due is None:
        raise ValidationError({"follow_up_due": _("Give the follow-up a due date.")})
    if check.follow_up_due is not None and not check.follow_up.strip():
        raise ValidationError({"follow_up": _("Say what has to be followed up.")})


@transaction.atomic
def compliance_check_record(*, by: User, enterprise: Enterprise, year: int, checked_on: date, result: str,
                            findings: str = "", follow_up: str = "", follow_up_due: date | None = None
                            ) -> ComplianceCheck:
    """Record the year's compliance check of a foreign-invested enterprise, with findings and any follow-up."""
    if by.role not in WORKING_ROLES:
        raise ValidationError(_("Only a promotion officer or leader records a compliance check."), code="role")
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": _("A check is recorded once it has been done.")})
    if year > checked_on.year:
        raise ValidationError({"year": _("A year cannot be checked before it has begun.")})
    if ComplianceCheck.objects.filter(enterprise=enterprise, year=year).exists():
        raise ValidationError({"year": _("The %(year)s check of this enterprise is already recorded.") % {
            "year": year}})
    check = ComplianceCheck(enterprise=enterprise, year=year, checked_on=checked_on, checked_by=by, result=result,
                            findings=findings.strip(), follow_up=follow_up.strip(), follow_up_due=follow_up_due,
                            follow_up_state=FollowUpState.OPEN if follow_up.strip() else FollowUpState.NONE)
    _check_follow_up(check)
    check.full_clean()
    check._history_user = by
    check.save()
    return check


@transaction.atomic
def compliance_check_close_follow_up(*, check: ComplianceCheck, by: User, done_on: date,
                                     note: str) -> ComplianceCheck:
    """Record that the follow-up a check called for has been done, and how."""
    check = ComplianceCheck.objects.select_for_update().get(pk=check.pk)
    if check.follow_up_state != FollowUpState.OPEN:
        raise ValidationError(_("This check has no open follow-up."), code="no_follow_up")
    if not note.strip():
        raise ValidationError({"note": _("Say what was done.")})
    if done_on > timezone.localdate() or done_on < check.checked_on:
        raise ValidationError({"done_on": _("The date must lie between the check and today.")})
    check.follow_up_state, check.follow_up_done_on, check.follow_up_note = FollowUpState.DONE, done_on, note.strip()
    check._history_user = by
    check.save()
    return check


# --- organisations --------------------------------------------------------------------------------------------


@transaction.atomic
def organisation_save(*, by: User, organisation: Organisation | None = None, version: int | None = None,
                      **fields) -> Organisation:
    """Create an organisation (association, chamber, representative office) or change its details from a page
    that showed `version` (StaleEdit if someone saved it since)."""
    if organisation is None:
        organisation = Organisation()
    else:
        organisation = locked_at_version(organisation, version=version)
        organisation.version = version + 1
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation._history_user = by
    organisation.save()
    return organisation


@transaction.atomic
def organisation_contact_add(*, by: User, organisation: Organisation, name: str, **fields) -> OrganisationContact:
    if not name.strip():
        raise ValidationError({"name": _("Give the contact's name.")})
    contact = OrganisationContact(organisation=organisation, name=name.strip(), **fields)
    contact.full_clean()
    contact._history_user = by
    contact.save()
    return contact

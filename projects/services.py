"""Every change to the project pipeline. Views, the admin, tasks and any later API call these; none takes a
request. The stage machine (choices.STAGE_MOVES) and the signing guard are enforced here and only here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crm import audit
from crm.calendar_days import calendar_overrides, due_date
from crm.choices import BureauKind, Role
from crm.lib import workdays
from crm.lib.deadlines import SweepResult, reminder_for
from crm.models import Bureau, User
from crm.notifications import notify
from crm.services import StaleEdit
from crm.validators import normalize_credit_code, validate_credit_code, validate_due_date
from leads.services import lead_conversion_data, lead_mark_converted
from projects import signals
from projects.access import TALENT_BUREAU, is_talent_reviewer
from projects.choices import (
    AGREEING,
    MILESTONE_ORDER,
    MILESTONE_STAGE,
    MOVES_NEEDING_REASON,
    STAGE_MOVES,
    CapitalKind,
    ConditionStatus,
    DocumentKind,
    MilestoneKind,
    Outcome,
    RequestStatus,
    Stage,
    TalentStatus,
)
from projects.models import (
    CapitalInPlace,
    Condition,
    Document,
    Milestone,
    Opinion,
    Project,
    ReviewRequest,
    ReviewRound,
    StageChange,
    TalentRequest,
)

CODE_PREFIX = "JY"
# After this many working days overdue a review request is escalated to the leaders.
ESCALATE_AFTER_WORKING_DAYS = getattr(settings, "PROJECTS_ESCALATE_AFTER_WORKING_DAYS", 3)
STAGE_FOR_MILESTONE_CHECK = {stage: kind for kind, stage in MILESTONE_STAGE.items()}


# --- projects ---------------------------------------------------------------------------------------


def _next_code(year: int) -> str:
    prefix = f"{CODE_PREFIX}-{year}-"
    # Longest code first, then by text: "JY-2026-10000" must come after "JY-2026-9999" (text order alone would
    # put it before and hand out a number that is already taken).
    last = (Project.objects.filter(code__startswith=prefix).order_by(Length("code").desc(), "-code")
            .values_list("code", flat=True).first())
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def project_create(*, by: User, co_owners=(), **fields) -> Project:
    """Open a project in negotiation with a code that never changes (JY-<year>-<number>)."""
    project = Project(created_by=by, stage=Stage.NEGOTIATING, **fields)
    project.code = _next_code(timezone.localdate().year)
    project.full_clean()
    for _attempt in range(5):
        try:
            # A savepoint, so a code taken by a concurrent creation can be retried with the next number.
            with transaction.atomic():
                project.save()
            break
        except IntegrityError:
            if Project.objects.filter(code=project.code).exists():
                project.code = _next_code(timezone.localdate().year)
                continue
            raise
    project.co_owners.set(co_owners)
    StageChange.objects.create(project=project, from_stage="", to_stage=Stage.NEGOTIATING, by=by,
                               reason=_("Project opened"))
    return project


def project_initial_from_lead(*, lead) -> dict:
    """The facts a project opened from `lead` starts with (the officer completes and corrects them)."""
    data = lead_conversion_data(lead=lead)
    return {
        "name": data["name"], "enterprise": data["enterprise"], "industry": data["industry"],
        "total_investment_wan": data["total_investment_wan"], "co_owners": data["co_owners"],
    }


@transaction.atomic
def project_create_from_lead(*, lead, by: User, co_owners=(), **fields) -> Project:
    """Open a project from a lead, carrying its owner and introducer, and mark the lead converted in the same
    transaction: if either fails, neither happens."""
    if Project.objects.filter(lead=lead).exists():
        raise ValidationError(_("A project has already been opened from this lead."), code="lead_converted")
    data = lead_conversion_data(lead=lead)
    project = project_create(by=by, co_owners=co_owners, lead=lead, owner=data["owner"],
                             introducer=data["introducer"], **fields)
    lead_mark_converted(lead=lead, by=by, reason=_("Project %(code)s opened") % {"code": project.code})
    return project


# Fields an officer edits on the project page; stage, code and owner change only through their services.
EDITABLE_FIELDS = (
    "name", "enterprise", "industry", "area", "description", "total_investment_wan",
    "fixed_asset_investment_wan", "foreign_capital_usd_wan", "land_mu", "expected_output_wan",
    "expected_tax_wan", "expected_jobs", "is_key_project",
)


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    seen: object  # the value on the page the person started from
    saved: object  # the value someone else saved meanwhile
    yours: object  # the value the person tried to save


def project_conflicts(*, current: Project, seen_version: int, submitted: dict) -> list[FieldChange]:
    """The fields someone else changed since `seen_version`, with what the page showed, what is saved now
    and what this person tried to save (read from the project's history)."""
    seen = current.history.filter(version=seen_version).order_by("-history_date").first()
    changes = []
    for name in EDITABLE_FIELDS:
        before, now = (getattr(seen, name) if seen else None), getattr(current, name)
        if seen is None or before != now:
            changes.append(FieldChange(name, str(Project._meta.get_field(name).verbose_name), before, now,
                                       submitted.get(name)))
    return changes if seen else [c for c in changes if c.saved != c.yours]


@transaction.atomic
def project_update(*, project: Project, by: User, version: int, co_owners=None, **fields) -> Project:
    """Save a page that showed `version`; raise StaleEdit (with the saved record) if someone saved since."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    current = Project.objects.select_for_update().get(pk=project.pk)
    if current.version != version:
        raise StaleEdit(current)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    current.version = version + 1
    current._history_user = by
    current.save()
    if co_owners is not None:
        current.co_owners.set(co_owners)
    return current


def _lock(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def review_round_require_cleared(*, project: Project) -> ReviewRound:
    """The signing guard: the latest round exists and every request in it is agreed (with or without
    conditions). Raises naming the bureaus still pending or disagreeing."""
    latest = project.review_rounds.order_by("-number").first()
    if latest is None:
        raise ValidationError(_("The project cannot be signed before a review round has been held."),
                              code="no_round")
    requests = list(latest.requests.select_related("bureau"))
    if not requests:
        raise ValidationError(_("The latest review round has no requests."), code="empty_round")
    disagreed = [r.bureau.short_name for r in requests if r.outcome == Outcome.DISAGREE]
    if disagreed:
        raise ValidationError(
            _("The project cannot be signed: %(bureaus)s disagreed in round %(n)s. Open a new round first."),
            params={"bureaus": "、".join(disagreed), "n": latest.number}, code="disagreed")
    waiting = [r.bureau.short_name for r in requests if r.outcome not in AGREEING]
    if waiting:
        raise ValidationError(
            _("The project cannot be signed: round %(n)s is still waiting for %(bureaus)s."),
            params={"bureaus": "、".join(waiting), "n": latest.number}, code="pending")
    return latest


def _check_move(project: Project, to: str, reason: str, *, milestone_recorded: bool = False) -> None:
    """Refuse a move the machine does not allow, or whose guard (signing, conditions, milestone) fails."""
    if to not in STAGE_MOVES.get(project.stage, ()):
        raise ValidationError(
            _("A project cannot move from “%(a)s” to “%(b)s”."),
            params={"a": Stage(project.stage).label, "b": Stage(to).label}, code="bad_move")
    if project.stage == Stage.PAUSED and to != Stage.TERMINATED and to != project.paused_from:
        raise ValidationError(
            _("A paused project resumes into the stage it was paused from (“%(stage)s”)."),
            params={"stage": Stage(project.paused_from).label}, code="bad_resume")
    if to in MOVES_NEEDING_REASON and not reason.strip():
        raise ValidationError(_("Give the reason for this move."), code="reason_required")
    if project.stage == Stage.PAUSED:
        return  # resuming into a stage the project had already entered, past its guards
    if to == Stage.SIGNED:
        review_round_require_cleared(project=project)
    kind = STAGE_FOR_MILESTONE_CHECK.get(to)
    if kind and not milestone_recorded:
        raise ValidationError(
            _("Record the “%(milestone)s” milestone to move the project to “%(stage)s”."),
            params={"milestone": MilestoneKind(kind).label, "stage": Stage(to).label}, code="milestone_required")
    blocking = list(project.conditions.filter(blocks_stage=to, status=ConditionStatus.OPEN)
                    .values_list("text", flat=True))
    if blocking:
        raise ValidationError(
            _("The project cannot enter “%(stage)s” while these conditions are open: %(conditions)s"),
            params={"stage": Stage(to).label, "conditions": "; ".join(t[:60] for t in blocking)},
            code="conditions_open")


def _apply_move(project: Project, to: str, by: User | None, reason: str) -> Project:
    StageChange.objects.create(project=project, from_stage=project.stage, to_stage=to, by=by, reason=reason)
    project.paused_from = project.stage if to == Stage.PAUSED else ""
    project.stage = to
    project.stage_changed_at = timezone.now()
    project._history_user = by
    project.save(update_fields=["stage", "paused_from", "stage_changed_at", "updated_at"])
    return project


@transaction.atomic
def project_change_stage(*, project: Project, to: str, by: User, reason: str = "") -> Project:
    """Move a project to another stage: the allowed moves, the signing guard, open conditions and the
    milestone behind each later stage are all checked here, whoever calls (page, admin, API)."""
    project = _lock(project)
    _check_move(project, to, reason)
    return _apply_move(project, to, by, reason.strip())


# --- review rounds ----------------------------------------------------------------------------------


def review_round_proposed_bureaus(*, project: Project):
    """The partner bureaus whose scope applies: all that review by default, land planning only with land."""
    qs = Bureau.objects.filter(kind=BureauKind.PARTNER, is_active=True, reviews_by_default=True)
    if not project.land_mu:
        qs = qs.filter(reviews_only_with_land=False)
    return qs.order_by("sort_order", "id")


def _reviewers_of(bureau_id: int):
    return User.objects.filter(role=Role.REVIEWER, bureau_id=bureau_id, is_active=True)


def _notify_request(request: ReviewRequest, cycle: int) -> None:
    url = reverse("projects:review_request_detail", args=[request.pk])
    project = request.round.project
    for reviewer in _reviewers_of(request.bureau_id):
        notify(recipient=reviewer, key=f"review-request:{request.pk}:{cycle}", url=url,
               message=_("Review request: %(code)s %(name)s, due %(due)s") % {
                   "code": project.code, "name": project.name, "due": request.due_on.isoformat()})


@transaction.atomic
def review_round_open(*, project: Project, by: User, bureaus, note: str = "") -> ReviewRound:
    """Route the project to the chosen partner bureaus, each request due in that bureau's working days,
    move it into review and notify each bureau's reviewers."""
    project = _lock(project)
    bureaus = list(bureaus)
    if not bureaus:
        raise ValidationError(_("Choose at least one bureau to review the project."), code="no_bureau")
    if any(b.kind != BureauKind.PARTNER or not b.is_active for b in bureaus):
        raise ValidationError(_("Only active partner bureaus can review a project."), code="not_partner")
    if project.stage != Stage.NEGOTIATING:
        raise ValidationError(
            _("A review round can be opened only while the project is in negotiation (it is “%(stage)s”)."),
            params={"stage": project.get_stage_display()}, code="bad_stage")
    _check_move(project, Stage.REVIEW, "")
    now = timezone.now()
    previous = project.review_rounds.order_by("-number").first()
    if previous is not None:
        previous.superseded_at = now
        previous.save(update_fields=["superseded_at"])
    review_round = ReviewRound.objects.create(
        project=project, number=(previous.number + 1) if previous else 1, opened_by=by, note=note)
    overrides = calendar_overrides()
    today = timezone.localdate()
    requests = []
    for bureau in bureaus:
        due = due_date(start=today, working_days=bureau.review_due_working_days, overrides=overrides)
        requests.append(ReviewRequest.objects.create(
            round=review_round, bureau=bureau, requested_at=now, due_on=due.due, due_is_estimate=due.used_fallback))
    _apply_move(project, Stage.REVIEW, by, _("Review round %(n)s opened") % {"n": review_round.number})
    transaction.on_commit(lambda: [_notify_request(r, 0) for r in requests])
    return review_round


@dataclass(frozen=True)
class ConditionInput:
    text: str
    due_on: date
    blocks_stage: str


def _validate_opinion(outcome: str, reason: str, conditions) -> None:
    if outcome not in Outcome.values:
        raise ValidationError(_("Choose an opinion."), code="bad_outcome")
    if outcome != Outcome.AGREE and not reason.strip():
        raise ValidationError(_("Write the reason for this opinion; only a plain agree needs none."),
                              code="reason_required")
    if outcome == Outcome.AGREE_WITH_CONDITIONS and not conditions:
        raise ValidationError(_("List at least one condition for an agree with conditions."),
                              code="conditions_required")
    if outcome != Outcome.AGREE_WITH_CONDITIONS and conditions:
        raise ValidationError(_("Conditions belong only to an agree with conditions."), code="conditions_unexpected")
    for c in conditions:
        if not c.text.strip():
            raise ValidationError(_("Every condition needs a text."), code="condition_text")
        if c.blocks_stage not in (Stage.SIGNED, Stage.REGISTERED, Stage.CONSTRUCTION, Stage.OPERATING):
            raise ValidationError(_("A condition blocks signing, registration, construction or operation."),
                                  code="condition_stage")
        validate_due_date(c.due_on)  # conditions are created in bulk, without full_clean: the model's rule here


def _lock_request(request: ReviewRequest) -> ReviewRequest:
    return ReviewRequest.objects.select_for_update().select_related("round__project", "bureau").get(pk=request.pk)


def _require_own_bureau(request: ReviewRequest, by: User) -> None:
    if by.role != Role.REVIEWER or by.bureau_id != request.bureau_id:
        raise ValidationError(_("Only a reviewer of %(bureau)s can answer this request."),
                              params={"bureau": request.bureau.name}, code="wrong_bureau")
    if request.round.superseded_at is not None:
        raise ValidationError(_("This round has been replaced by a later one; answer the current round."),
                              code="superseded")


def _record_opinion(request, by, outcome, reason, conditions, attachments) -> Opinion:
    project = request.round.project
    version = (request.opinions.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    opinion = Opinion.objects.create(request=request, version=version, outcome=outcome, reason=reason.strip(),
                                     reviewer=by)
    audit.record(action=audit.OPINION_CHANGED, target=opinion, actor=by,
                 detail={"project": project.code, "bureau": request.bureau.code, "version": version,
                         "outcome": outcome})
    for c in conditions:
        Condition.objects.create(opinion=opinion, project=project, text=c.text.strip(), owner=project.owner,
                                 due_on=c.due_on, blocks_stage=c.blocks_stage)
    for upload in attachments:
        document_add(project=project, by=by, kind=DocumentKind.OPINION, file=upload, opinion=opinion,
                     request=request)
    request.outcome = outcome
    request.answered_at = opinion.submitted_at
    request.status = RequestStatus.NEEDS_MATERIAL if outcome == Outcome.NEEDS_MATERIAL else RequestStatus.ANSWERED
    request.save(update_fields=["outcome", "answered_at", "status"])
    if outcome == Outcome.DISAGREE and project.stage == Stage.REVIEW:
        # A disagree sends the project back to negotiation; the round stays as it is, for the record.
        _apply_move(_lock(project), Stage.NEGOTIATING, by,
                    _("%(bureau)s disagreed: %(reason)s") % {"bureau": request.bureau.short_name, "reason": reason})
    transaction.on_commit(lambda: _notify_owner_of_opinion(opinion.pk))
    return opinion


def _notify_owner_of_opinion(opinion_pk: int) -> None:
    opinion = Opinion.objects.select_related("request__round__project__owner", "request__bureau").get(pk=opinion_pk)
    request = opinion.request
    project = request.round.project
    notify(recipient=project.owner, key=f"opinion:{opinion.pk}",
           url=reverse("projects:project_detail", args=[project.pk]),
           message=_("%(bureau)s: %(outcome)s on %(code)s %(name)s") % {
               "bureau": request.bureau.short_name, "outcome": opinion.get_outcome_display(),
               "code": project.code, "name": project.name})
    if request.round.superseded_at is None and project.stage == Stage.REVIEW:
        try:
            review_round_require_cleared(project=project)
        except ValidationError:
            return
        notify(recipient=project.owner, key=f"round-cleared:{request.round_id}",
               url=reverse("projects:project_detail", args=[project.pk]),
               message=_("Every bureau agreed on %(code)s %(name)s: the signing can be recorded.") % {
                   "code": project.code, "name": project.name})


@transaction.atomic
def opinion_submit(*, request: ReviewRequest, by: User, outcome: str, reason: str = "", conditions=(),
                   attachments=()) -> Opinion:
    """A bureau's first answer to a pending request. A second answer is refused: amend instead."""
    request = _lock_request(request)
    _require_own_bureau(request, by)
    if request.status == RequestStatus.ANSWERED:
        raise ValidationError(_("This request has already been answered; submit an amendment to change it."),
                              code="already_answered")
    if request.status == RequestStatus.NEEDS_MATERIAL:
        raise ValidationError(_("This request is with the promotion bureau for more material."),
                              code="awaiting_material")
    conditions = list(conditions)
    _validate_opinion(outcome, reason, conditions)
    return _record_opinion(request, by, outcome, reason, conditions, attachments)


@transaction.atomic
def opinion_amend(*, request: ReviewRequest, by: User, outcome: str, reason: str = "", conditions=(),
                  attachments=()) -> Opinion:
    """A new version of the bureau's answer; the old one stays visible and its open conditions lapse."""
    request = _lock_request(request)
    _require_own_bureau(request, by)
    if request.status != RequestStatus.ANSWERED:
        raise ValidationError(_("Only an answered request can be amended."), code="not_answered")
    if request.round.project.stage not in (Stage.NEGOTIATING, Stage.REVIEW):
        raise ValidationError(_("The project has been signed; its review opinions can no longer be amended."),
                              code="signed")
    if outcome == Outcome.NEEDS_MATERIAL:
        raise ValidationError(_("An amendment agrees, agrees with conditions or disagrees."), code="bad_amendment")
    if not reason.strip():
        raise ValidationError(_("Write why the opinion is amended."), code="reason_required")
    conditions = list(conditions)
    _validate_opinion(outcome, reason, conditions)
    Condition.objects.filter(opinion__request=request, status=ConditionStatus.OPEN).update(
        status=ConditionStatus.SUPERSEDED)
    return _record_opinion(request, by, outcome, reason, conditions, attachments)


@transaction.atomic
def review_request_return_material(*, request: ReviewRequest, by: User, note: str, files=()) -> ReviewRequest:
    """Send the requested material back to the bureau; its due date restarts from today."""
    request = _lock_request(request)
    if request.status != RequestStatus.NEEDS_MATERIAL:
        raise ValidationError(_("This request is not waiting for more material."), code="not_waiting")
    if request.round.superseded_at is not None:
        raise ValidationError(_("This round has been replaced by a later one."), code="superseded")
    if not note.strip() and not files:
        raise ValidationError(_("Add the material or a note describing it."), code="empty")
    project = request.round.project
    for upload in files:
        document_add(project=project, by=by, kind=DocumentKind.SUPPLEMENT, file=upload, request=request,
                     title=note.strip()[:120] or None)
    due = due_date(start=timezone.localdate(), working_days=request.bureau.review_due_working_days)
    request.status = RequestStatus.PENDING
    request.outcome = ""
    request.answered_at = None
    request.requested_at = timezone.now()
    request.due_on = due.due
    request.due_is_estimate = due.used_fallback
    request.save(update_fields=["status", "outcome", "answered_at", "requested_at", "due_on", "due_is_estimate"])
    cycle = request.opinions.count()
    transaction.on_commit(lambda: _notify_request(request, cycle))
    return request


# --- conditions ---------------------------------------------------------------------------------------


def _lock_open_condition(condition: Condition) -> Condition:
    condition = Condition.objects.select_for_update().get(pk=condition.pk)
    if condition.status != ConditionStatus.OPEN:
        raise ValidationError(_("This condition is no longer open."), code="not_open")
    return condition


@transaction.atomic
def condition_close(*, condition: Condition, by: User, resolution: str) -> Condition:
    """Record that a condition has been met (say how)."""
    condition = _lock_open_condition(condition)
    if not resolution.strip():
        raise ValidationError(_("Say how the condition was met."), code="resolution_required")
    condition.status = ConditionStatus.CLOSED
    condition.resolved_by, condition.resolved_at, condition.resolution = by, timezone.now(), resolution.strip()
    condition.save()
    return condition


@transaction.atomic
def condition_waive(*, condition: Condition, by: User, reason: str) -> Condition:
    """A leader lifts a condition without it being met, with a recorded reason."""
    if by.role != Role.LEADER:
        raise ValidationError(_("Only a leader can waive a condition."), code="not_leader")
    condition = _lock_open_condition(condition)
    if not reason.strip():
        raise ValidationError(_("Give the reason for waiving the condition."), code="reason_required")
    condition.status = ConditionStatus.WAIVED
    condition.resolved_by, condition.resolved_at, condition.resolution = by, timezone.now(), reason.strip()
    condition.save()
    return condition


# --- milestones and money -----------------------------------------------------------------------------


def _check_milestone_dates(project: Project, kind: str, on: date) -> None:
    if on > timezone.localdate():
        raise ValidationError(_("A milestone is recorded once it has happened; the date cannot be in the future."),
                              code="future")
    position = MILESTONE_ORDER.index(kind)
    for earlier in project.milestones.filter(kind__in=MILESTONE_ORDER[:position]):
        if on < earlier.date:
            raise ValidationError(
                _("The date cannot be before the “%(milestone)s” date (%(date)s)."),
                params={"milestone": earlier.get_kind_display(), "date": earlier.date.isoformat()},
                code="backwards")


@transaction.atomic
def milestone_record(*, project: Project, kind: str, by: User, date: date, contract_amount_wan=None,
                     credit_code: str = "", contract_file=None, note: str = "") -> Milestone:
    """Record a milestone and move the project into its stage. Signing needs a cleared round; registration
    needs the enterprise's valid credit code; dates never run backwards."""
    project = _lock(project)
    to = MILESTONE_STAGE[MilestoneKind(kind)]
    if project.milestones.filter(kind=kind).exists():
        raise ValidationError(_("This milestone has already been recorded."), code="duplicate")
    _check_move(project, to, "", milestone_recorded=True)
    _check_milestone_dates(project, kind, date)
    milestone = Milestone(project=project, kind=kind, date=date, recorded_by=by, note=note)
    if kind == MilestoneKind.CONTRACT:
        if contract_amount_wan is None or contract_amount_wan <= 0:
            raise ValidationError(_("Give the contract amount (10k CNY)."), code="amount_required")
        if contract_file is None:
            raise ValidationError(_("Attach the signed contract."), code="file_required")
        milestone.contract_amount_wan = contract_amount_wan
    if kind == MilestoneKind.REGISTRATION:
        milestone.credit_code = _registration_credit_code(project, credit_code, by)
    milestone.full_clean()
    milestone.save()
    if contract_file is not None:
        document_add(project=project, by=by, kind=DocumentKind.CONTRACT, file=contract_file, milestone=milestone)
    _apply_move(project, to, by, milestone.get_kind_display())
    signals.project_facts_changed.send(sender=Milestone, project_id=project.pk)
    return milestone


def _registration_credit_code(project: Project, raw: str, by: User) -> str:
    """The enterprise's code, which must be present and valid; an enterprise without one receives it here."""
    enterprise = project.enterprise
    code = normalize_credit_code(raw) or (enterprise.credit_code or "")
    if not code:
        raise ValidationError(_("Registration needs the enterprise's unified social credit code."),
                              code="credit_code_required")
    validate_credit_code(code)
    if enterprise.credit_code and enterprise.credit_code != code:
        raise ValidationError(
            _("The enterprise is registered with the credit code %(code)s; correct the enterprise first if that "
              "is wrong."), params={"code": enterprise.credit_code}, code="credit_code_mismatch")
    if not enterprise.credit_code:
        enterprise.credit_code = code
        enterprise.full_clean()  # refuses a code another enterprise already holds, naming it
        enterprise.version += 1
        enterprise._history_user = by
        enterprise.save()
    return code


@transaction.atomic
def capital_record(*, project: Project, by: User, date: date, kind: str, amount_wan=None, amount_usd_wan=None,
                   usd_cny_rate=None, note: str = "", evidence=()) -> CapitalInPlace:
    """A dated amount actually paid in; foreign capital keeps the rate of its date and its CNY equivalent."""
    if date > timezone.localdate():
        raise ValidationError(_("Capital is recorded once it is in place; the date cannot be in the future."),
                              code="future")
    if kind == CapitalKind.DOMESTIC:
        if amount_wan is None or amount_wan <= 0:
            raise ValidationError(_("Give the amount in 10k CNY."), code="amount_required")
        if amount_usd_wan is not None or usd_cny_rate is not None:
            raise ValidationError(_("Domestic capital has no US dollar amount or exchange rate."), code="mixed")
        equivalent = amount_wan
    elif kind == CapitalKind.FOREIGN:
        if amount_usd_wan is None or amount_usd_wan <= 0 or usd_cny_rate is None or usd_cny_rate <= 0:
            raise ValidationError(_("Give the amount in 10k USD and the CNY rate of that date."),
                                  code="amount_required")
        if amount_wan is not None:
            raise ValidationError(_("Foreign capital is entered in US dollars only."), code="mixed")
        equivalent = (amount_usd_wan * usd_cny_rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    else:
        raise ValidationError(_("Choose domestic or foreign capital."), code="bad_kind")
    record = CapitalInPlace(
        project=project, date=date, kind=kind, amount_wan=amount_wan, amount_usd_wan=amount_usd_wan,
        usd_cny_rate=usd_cny_rate, cny_equivalent_wan=equivalent, note=note, recorded_by=by)
    record.full_clean()
    record.save()
    for upload in evidence:
        document_add(project=project, by=by, kind=DocumentKind.CAPITAL, file=upload, capital=record)
    signals.project_facts_changed.send(sender=CapitalInPlace, project_id=project.pk)
    return record


# --- talent requests and documents ----------------------------------------------------------------------


@transaction.atomic
def talent_request_create(*, project: Project, by: User, kind: str, people: int, description: str) -> TalentRequest:
    """Record the enterprise's talent need and route it to the talent bureau."""
    talent = TalentRequest(project=project, kind=kind, people=people, description=description, created_by=by)
    talent.full_clean()
    talent.save()

    def _notify():
        for reviewer in User.objects.filter(role=Role.REVIEWER, bureau__code=TALENT_BUREAU, is_active=True):
            notify(recipient=reviewer, key=f"talent-request:{talent.pk}",
                   url=reverse("projects:talent_request_answer", args=[talent.pk]),
                   message=_("Talent request on %(code)s %(name)s: %(kind)s × %(people)s") % {
                       "code": project.code, "name": project.name, "kind": talent.get_kind_display(),
                       "people": people})

    transaction.on_commit(_notify)
    return talent


@transaction.atomic
def talent_request_answer(*, talent_request: TalentRequest, by: User, status: str, answer: str) -> TalentRequest:
    """The talent bureau's answer: a status and a text (it may be updated as the case progresses)."""
    if not is_talent_reviewer(by):
        raise ValidationError(_("Only the talent bureau answers talent requests."), code="not_talent")
    talent = TalentRequest.objects.select_for_update().get(pk=talent_request.pk)
    if status == TalentStatus.OPEN or status not in TalentStatus.values:
        raise ValidationError(_("Choose the status of the answer."), code="bad_status")
    if not answer.strip():
        raise ValidationError(_("Write the answer."), code="answer_required")
    talent.status, talent.answer, talent.answered_by, talent.answered_at = status, answer.strip(), by, timezone.now()
    talent.save()
    transaction.on_commit(lambda: notify(
        recipient=talent.project.owner, key=f"talent-answer:{talent.pk}:{talent.status}",
        url=reverse("projects:project_detail", args=[talent.project_id]),
        message=_("The talent bureau answered a talent request on %(code)s: %(status)s") % {
            "code": talent.project.code, "status": talent.get_status_display()}))
    return talent


def document_add(*, project: Project, by: User, kind: str, file, title: str | None = None, **links) -> Document:
    """Store an uploaded file on the project after checking its size, type and content."""
    document = Document(project=project, kind=kind, file=file, title=(title or getattr(file, "name", ""))[:120],
                        uploaded_by=by, **links)
    document.full_clean()
    document.save()
    return document


# --- reminders ------------------------------------------------------------------------------------------


def review_reminders_sweep(*, today: date) -> SweepResult:
    """Remind reviewers the working day before a request is due and on each working day it is overdue;
    after ESCALATE_AFTER_WORKING_DAYS overdue working days tell the leaders. Idempotent: notification keys
    carry the request and the day, so running twice notifies once."""
    overrides = calendar_overrides()
    if not workdays.is_working_day(today, **overrides):
        return SweepResult(0, 0, 0)
    pending = (ReviewRequest.objects.filter(status=RequestStatus.PENDING, round__superseded_at__isnull=True)
               .exclude(round__project__stage__in=[Stage.TERMINATED, Stage.PAUSED])
               .select_related("round__project", "bureau"))
    leaders = list(User.objects.filter(role=Role.LEADER, is_active=True))
    counts = {"due": 0, "overdue": 0, "escalated": 0}
    for request in pending:
        project = request.round.project
        url = reverse("projects:review_request_detail", args=[request.pk])
        reminder = reminder_for(due_on=request.due_on, today=today, escalate_after=ESCALATE_AFTER_WORKING_DAYS,
                                **overrides)
        params = {"code": project.code, "name": project.name, "due": request.due_on.isoformat(),
                  "bureau": request.bureau.short_name, "days": reminder.late_working_days}
        if reminder.due_tomorrow:
            for reviewer in _reviewers_of(request.bureau_id):
                if notify(recipient=reviewer, key=f"review-due:{request.pk}:{request.due_on}", url=url,
                          message=_("Due tomorrow: review of %(code)s %(name)s (%(due)s)") % params):
                    counts["due"] += 1
        elif reminder.overdue:
            for reviewer in _reviewers_of(request.bureau_id):
                if notify(recipient=reviewer, key=f"review-overdue:{request.pk}:{today}", url=url,
                          message=_("Overdue since %(due)s: review of %(code)s %(name)s") % params):
                    counts["overdue"] += 1
            if reminder.escalate:
                for leader in leaders:
                    if notify(recipient=leader, key=f"review-escalated:{request.pk}:{request.due_on}",
                              url=reverse("projects:overdue_reviews"),
                              message=_("%(bureau)s is %(days)s working days late on %(code)s %(name)s") % params):
                        counts["escalated"] += 1
    return SweepResult(counts["due"], counts["overdue"], counts["escalated"])

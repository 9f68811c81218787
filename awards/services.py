"""Every change to award policies, award facts and applications. Keyword-only, atomic, never take a request.

The amount of an award is always ``engine.compute`` on the policy's document and the project's gathered
facts; this module stores what it returned, moves applications through the workflow of
``choices.APPLICATION_MOVES`` and writes who did what and when.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from awards import policy_file
from awards.choices import (
    APPLICATION_MOVES,
    APPROVED_STATUSES,
    ENTERED_AMOUNT_FACTS,
    ENTERED_FLAG_FACTS,
    ENTERED_YEARLY_FACTS,
    LEADER_MOVES,
    MOVES_NEEDING_REASON,
    RECOMPUTED_STATUSES,
    ApplicationStatus,
    BeneficiaryKind,
    InstalmentStatus,
)
from awards.engine import AppliesTo, AwardResult, Beneficiary, Status, compute, result_as_data
from awards.models import (
    ApplicationStatusChange,
    AwardApplication,
    AwardedLine,
    AwardFact,
    AwardPolicy,
    Instalment,
    Recovery,
)
from awards.selectors import facts_as_data, gather_project_facts
from awards.sheet import fact_label
from crm import audit
from crm.access import is_leader
from crm.choices import Role
from crm.lib.names import normalize_enterprise_name
from crm.models import User
from crm.notifications import notify
from crm.validators import normalize_credit_code
from projects.choices import MilestoneKind
from projects.models import Project

logger = logging.getLogger(__name__)
S = ApplicationStatus


# --- policies -----------------------------------------------------------------------------------------


def policy_errors(exc: policy_file.PolicyFileError) -> ValidationError:
    """A refused policy document as a form error: one message per problem, each naming clause and field."""
    return ValidationError(exc.messages, code="invalid_policy")


def read_policy_document(text: str, fmt: str = "yaml"):
    """The validated ``Policy`` of a document, or a ``ValidationError`` naming each clause and field at fault."""
    try:
        return policy_file.load_policy(text, fmt)
    except policy_file.PolicyFileError as exc:
        raise policy_errors(exc) from None


def policy_is_frozen(policy: AwardPolicy) -> bool:
    """Whether an approved award refers to this version, so it can no longer change in place."""
    return policy.applications.filter(status__in=APPROVED_STATUSES).exists()


@dataclass(frozen=True)
class PolicySaved:
    policy: AwardPolicy
    action: str  # "created", "updated", "new_version" or "unchanged"


def _metadata(parsed) -> dict:
    return {
        "title": parsed.title, "document_number": parsed.document_number, "issuer": parsed.issuer,
        "effective_from": parsed.effective_from, "effective_to": parsed.effective_to,
        "applies_to": parsed.applies_to.value, "source": parsed.source,
    }


@transaction.atomic
def award_policy_import(*, text: str, fmt: str = "yaml", by: User | None = None,
                        public_notice_days: int | None = None) -> PolicySaved:
    """Store a policy document: a new policy, or a change to the current version of its key.

    Importing the same document again changes nothing. A change to a version an approved award refers to
    becomes a new version, so the approved award keeps the text it was computed on.
    """
    parsed = read_policy_document(text, fmt)
    if fmt != "yaml":
        text = policy_file.dump_policy(parsed, "yaml")  # stored in the canonical form administrators edit
    current = AwardPolicy.objects.select_for_update().filter(key=parsed.key, is_current=True).first()
    if current is None:
        version = (AwardPolicy.objects.filter(key=parsed.key).order_by("-version")
                   .values_list("version", flat=True).first() or 0) + 1
        policy = AwardPolicy(key=parsed.key, version=version, document=text, created_by=by, **_metadata(parsed))
        if public_notice_days is not None:
            policy.public_notice_days = public_notice_days
        policy.full_clean()
        policy.save()
        return PolicySaved(policy, "created")
    return _change_policy(current, parsed, text, by, public_notice_days)


@transaction.atomic
def award_policy_update(*, policy: AwardPolicy, text: str, by: User | None = None,
                        public_notice_days: int | None = None) -> PolicySaved:
    """Save an administrator's edit of a policy version (the same rules as an import of its key)."""
    parsed = read_policy_document(text)
    current = AwardPolicy.objects.select_for_update().get(pk=policy.pk)
    if not current.is_current:
        raise ValidationError(_("Only the current version of a policy can be edited."), code="not_current")
    if parsed.key != current.key:
        raise ValidationError({"document": _("The key of a policy cannot change (it is “%(key)s”); import a "
                                             "different policy as a new one.") % {"key": current.key}})
    return _change_policy(current, parsed, text, by, public_notice_days)


def _change_policy(current: AwardPolicy, parsed, text: str, by, public_notice_days) -> PolicySaved:
    notice = current.public_notice_days if public_notice_days is None else public_notice_days
    if current.policy == parsed and notice == current.public_notice_days:
        if text != current.document:  # only comments or layout changed: nothing an award depends on
            current.document = text
            current.save(update_fields=["document", "updated_at"])
        return PolicySaved(current, "unchanged")
    if policy_is_frozen(current):
        current.is_current = False
        current.save(update_fields=["is_current", "updated_at"])
        policy = AwardPolicy(key=current.key, version=current.version + 1, document=text, created_by=by,
                             public_notice_days=notice, **_metadata(parsed))
        policy.full_clean()
        policy.save()
        return PolicySaved(policy, "new_version")
    for name, value in _metadata(parsed).items():
        setattr(current, name, value)
    current.document = text
    current.public_notice_days = notice
    current.__dict__.pop("policy", None)
    current.full_clean()
    current.save()
    return PolicySaved(current, "updated")


def award_policy_export(*, policy: AwardPolicy, fmt: str = "yaml") -> str:
    """The policy as a file: the stored YAML document as written (comments kept), or JSON."""
    if fmt == "json":
        return policy_file.dump_policy(policy.policy, "json")
    return policy.document


# --- facts --------------------------------------------------------------------------------------------


@transaction.atomic
def award_fact_record(*, project: Project, by: User, name: str, source: str, as_of: date,
                      year: int | None = None, amount: Decimal | None = None, unit: str = "",
                      flag: bool | None = None) -> AwardFact:
    """Enter (or correct) a fact the project records do not hold, with its source; the project's draft and
    submitted applications are recomputed once the change is committed."""
    if name in ENTERED_YEARLY_FACTS and year is None:
        raise ValidationError({"year": _("Give the year this figure is for.")})
    if name not in ENTERED_YEARLY_FACTS:
        year = None
    if name in ENTERED_AMOUNT_FACTS + ENTERED_YEARLY_FACTS:
        if amount is None or not unit:
            raise ValidationError({"amount": _("Give the amount and its unit.")})
        flag = None
    elif name in ENTERED_FLAG_FACTS:
        if flag is None:
            raise ValidationError({"flag": _("Say yes or no.")})
        amount, unit = None, ""
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": _("The source cannot be dated in the future.")})
    fact = AwardFact.objects.filter(project=project, name=name, year=year).first() or AwardFact(
        project=project, name=name, year=year)
    fact.amount, fact.unit, fact.flag = amount, unit, flag
    fact.source, fact.as_of, fact.entered_by = source.strip(), as_of, by
    fact._history_user = by
    fact.full_clean(validate_constraints=False)
    fact.save()
    project_facts_changed(project_id=project.pk)
    return fact


def project_facts_changed(*, project_id: int) -> None:
    """Recompute a project's draft and submitted applications after its facts change (once committed).

    Called after an award fact is entered, and on the pipeline's ``projects.signals.project_facts_changed``
    (a milestone or capital in place recorded); the nightly batch recompute catches anything else.
    """
    from awards.tasks import recompute_project_applications

    transaction.on_commit(lambda: recompute_project_applications.delay(project_id))


# --- computing an application ---------------------------------------------------------------------------


def _beneficiary_outcomes(result: AwardResult, beneficiary: str):
    return [outcome for outcome in result.clauses if outcome.beneficiary == Beneficiary(beneficiary)]


def _snapshot(application: AwardApplication, *, today: date | None = None) -> dict:
    """What the engine says now about this application: the fields its sheet is drawn from."""
    gathered = gather_project_facts(application.project, first_award_year=application.first_award_year,
                                    today=today)
    result = compute(application.policy.policy, gathered.facts)
    outcomes = _beneficiary_outcomes(result, application.beneficiary)
    undecided = [o for o in outcomes if o.status in (Status.MISSING_FACTS, Status.UNDECIDED)]
    return {
        "facts": facts_as_data(gathered.facts),
        "fact_sources": gathered.sources,
        "result": result_as_data(result),
        "total": result.total_for(Beneficiary(application.beneficiary)),
        "complete": not undecided,
    }


def _apply_snapshot(application: AwardApplication, *, today: date | None = None) -> bool:
    """Store the current computation on the application; False (and no write) when nothing changed."""
    snapshot = _snapshot(application, today=today)
    if all(getattr(application, name) == value for name, value in snapshot.items()):
        return False
    for name, value in snapshot.items():
        setattr(application, name, value)
    application.computed_at = timezone.now()
    application.save()
    return True


def _payable_lines(application: AwardApplication) -> list[dict]:
    return [line for line in application.result.get("lines", [])
            if line["beneficiary"] == application.beneficiary and Decimal(line["amount"]) > 0]


def _line_year(application: AwardApplication, line: dict) -> int:
    """The calendar year of a yearly line (award year 1 is ``first_award_year``), 0 for a one-off line."""
    return 0 if line["year"] is None else application.first_award_year + line["year"] - 1


def _claim_lines(application: AwardApplication) -> None:
    """Claim the application's payable lines; the database refuses a clause another application holds."""
    application.awarded_lines.all().delete()
    for line in _payable_lines(application):
        year = _line_year(application, line)
        try:
            with transaction.atomic():
                AwardedLine.objects.create(application=application, project=application.project,
                                           policy_key=application.policy.key, clause=line["clause"], year=year,
                                           amount=Decimal(line["amount"]))
        except IntegrityError:
            holder = (AwardedLine.objects.filter(project=application.project, policy_key=application.policy.key,
                                                 clause=line["clause"], year=year, active=True)
                      .values_list("application_id", flat=True).first())
            raise ValidationError(
                _("Clause “%(clause)s”%(year)s of this policy is already awarded to this project by application "
                  "No. %(other)s: a project is never awarded twice for the same clause."),
                params={"clause": line["clause"], "year": f" ({year})" if year else "", "other": holder},
                code="double_award",
            ) from None


def _release_lines(application: AwardApplication) -> None:
    application.awarded_lines.filter(active=True).update(active=False)


# --- rules of the award -----------------------------------------------------------------------------------


def _milestone_date(project: Project, kind: str) -> date | None:
    return project.milestones.filter(kind=kind).values_list("date", flat=True).first()


def check_policy_covers(*, policy: AwardPolicy, project: Project) -> None:
    """A policy covers the projects signed (or registered) within its effective dates."""
    parsed = policy.policy
    kind = MilestoneKind.CONTRACT if parsed.applies_to is AppliesTo.SIGNED else MilestoneKind.REGISTRATION
    day = _milestone_date(project, kind)
    if day is None:
        message = (_("The project has no signing date yet; this policy covers projects signed within its dates.")
                   if kind == MilestoneKind.CONTRACT else
                   _("The project is not registered in the district yet; this policy covers projects registered "
                     "within its dates."))
        raise ValidationError(message, code="not_covered")
    if not parsed.in_force_on(day):
        raise ValidationError(
            _("The project's date (%(day)s) is outside the policy's effective dates (%(start)s to %(end)s)."),
            params={"day": day.isoformat(), "start": parsed.effective_from.isoformat(),
                    "end": parsed.effective_to.isoformat() if parsed.effective_to else _("no end date")},
            code="not_covered")


def check_introducer(*, project: Project, introducer, is_public_servant: bool | None, application_pk=None,
                     on_submit: bool = False) -> None:
    """The introducer rules: one introducer per project, put on record (备案) before the signing, and not a
    person the policy excludes (a public servant, or the investor itself)."""
    if introducer is None:
        raise ValidationError({"introducer": _("Choose the introducer this award is for.")})
    if project.introducer_id is not None and project.introducer_id != introducer.pk:
        raise ValidationError({"introducer": _(
            "The project's introducer is %(name)s: a project has one introducer.") % {"name": project.introducer}})
    other = (AwardApplication.objects.filter(project=project, beneficiary=BeneficiaryKind.INTRODUCER)
             .exclude(status=S.REJECTED).exclude(pk=application_pk).exclude(introducer=introducer)
             .select_related("introducer").first())
    if other is not None:
        raise ValidationError({"introducer": _(
            "This project already has an introducer, %(name)s (application No. %(pk)s): a project has one "
            "introducer.") % {"name": other.introducer.name, "pk": other.pk}})
    signed_on = _milestone_date(project, MilestoneKind.CONTRACT)
    if signed_on is None:
        raise ValidationError({"introducer": _("The project is not signed yet: an introducer is awarded for a "
                                               "signed project.")})
    if introducer.registered_at is None or introducer.registered_at >= signed_on:
        raise ValidationError({"introducer": _(
            "The introducer must be on record (备案) before the signing on %(signed)s; %(name)s was recorded "
            "%(registered)s.") % {"signed": signed_on.isoformat(), "name": introducer.name,
                                  "registered": introducer.registered_at.isoformat() if introducer.registered_at
                                  else _("never")}})
    enterprise = project.enterprise
    code = normalize_credit_code(introducer.id_number or "")
    same_code = bool(code) and code == (enterprise.credit_code or "")
    same_name = normalize_enterprise_name(introducer.name) == normalize_enterprise_name(enterprise.name)
    if same_code or same_name:
        raise ValidationError({"introducer": _(
            "%(name)s is the investor itself: an investor cannot be awarded as its own introducer.")
            % {"name": introducer.name}})
    if is_public_servant:
        raise ValidationError({"introducer_is_public_servant": _(
            "Public servants (公职人员) are excluded from introducer awards.")})
    if on_submit and is_public_servant is None:
        raise ValidationError({"introducer_is_public_servant": _(
            "Say whether the introducer is a public servant before submitting.")})


# --- the workflow -----------------------------------------------------------------------------------------


def _lock(application: AwardApplication) -> AwardApplication:
    return (AwardApplication.objects.select_for_update(of=("self",))
            .select_related("project__enterprise", "project__introducer", "policy", "introducer")
            .get(pk=application.pk))


def _move(application: AwardApplication, to: str, by: User | None, reason: str = "") -> AwardApplication:
    """Enforce the workflow (allowed moves, leaders' moves, reasons) and record the move."""
    if to not in APPLICATION_MOVES[application.status]:
        raise ValidationError(
            _("An application cannot move from “%(a)s” to “%(b)s”."),
            params={"a": S(application.status).label, "b": S(to).label}, code="bad_move")
    if to in LEADER_MOVES and not is_leader(by):
        raise ValidationError(_("Only a leader can make this decision."), code="leader_only")
    reason = reason.strip()
    if to in MOVES_NEEDING_REASON and not reason:
        raise ValidationError(_("Give the reason."), code="reason_required")
    ApplicationStatusChange.objects.create(application=application, from_status=application.status, to_status=to,
                                           by=by, reason=reason)
    audit.record(action=audit.AWARD_CHANGED, target=application, actor=by,
                 detail={"from": application.status, "to": to})
    application.status = to
    if to in MOVES_NEEDING_REASON:
        application.decision_reason = reason
    application._history_user = by
    return application


@transaction.atomic
def award_application_create(*, project: Project, policy: AwardPolicy, beneficiary: str, by: User,
                             first_award_year: int, introducer=None,
                             introducer_is_public_servant: bool | None = None) -> AwardApplication:
    """Open a draft for a project under the current version of a policy and compute it from the project's
    records; refused when the policy does not cover the project or the introducer rules are not met."""
    project = (Project.objects.select_for_update(of=("self",)).select_related("enterprise", "introducer")
               .get(pk=project.pk))
    if not policy.is_current:
        raise ValidationError({"policy": _("Use the current version of the policy.")})
    if not any(clause.beneficiary.value == beneficiary for clause in policy.policy.clauses):
        raise ValidationError({"beneficiary": _("This policy has no clause for this beneficiary.")})
    check_policy_covers(policy=policy, project=project)
    if beneficiary == BeneficiaryKind.INTRODUCER:
        check_introducer(project=project, introducer=introducer, is_public_servant=introducer_is_public_servant)
    else:
        introducer, introducer_is_public_servant = None, None
    application = AwardApplication(project=project, policy=policy, beneficiary=beneficiary, introducer=introducer,
                                   introducer_is_public_servant=introducer_is_public_servant,
                                   first_award_year=first_award_year, created_by=by)
    application._history_user = by
    application.full_clean(validate_constraints=False)
    application.save()
    ApplicationStatusChange.objects.create(application=application, from_status="", to_status=S.DRAFT, by=by)
    _apply_snapshot(application)
    return application


@transaction.atomic
def award_application_recompute(*, application: AwardApplication, by: User | None = None) -> bool:
    """Compute a draft or submitted application again from the project's current facts; True if it changed.

    Running it again without a change of facts writes nothing. A submitted application's claimed lines follow
    its new result (and are refused if another application holds one of them).
    """
    application = _lock(application)
    if application.status not in RECOMPUTED_STATUSES:
        return False
    application._history_user = by
    changed = _apply_snapshot(application)
    if changed and application.status == S.SUBMITTED:
        _claim_lines(application)
    return changed


@dataclass(frozen=True)
class RecomputeResult:
    checked: int
    changed: int
    failed: int


def award_applications_recompute(*, project_id: int | None = None) -> RecomputeResult:
    """Recompute every draft and submitted application (of one project, or all), one transaction each, so
    one application that can no longer be computed does not hold up the others. Idempotent."""
    ids = AwardApplication.objects.filter(status__in=RECOMPUTED_STATUSES)
    if project_id is not None:
        ids = ids.filter(project_id=project_id)
    checked = changed = failed = 0
    for pk in ids.order_by("pk").values_list("pk", flat=True):
        checked += 1
        try:
            changed += award_application_recompute(application=AwardApplication(pk=pk))
        except (ValidationError, ValueError) as exc:
            failed += 1
            logger.warning("award application %s could not be recomputed: %s", pk, exc)
    return RecomputeResult(checked, changed, failed)


def _require_computable(application: AwardApplication) -> None:
    """An award is submitted or approved only on a complete computation that pays something."""
    result = application.result
    missing = [name for clause in result.get("clauses", []) if clause["beneficiary"] == application.beneficiary
               for name in clause["missing_facts"]]
    if missing:
        raise ValidationError(
            _("The computation needs facts that are not recorded yet: %(facts)s."),
            params={"facts": "、".join(str(fact_label(name)) for name in dict.fromkeys(missing))},
            code="missing_facts")
    if not application.complete:
        raise ValidationError(_("The computation is not complete yet."), code="incomplete")
    if application.total <= 0:
        raise ValidationError(_("The project earns nothing under this policy: see each clause's conditions on "
                                "the calculation sheet."), code="nothing_due")


def _leaders() -> list[User]:
    return list(User.objects.filter(role=Role.LEADER, is_active=True))


@transaction.atomic
def award_application_submit(*, application: AwardApplication, by: User) -> AwardApplication:
    """Send a draft to the leaders: computed afresh, complete, paying something, the introducer rules met,
    and its clauses claimed (the database refuses a clause already awarded to the project)."""
    application = _lock(application)
    if application.status == S.DRAFT:
        application._history_user = by
        _apply_snapshot(application)
    if application.beneficiary == BeneficiaryKind.INTRODUCER:
        check_introducer(project=application.project, introducer=application.introducer,
                         is_public_servant=application.introducer_is_public_servant,
                         application_pk=application.pk, on_submit=True)
    _move(application, S.SUBMITTED, by)
    _require_computable(application)
    application.submitted_at = timezone.now()
    application.save()
    _claim_lines(application)
    url = application.get_absolute_url()
    for leader in _leaders():
        notify(recipient=leader, key=f"award-submitted:{application.pk}:{application.submitted_at:%Y%m%d%H%M%S}",
               message=_("Award application No. %(pk)s (%(project)s) waits for approval.")
               % {"pk": application.pk, "project": application.project.name}, url=url)
    return application


@transaction.atomic
def award_application_return(*, application: AwardApplication, by: User, reason: str) -> AwardApplication:
    """A leader sends a submitted application back to its officer for correction; its clauses are freed."""
    application = _lock(application)
    if not is_leader(by):
        raise ValidationError(_("Only a leader can make this decision."), code="leader_only")
    _move(application, S.DRAFT, by, reason)
    application.save()
    _release_lines(application)
    _notify_owner(application, "returned")
    return application


@transaction.atomic
def award_application_approve(*, application: AwardApplication, by: User, today: date | None = None
                              ) -> AwardApplication:
    """A leader approves: the public notice (公示) starts today for the policy's number of days, and each
    payable line is split into its instalments. The policy version is frozen from now on."""
    application = _lock(application)
    _move(application, S.PUBLIC_NOTICE, by)
    _require_computable(application)
    today = today or timezone.localdate()
    application.approved_by, application.approved_at = by, timezone.now()
    application.notice_starts_on = today
    application.notice_ends_on = today + timedelta(days=application.policy.public_notice_days - 1)
    application.save()
    for line in _payable_lines(application):
        for part in line["instalments"]:
            Instalment.objects.create(application=application, clause=line["clause"],
                                      year=_line_year(application, line), number=part["number"],
                                      share=Decimal(part["share"]), amount=Decimal(part["amount"]),
                                      condition=part["condition"])
    _notify_owner(application, "approved")
    return application


@transaction.atomic
def award_application_reject(*, application: AwardApplication, by: User, reason: str) -> AwardApplication:
    """A leader refuses a submitted application, or upholds an objection during the public notice."""
    application = _lock(application)
    _move(application, S.REJECTED, by, reason)
    application.save()
    _release_lines(application)
    application.instalments.filter(status=InstalmentStatus.DUE).update(status=InstalmentStatus.CANCELLED)
    _notify_owner(application, "rejected")
    return application


@transaction.atomic
def award_application_close_notice(*, application: AwardApplication, today: date | None = None,
                                   by: User | None = None) -> AwardApplication:
    """After the last day of the public notice the instalments become payable."""
    application = _lock(application)
    today = today or timezone.localdate()
    if application.status == S.PUBLIC_NOTICE and today <= application.notice_ends_on:
        raise ValidationError(_("The public notice runs until %(day)s."),
                              params={"day": application.notice_ends_on.isoformat()}, code="in_notice")
    _move(application, S.PAYING, by)
    application.save()
    return application


def award_notices_close_sweep(*, today: date) -> int:
    """Close every public notice whose last day has passed; run daily, safe to run twice."""
    closed = 0
    ended = AwardApplication.objects.filter(status=S.PUBLIC_NOTICE, notice_ends_on__lt=today)
    for pk in ended.values_list("pk", flat=True):
        award_application_close_notice(application=AwardApplication(pk=pk), today=today)
        closed += 1
    return closed


def _lock_instalment(instalment: Instalment) -> Instalment:
    return Instalment.objects.select_for_update(of=("self",)).select_related("application").get(pk=instalment.pk)


@transaction.atomic
def instalment_confirm_condition(*, instalment: Instalment, by: User, met_on: date, note: str) -> Instalment:
    """Record that an instalment's own condition was checked and met (by the officer or a leader)."""
    instalment = _lock_instalment(instalment)
    if instalment.application.status not in (S.PUBLIC_NOTICE, S.PAYING) or instalment.status != InstalmentStatus.DUE:
        raise ValidationError(_("Only a due instalment of an approved award can have its condition confirmed."),
                              code="not_due")
    if met_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
    if not note.strip():
        raise ValidationError(_("Say how the condition was checked."), code="note_required")
    instalment.condition_met_on, instalment.condition_note = met_on, note.strip()
    instalment.condition_confirmed_by = by
    instalment._history_user = by
    instalment.save()
    return instalment


@transaction.atomic
def instalment_pay(*, instalment: Instalment, by: User, paid_on: date, reference: str = "") -> Instalment:
    """A leader records an instalment as paid: only after the public notice and once its condition is met.
    The application is paid in full when no instalment is left due."""
    if not is_leader(by):
        raise ValidationError(_("Only a leader can record a payment."), code="leader_only")
    instalment = _lock_instalment(instalment)
    application = _lock(instalment.application)
    if application.status != S.PAYING:
        raise ValidationError(_("Instalments are paid only after the public notice has ended."),
                              code="not_payable")
    if instalment.status != InstalmentStatus.DUE:
        raise ValidationError(_("This instalment is not due."), code="not_due")
    if instalment.condition and instalment.condition_met_on is None:
        raise ValidationError(_("Confirm the instalment's condition first: %(condition)s"),
                              params={"condition": instalment.condition}, code="condition_unmet")
    if paid_on > timezone.localdate() or paid_on <= application.notice_ends_on:
        raise ValidationError(_("The payment date must be after the public notice and not in the future."),
                              code="bad_date")
    instalment.status, instalment.paid_on, instalment.paid_by = InstalmentStatus.PAID, paid_on, by
    instalment.payment_reference = reference.strip()
    instalment._history_user = by
    instalment.save()
    if not application.instalments.filter(status=InstalmentStatus.DUE).exists():
        _move(application, S.COMPLETED, by)
        application.save()
    return instalment


def _paid_total(application: AwardApplication) -> Decimal:
    return application.instalments.filter(status=InstalmentStatus.PAID).aggregate(s=Sum("amount"))["s"] or Decimal(0)


@transaction.atomic
def award_application_cancel(*, application: AwardApplication, by: User, reason: str,
                             recovery_amount: Decimal | None = None, decided_on: date | None = None
                             ) -> AwardApplication:
    """A leader cancels an award whose conditions failed: the remaining instalments are cancelled, and the
    amount to recover from what was paid, if any, is recorded. The clauses stay awarded (never twice)."""
    application = _lock(application)
    _move(application, S.CANCELLED, by, reason)
    application.save()
    application.instalments.filter(status=InstalmentStatus.DUE).update(status=InstalmentStatus.CANCELLED)
    if recovery_amount:
        recovery_record(application=application, by=by, amount=recovery_amount, reason=reason,
                        decided_on=decided_on or timezone.localdate())
    _notify_owner(application, "cancelled")
    return application


@transaction.atomic
def recovery_record(*, application: AwardApplication, by: User, amount: Decimal, reason: str, decided_on: date,
                    recovered_on: date | None = None) -> Recovery:
    """Record money to recover (追回) from a cancelled award, never more than was paid."""
    if not is_leader(by):
        raise ValidationError(_("Only a leader can make this decision."), code="leader_only")
    if application.status != S.CANCELLED:
        raise ValidationError(_("A recovery is recorded on a cancelled award."), code="not_cancelled")
    recovered = application.recoveries.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    paid = _paid_total(application)
    if amount <= 0 or amount + recovered > paid:
        raise ValidationError(
            _("The recovery must be above zero and, with earlier recoveries, at most what was paid (%(paid)s 元)."),
            params={"paid": f"{paid:,.2f}"}, code="too_much")
    recovery = Recovery(application=application, amount=amount, reason=reason.strip(), decided_on=decided_on,
                        recovered_on=recovered_on, recorded_by=by)
    recovery._history_user = by
    recovery.full_clean()
    recovery.save()
    return recovery


def _notify_owner(application: AwardApplication, event: str) -> None:
    messages = {
        "approved": _("Award application No. %(pk)s was approved; the public notice runs until %(day)s."),
        "rejected": _("Award application No. %(pk)s was rejected: %(reason)s"),
        "returned": _("Award application No. %(pk)s was returned for correction: %(reason)s"),
        "cancelled": _("Award application No. %(pk)s was cancelled: %(reason)s"),
    }
    day = application.notice_ends_on.isoformat() if application.notice_ends_on else ""
    message = messages[event] % {"pk": application.pk, "day": day, "reason": application.decision_reason}
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    notify(recipient=application.project.owner, key=f"award-{event}:{application.pk}:{stamp}", message=message,
           url=application.get_absolute_url())

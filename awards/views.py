"""Award pages: policies and their files, the calculator, applications with their calculation sheet, the
workflow, instalments and recoveries. Each view parses, authorises (awards.access), calls one service, responds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards import access, selectors, services
from awards.choices import ApplicationStatus, InstalmentStatus
from awards.engine import compute, result_as_data
from awards.exports import sheet_xlsx
from awards.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    AwardFactForm,
    CalculatorForm,
    ConditionForm,
    PaymentForm,
    RecoveryForm,
    TransitionForm,
)
from awards.selectors import facts_as_data
from awards.sheet import build_sheet
from crm.downloads import xlsx_download
from crm.lib.pagination import list_page

S = ApplicationStatus


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# --- policies and the calculator ----------------------------------------------------------------------


@login_required
@require_GET
def policy_list(request):
    access.require_awards(request.user)
    policies = access.policies_visible_to(request.user).order_by("key", "-version")
    return render(request, "awards/policy_list.html", {"policies": policies})


@login_required
@require_GET
def policy_export(request, pk):
    """The policy as a file to download: YAML (as stored, comments kept) or ``?format=json``."""
    policy = access.get_policy_for_user(request.user, pk)
    fmt = "json" if request.GET.get("format") == "json" else "yaml"
    text = services.award_policy_export(policy=policy, fmt=fmt)
    content_type = "application/json" if fmt == "json" else "application/yaml"
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{policy.key}-v{policy.version}.{fmt}"'
    return response


@login_required
@require_GET
def calculator(request):
    """What-if figures for a policy: the award and how it is reached, clause by clause; nothing is stored."""
    access.require_awards(request.user)
    policies = selectors.current_policies(request.user)
    form = CalculatorForm(request.GET if "policy" in request.GET else None, policies=policies)
    sheet = None
    if form.is_bound and form.is_valid():
        facts = form.facts()
        if facts is not None:
            policy = form.cleaned_data["policy"]
            result = compute(policy.policy, facts)
            sheet = build_sheet(policy=policy.policy, result=result_as_data(result), facts=facts_as_data(facts))
    return render(request, "awards/calculator.html", {"form": form, "sheet": sheet})


# --- applications ---------------------------------------------------------------------------------------


@login_required
@require_GET
def application_list(request):
    """Every award by year, status and beneficiary, with totals computed in the database."""
    access.require_awards(request.user)
    years = selectors.application_years(user=request.user)
    form = ApplicationFilterForm(request.GET or None, years=years)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = selectors.ApplicationFilters(year=data.get("year"), status=data.get("status", ""),
                                           beneficiary=data.get("beneficiary", ""))
    page = list_page(request, selectors.application_list(user=request.user, filters=filters))
    return render(request, "awards/application_list.html", {
        "form": form, "page": page, "totals": selectors.application_totals(user=request.user, filters=filters),
        "can_create": bool(access.projects_preparable_by(request.user).exists()),
    })


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request):
    access.require_awards(request.user)
    projects = access.projects_preparable_by(request.user)
    if not projects.exists():
        raise PermissionDenied
    form = ApplicationForm(request.POST or None, projects=projects, initial={"project": request.GET.get("project")},
                           policies=selectors.current_policies(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.award_application_create(
                project=data["project"], policy=data["policy"], beneficiary=data["beneficiary"], by=request.user,
                introducer=data["introducer"], introducer_is_public_servant=data["introducer_is_public_servant"],
                first_award_year=data["first_award_year"] or selectors.default_first_award_year(data["project"]))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Application No. %(pk)s created and computed.") % {"pk": application.pk})
            return redirect(application)
    return render(request, "awards/application_form.html", {"form": form})


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _sheet_of(application):
    return build_sheet(policy=application.policy.policy, result=application.result,
                       beneficiary=application.beneficiary, facts=application.facts,
                       sources=application.fact_sources, first_award_year=application.first_award_year)


@login_required
@require_GET
def application_detail(request, pk):
    """The calculation sheet of an application, its workflow and its instalments; prints cleanly."""
    application = selectors.application_for_sheet(user=request.user, pk=pk)
    user = request.user
    can_prepare = access.can_prepare_application(user, application.project)
    can_decide = access.can_decide_application(user)
    titles = {clause.key: clause.title or clause.key for clause in application.policy.policy.clauses}
    instalments = list(application.instalments.all())
    for instalment in instalments:
        instalment.clause_title = titles.get(instalment.clause, instalment.clause)
    return render(request, "awards/application_detail.html", {
        "application": application,
        "sheet": _sheet_of(application),
        "instalments": instalments,
        "status_changes": application.status_changes.all(),
        "recoveries": application.recoveries.all(),
        "can_submit": can_prepare and application.status == S.DRAFT,
        "can_recompute": can_prepare and application.status in (S.DRAFT, S.SUBMITTED),
        "can_review": can_decide and application.status == S.SUBMITTED,
        "can_object": can_decide and application.status == S.PUBLIC_NOTICE,
        "can_close_notice": (can_prepare or can_decide) and application.status == S.PUBLIC_NOTICE
        and timezone.localdate() > application.notice_ends_on,
        "can_cancel": can_decide and application.status in (S.PAYING, S.COMPLETED),
        "can_recover": can_decide and application.status == S.CANCELLED,
        "can_confirm": can_prepare and application.status in (S.PUBLIC_NOTICE, S.PAYING),
        "can_pay": can_decide and application.status == S.PAYING,
        "due": InstalmentStatus.DUE,
    })


@login_required
@require_GET
def application_export(request, pk):
    """The calculation sheet as an Excel workbook (text that looks like a formula is written as text)."""
    application = access.get_application_for_user(request.user, pk)
    content = sheet_xlsx(_sheet_of(application), title=str(application), project=str(application.project))
    return xlsx_download(content, f"award-{application.pk}", dated=False)


@login_required
@require_POST
def application_recompute(request, pk):
    application = access.get_application_for_user(request.user, pk, write=True)
    try:
        changed = services.award_application_recompute(application=application, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.info(request, _("Recomputed from the project's current facts.") if changed
                      else _("Nothing changed: the facts are the same as at the last computation."))
    return redirect(application)


# Which service each workflow move calls, and whether a leader must make it.
_TRANSITIONS = {
    S.SUBMITTED: (False, lambda app, by, data: services.award_application_submit(application=app, by=by)),
    S.PUBLIC_NOTICE: (True, lambda app, by, data: services.award_application_approve(application=app, by=by)),
    S.REJECTED: (True, lambda app, by, data: services.award_application_reject(application=app, by=by,
                                                                                reason=data["reason"])),
    S.DRAFT: (True, lambda app, by, data: services.award_application_return(application=app, by=by,
                                                                             reason=data["reason"])),
    S.PAYING: (False, lambda app, by, data: services.award_application_close_notice(application=app, by=by)),
    S.CANCELLED: (True, lambda app, by, data: services.award_application_cancel(
        application=app, by=by, reason=data["reason"], recovery_amount=data["recovery_amount"])),
}


@login_required
@require_POST
def application_transition(request, pk):
    """Move an application: submit (its officer), approve, reject, return or cancel (a leader), or open the
    instalments once the public notice is over."""
    application = access.get_application_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["to"] not in _TRANSITIONS:
        messages.error(request, _("Choose a valid action."))
        return redirect(application)
    leaders_only, call = _TRANSITIONS[form.cleaned_data["to"]]
    allowed = (access.can_decide_application(request.user) if leaders_only else
               access.can_prepare_application(request.user, application.project))
    if not allowed:
        raise PermissionDenied
    try:
        call(application, request.user, form.cleaned_data)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Application No. %(pk)s: %(status)s.")
                         % {"pk": application.pk, "status": S(form.cleaned_data["to"]).label})
    return redirect(application)


@login_required
@require_POST
def instalment_condition(request, pk):
    instalment = access.get_instalment_for_user(request.user, pk)
    application = instalment.application
    if not access.can_prepare_application(request.user, application.project):
        raise PermissionDenied
    form = ConditionForm(request.POST)
    if form.is_valid():
        try:
            services.instalment_confirm_condition(instalment=instalment, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Condition confirmed."))
    else:
        messages.error(request, _("Give the date and how the condition was checked."))
    return redirect(application)


@login_required
@require_POST
def instalment_pay(request, pk):
    instalment = access.get_instalment_for_user(request.user, pk)
    if not access.can_decide_application(request.user):
        raise PermissionDenied
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.instalment_pay(instalment=instalment, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Payment recorded."))
    else:
        messages.error(request, _("Give the payment date."))
    return redirect(instalment.application)


@login_required
@require_POST
def recovery_create(request, pk):
    application = access.get_application_for_user(request.user, pk)
    if not access.can_decide_application(request.user):
        raise PermissionDenied
    form = RecoveryForm(request.POST)
    if form.is_valid():
        try:
            services.recovery_record(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Recovery recorded."))
    else:
        messages.error(request, _("Give the amount, the date of the decision and the reason."))
    return redirect(application)


# --- facts ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def project_facts(request, pk):
    """The award facts of a project (contribution, rent, paid-in capital...) with their sources."""
    project = access.get_project_for_awards(request.user, pk, write=request.method == "POST")
    form = AwardFactForm(request.POST or None, initial={"as_of": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.award_fact_record(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Fact saved; the project's open applications are recomputed."))
            return redirect("awards:project_facts", pk=project.pk)
    return render(request, "awards/project_facts.html", {
        "project": project, "facts": selectors.project_facts_list(project=project), "form": form,
        "can_edit": access.can_prepare_application(request.user, project),
        "applications": project.award_applications.select_related("policy").order_by("-created_at"),
    })

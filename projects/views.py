"""Pages of the project pipeline. Each view parses, authorises (projects.access), calls one service and
responds; refusals from the services are shown as messages or form errors and change nothing."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from crm import access as crm_access
from crm.calendar_days import calendar_overrides, due_date
from crm.downloads import xlsx_download
from crm.lib import workdays
from crm.lib.exports import ExportColumn, write_xlsx
from crm.lib.pagination import list_page
from crm.services import StaleEdit
from leads.access import get_lead_for_user
from projects import access, selectors, services
from projects.choices import (
    MILESTONE_ORDER,
    MILESTONE_STAGE,
    STAGE_MOVES,
    DocumentKind,
    MilestoneKind,
    RequestStatus,
    Stage,
    manual_stage_targets,
)
from projects.forms import (
    CapitalForm,
    ConditionResolveForm,
    DocumentForm,
    MilestoneForm,
    OpinionForm,
    ProjectForm,
    ReturnMaterialForm,
    RoundOpenForm,
    StageMoveForm,
    TalentAnswerForm,
    TalentRequestForm,
)


def _refuse(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- projects ---------------------------------------------------------------------------------------


@login_required
def project_list(request):
    crm_access.require_bureau_staff(request.user)
    search, stage = request.GET.get("q", ""), request.GET.get("stage", "")
    qs = selectors.project_list(user=request.user, search=search, stage=stage)
    return render(request, "projects/project_list.html", {
        "page": list_page(request, qs), "search": search, "stage": stage, "stages": Stage.choices,
        "can_create": access.can_create_project(request.user),
    })


# Columns of the project export: one row per project, as the list shows it plus the figures.
EXPORT_COLUMNS = [
    ExportColumn(gettext_lazy("Code"), lambda p: p.code, 14),
    ExportColumn(gettext_lazy("Name"), lambda p: p.name, 30),
    ExportColumn(gettext_lazy("Enterprise"), lambda p: p.enterprise.name, 30),
    ExportColumn(gettext_lazy("Industry"), lambda p: p.industry.name, 20),
    ExportColumn(gettext_lazy("Stage"), lambda p: p.get_stage_display(), 12),
    ExportColumn(gettext_lazy("Total planned investment (10k CNY)"), lambda p: p.total_investment_wan),
    ExportColumn(gettext_lazy("Of which fixed-asset investment (10k CNY)"), lambda p: p.fixed_asset_investment_wan),
    ExportColumn(gettext_lazy("Foreign capital (10k USD)"), lambda p: p.foreign_capital_usd_wan),
    ExportColumn(gettext_lazy("Land needed (mu)"), lambda p: p.land_mu),
    ExportColumn(gettext_lazy("Expected annual tax (10k CNY)"), lambda p: p.expected_tax_wan),
    ExportColumn(gettext_lazy("Expected jobs"), lambda p: p.expected_jobs),
    ExportColumn(gettext_lazy("Key project"), lambda p: p.is_key_project),
    ExportColumn(gettext_lazy("Owner"), lambda p: p.owner.display_name, 12),
]


@login_required
def project_export(request):
    """The filtered project list as an Excel file (bureau staff only; formula-like text is neutralised)."""
    crm_access.require_bureau_staff(request.user)
    qs = selectors.project_list(user=request.user, search=request.GET.get("q", ""),
                                stage=request.GET.get("stage", ""))
    content = write_xlsx(EXPORT_COLUMNS, qs.iterator(chunk_size=500), sheet_title=str(_("Projects")))
    return xlsx_download(content, "projects")


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    crm_access.require_bureau_staff(request.user)
    if not access.can_create_project(request.user):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, initial={"land_mu": 0})
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(by=request.user, owner=request.user,
                                              co_owners=form.cleaned_data["co_owners"], **form.service_fields())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Project %(code)s opened.") % {"code": project.code})
            return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "title": _("New project")})


@login_required
@require_http_methods(["GET", "POST"])
def project_create_from_lead(request, lead_pk):
    """Open a project from a lead: its enterprise, industry, intended investment, owner, co-owners and
    introducer are carried over, and the lead is marked converted."""
    crm_access.require_bureau_staff(request.user)
    lead = get_lead_for_user(request.user, lead_pk, write=True)
    form = ProjectForm(request.POST or None, initial={"land_mu": 0, **services.project_initial_from_lead(lead=lead)})
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create_from_lead(lead=lead, by=request.user,
                                                        co_owners=form.cleaned_data["co_owners"],
                                                        **form.service_fields())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Project %(code)s opened from the lead.") % {"code": project.code})
            return redirect(project)
    return render(request, "projects/project_form.html", {
        "form": form, "lead": lead, "title": _("New project from the lead “%(title)s”") % {"title": lead.title}})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk):
    project = access.get_project_for_user(request.user, pk, write=True)
    form = ProjectForm(request.POST or None, instance=project)
    conflicts = None
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_update(
                project=project, by=request.user, version=form.cleaned_data.get("version") or 0,
                co_owners=form.cleaned_data["co_owners"], **form.service_fields())
        except StaleEdit as exc:
            conflicts = services.project_conflicts(current=exc.current, seen_version=form.cleaned_data["version"] or 0,
                                                   submitted=form.service_fields())
            form.add_error(None, exc.messages[0])
            form.data = form.data.copy()
            form.data["version"] = exc.current.version
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(project)
    return render(request, "projects/project_form.html", {
        "form": form, "project": project, "conflicts": conflicts,
        "title": _("Edit %(code)s") % {"code": project.code}})


@login_required
def project_detail(request, pk):
    project = access.get_project_for_user(request.user, pk)
    if crm_access.is_reviewer(request.user):
        # A reviewer works from their request, which shows what a reviewer needs and nothing more.
        own = project.review_rounds.filter(requests__bureau_id=request.user.bureau_id).order_by("-number").first()
        if own is None:
            raise Http404
        return redirect(own.requests.get(bureau_id=request.user.bureau_id))
    return render(request, "projects/project_detail.html", _detail_context(request, project))


def _detail_context(request, project):
    user = request.user
    rounds = selectors.project_rounds(project=project, user=user)
    can_edit = access.can_edit_project(user, project)
    milestones = list(project.milestones.all())
    capital = list(project.capital_records.all())
    done = {m.kind for m in milestones}
    next_milestone = next((k for k in MILESTONE_ORDER if k not in done), None)
    if not (can_edit and next_milestone and MILESTONE_STAGE[next_milestone] in STAGE_MOVES[project.stage]):
        next_milestone = None
    manual = manual_stage_targets(project.stage, project.paused_from)
    return {
        "project": project,
        "co_owners": project.co_owners.all(),
        "precheck": selectors.precheck_rows(selectors.project_precheck(project)),
        "rounds": rounds,
        "milestones": milestones,
        "next_milestone": next_milestone,
        "next_milestone_label": MilestoneKind(next_milestone).label if next_milestone else "",
        "capital": capital,
        "capital_total": sum((c.cny_equivalent_wan for c in capital), start=Decimal(0)),
        "conditions": project.conditions.select_related("owner", "opinion__request__bureau", "resolved_by"),
        "talent_requests": project.talent_requests.select_related("answered_by"),
        "documents": project.documents.filter(opinion__isnull=True).select_related("uploaded_by"),
        "timeline": selectors.project_timeline(project=project, rounds=rounds, milestones=milestones,
                                               capital=capital),
        "can_edit": can_edit,
        "is_leader": crm_access.is_leader(user),
        "can_open_round": can_edit and project.stage == Stage.NEGOTIATING,
        "stage_form": StageMoveForm(targets=manual) if can_edit and manual else None,
        "document_form": DocumentForm() if can_edit else None,
    }


@login_required
@require_POST
def project_stage(request, pk):
    """Pause, resume or terminate a project (the other moves follow from rounds and milestones)."""
    project = access.get_project_for_user(request.user, pk, write=True)
    form = StageMoveForm(request.POST, targets=manual_stage_targets(project.stage, project.paused_from))
    if form.is_valid():
        try:
            services.project_change_stage(project=project, to=form.cleaned_data["to"], by=request.user,
                                          reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("Stage changed."))
    else:
        messages.error(request, _("Choose a stage this project can move to."))
    return redirect(project)


@login_required
@require_http_methods(["GET", "POST"])
def round_open(request, pk):
    project = access.get_project_for_user(request.user, pk, write=True)
    proposed = services.review_round_proposed_bureaus(project=project)
    form = RoundOpenForm(request.POST or None, initial={"bureaus": list(proposed)})
    if request.method == "POST" and form.is_valid():
        try:
            review_round = services.review_round_open(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Review round %(n)s opened; the bureaus have been notified.")
                             % {"n": review_round.number})
            return redirect(project)
    overrides = calendar_overrides()
    today = timezone.localdate()
    previews = [(b, due_date(start=today, working_days=b.review_due_working_days, overrides=overrides))
                for b in form.fields["bureaus"].queryset]
    warnings = sorted({p[1].warning for p in previews if p[1].used_fallback})
    return render(request, "projects/round_form.html", {
        "form": form, "project": project, "previews": previews, "warnings": warnings})


# --- review requests and opinions --------------------------------------------------------------------


@login_required
def review_request_detail(request, pk):
    review_request = access.get_review_request_for_user(request.user, pk)
    return render(request, "projects/review_request_detail.html",
                  _request_context(request, review_request, OpinionForm(amendment=_is_amendment(review_request))))


def _is_amendment(review_request) -> bool:
    return review_request.status == RequestStatus.ANSWERED


def _request_context(request, review_request, form):
    user = request.user
    project = review_request.round.project
    rounds = selectors.project_rounds(project=project, user=user)
    this_round = next(r for r in rounds if r.pk == review_request.round_id)
    own_bureau = crm_access.is_reviewer(user) and user.bureau_id == review_request.bureau_id
    current = this_round.superseded_at is None
    can_edit = access.can_edit_project(user, project)
    overrides = calendar_overrides()
    return {
        "review_request": review_request,
        "project": project,
        "round": this_round,
        "precheck": selectors.precheck_rows(selectors.project_precheck(project)),
        "documents": access.documents_visible_to(user).filter(project=project, opinion__isnull=True)
        .select_related("uploaded_by"),
        "is_overdue": review_request.status == RequestStatus.PENDING and current
        and review_request.due_on < timezone.localdate(),
        "fallback_warning": workdays.WorkdayResult(
            due=review_request.due_on,
            fallback_years=workdays.fallback_years_between(review_request.requested_at.date(),
                                                           review_request.due_on, **overrides)).warning,
        "opinion_form": form if own_bureau and current and review_request.status != RequestStatus.NEEDS_MATERIAL
        and project.stage in (Stage.NEGOTIATING, Stage.REVIEW) else None,
        "is_amendment": _is_amendment(review_request),
        "return_form": ReturnMaterialForm() if can_edit and current
        and review_request.status == RequestStatus.NEEDS_MATERIAL else None,
        "is_staff": crm_access.is_bureau_staff(user),
    }


@login_required
@require_POST
def opinion_submit(request, pk):
    """A reviewer answers (or amends the answer to) a request routed to their own bureau."""
    review_request = access.get_review_request_for_user(request.user, pk)
    if not crm_access.is_reviewer(request.user):
        raise PermissionDenied
    amendment = _is_amendment(review_request)
    form = OpinionForm(request.POST, request.FILES, amendment=amendment)
    if form.is_valid():
        service = services.opinion_amend if amendment else services.opinion_submit
        try:
            service(request=review_request, by=request.user, outcome=form.cleaned_data["outcome"],
                    reason=form.cleaned_data["reason"], conditions=form.cleaned_data["conditions"],
                    attachments=form.cleaned_data["attachments"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your bureau's opinion has been submitted."))
            return redirect(review_request)
    return render(request, "projects/review_request_detail.html",
                  _request_context(request, review_request, form), status=200)


@login_required
@require_POST
def request_return_material(request, pk):
    """The officer sends the requested material back to the bureau, restarting its due date."""
    review_request = access.get_review_request_for_user(request.user, pk)
    access.get_project_for_user(request.user, review_request.round.project_id, write=True)
    form = ReturnMaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.review_request_return_material(request=review_request, by=request.user,
                                                    note=form.cleaned_data["note"], files=form.cleaned_data["files"])
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("The material has been sent back to the bureau."))
    else:
        for errors in form.errors.values():
            messages.error(request, errors[0])
    return redirect(review_request)


@login_required
def my_reviews(request):
    """A partner reviewer's inbox in two tabs: the open requests (waiting first, oldest due first, overdue
    marked) and the answered ones (newest first), both paginated; the talent bureau also sees its open talent
    requests and the latest answered ones."""
    if not crm_access.is_reviewer(request.user):
        raise Http404
    show = request.GET.get("show")
    show = show if show in (selectors.INBOX_OPEN, selectors.INBOX_ANSWERED) else selectors.INBOX_OPEN
    requests_qs = selectors.inbox(user=request.user, today=timezone.localdate(), show=show)
    page = list_page(request, requests_qs)
    return render(request, "projects/my_reviews.html", {
        "bureau": request.user.bureau, "show": show, "page": page, "requests": page.object_list,
        "counts": selectors.inbox_counts(user=request.user),
        # The page links name the tab even when the inbox was opened without one.
        "page_query": QueryDict.fromkeys(["show"], show),
        "talent_requests": selectors.talent_inbox(user=request.user, show=show),
    })


# --- conditions, milestones, capital ---------------------------------------------------------------------


@login_required
@require_POST
def condition_resolve(request, pk):
    condition = access.get_condition_for_user(request.user, pk, write=True)
    form = ConditionResolveForm(request.POST)
    if form.is_valid():
        action, text = form.cleaned_data["action"], form.cleaned_data["resolution"]
        try:
            if action == "waive":
                services.condition_waive(condition=condition, by=request.user, reason=text)
            else:
                services.condition_close(condition=condition, by=request.user, resolution=text)
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("Condition updated."))
    else:
        messages.error(request, _("Say how the condition was met, or why it is waived."))
    return redirect("projects:project_detail", pk=condition.project_id)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_record(request, pk, kind):
    project = access.get_project_for_user(request.user, pk, write=True)
    if kind not in MilestoneKind.values:
        raise Http404
    form = MilestoneForm(request.POST or None, request.FILES or None, kind=kind, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_record(project=project, kind=kind, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(milestone)s recorded.") % {"milestone": MilestoneKind(kind).label})
            return redirect(project)
    return render(request, "projects/milestone_form.html", {
        "form": form, "project": project, "title": MilestoneKind(kind).label})


@login_required
@require_http_methods(["GET", "POST"])
def capital_create(request, pk):
    project = access.get_project_for_user(request.user, pk, write=True)
    form = CapitalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.capital_record(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Capital in place recorded."))
            return redirect(project)
    return render(request, "projects/capital_form.html", {"form": form, "project": project})


# --- talent requests and documents ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def talent_request_create(request, pk):
    project = access.get_project_for_user(request.user, pk, write=True)
    form = TalentRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.talent_request_create(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Talent request sent to the talent bureau."))
            return redirect(project)
    return render(request, "projects/talent_request_form.html", {
        "form": form, "project": project, "title": _("New talent request")})


@login_required
@require_http_methods(["GET", "POST"])
def talent_request_answer(request, pk):
    talent = access.get_talent_request_for_user(request.user, pk)
    if not crm_access.is_reviewer(request.user):
        raise PermissionDenied
    form = TalentAnswerForm(request.POST or None, initial={"status": talent.status, "answer": talent.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.talent_request_answer(talent_request=talent, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Answer saved."))
            return redirect("projects:my_reviews")
    return render(request, "projects/talent_request_form.html", {
        "form": form, "project": talent.project, "talent": talent, "title": _("Answer a talent request")})


@login_required
@require_POST
def document_upload(request, pk):
    project = access.get_project_for_user(request.user, pk, write=True)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(project=project, by=request.user, kind=DocumentKind.MATERIAL,
                                  file=form.cleaned_data["file"], title=form.cleaned_data["title"] or None)
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("Document added."))
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect(project)


@login_required
def document_download(request, pk):
    """Serve a stored file only to someone who may see it (404 otherwise, as if it did not exist)."""
    document = access.get_document_for_user(request.user, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1])


# --- leaders' pages ---------------------------------------------------------------------------------------


@login_required
def pipeline_board(request):
    crm_access.require_bureau_staff(request.user)
    return render(request, "projects/pipeline_board.html", {
        "columns": selectors.pipeline_board(), "cards": selectors.BOARD_CARDS,
        "list_url": reverse("projects:project_list")})


@login_required
def overdue_reviews(request):
    crm_access.require_bureau_staff(request.user)
    today = timezone.localdate()
    return render(request, "projects/overdue_reviews.html", {
        "groups": selectors.overdue_requests_by_bureau(today=today, overrides=calendar_overrides()),
        "today": today, "escalate_after": services.ESCALATE_AFTER_WORKING_DAYS})

"""Pages of the officer's daily work: the work page, leads, meetings, follow-ups, events and the import.

Each view parses, authorises (leads.access), calls one service and responds.
"""

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm import access as crm_access
from crm.downloads import xlsx_download
from crm.filters import filter_list
from crm.lib.exports import write_xlsx
from crm.lib.pagination import list_page
from crm.services import StaleEdit
from leads import access, exports, imports, selectors, services
from leads.choices import FollowUpStatus, ImportAction, ImportStatus, LeadStatus
from leads.filters import LeadFilter, MeetingFilter
from leads.forms import (
    AssessmentForm,
    AttachmentForm,
    EventForm,
    FollowUpCloseForm,
    FollowUpRescheduleForm,
    ImportForm,
    LeadEditForm,
    LeadForm,
    LeadStatusForm,
    MeetingEditForm,
    MeetingForm,
    ReassignForm,
)
from leads.ledger import write_template
from leads.models import LeadImport

# Rows in an export at most: a filtered list, not a database dump.
EXPORT_LIMIT = 20000


def _add_errors(form, exc: ValidationError, aliases: dict | None = None) -> None:
    aliases = aliases or {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            name = aliases.get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- the work page ---------------------------------------------------------------------------------------


@login_required
def my_work(request):
    """我的工作台: follow-ups due and overdue, open leads with their clocks, team meetings, coming events."""
    crm_access.require_bureau_staff(request.user)
    return render(request, "leads/my_work.html", selectors.my_work(user=request.user))


# --- leads -----------------------------------------------------------------------------------------------


def _filtered_leads(request):
    base = selectors.lead_list(user=request.user, search=request.GET.get("q", ""),
                               sort=request.GET.get("sort", "-created"))
    return filter_list(LeadFilter, request, base)


@login_required
def lead_list(request):
    crm_access.require_bureau_staff(request.user)
    filterset, qs = _filtered_leads(request)
    page = list_page(request, qs)
    selectors.attach_clocks(page.object_list)
    return render(request, "leads/lead_list.html", {
        "page": page, "filter": filterset, "search": request.GET.get("q", ""),
        "can_create": crm_access.can_work(request.user),
    })


@login_required
@require_GET
def lead_export(request):
    crm_access.require_bureau_staff(request.user)
    _filterset, qs = _filtered_leads(request)
    return xlsx_download(write_xlsx(exports.lead_columns(), qs[:EXPORT_LIMIT].iterator(chunk_size=1000),
                                    sheet_title=_("Leads")), "leads")


@login_required
def lead_pipeline(request):
    """The team's pipeline for leaders: leads by officer and status, overdue clocks counted."""
    crm_access.require_leader(request.user)
    return render(request, "leads/lead_pipeline.html", {
        "rows": selectors.pipeline(), "statuses": LeadStatus.choices,
    })


@login_required
@require_http_methods(["GET", "POST"])
def lead_create(request):
    crm_access.require_worker(request.user)
    initial = {}
    if request.GET.get("enterprise"):
        if not (request.GET["enterprise"].isascii() and request.GET["enterprise"].isdigit()
                and len(request.GET["enterprise"]) <= 18):
            raise BadRequest(_("The enterprise to start from is given by its number."))
        initial["enterprise"] = crm_access.get_enterprise_for_user(request.user, int(request.GET["enterprise"])).pk
    form = LeadForm(request.POST or None, initial=initial)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lead = services.lead_create(by=request.user, **_lead_create_fields(request.user, data))
        except services.PossibleDuplicate as exc:
            duplicates = exc.matches
            form.order_fields(["duplicate_reason"])  # the reason, right under the warning
            if request.POST.get("confirm_duplicate"):
                form.add_error("duplicate_reason", _("Give the reason to proceed."))
        except ValidationError as exc:
            _add_errors(form, exc, {"name": "new_enterprise_name", "credit_code": "new_enterprise_credit_code"})
        else:
            messages.success(request, _("Lead “%(title)s” added.") % {"title": lead.title})
            return redirect(lead)
    if not duplicates and not request.POST.get("confirm_duplicate"):
        # The reason is asked for only once a possible duplicate has been shown.
        form.fields["duplicate_reason"].widget = forms.HiddenInput()
    return render(request, "leads/lead_form.html", {
        "form": form, "title": _("New lead"), "duplicates": duplicates,
    })


def _lead_create_fields(user, data) -> dict:
    fields = {k: data[k] for k in ("title", "source", "source_event", "intended_investment_wan", "industry",
                                   "received_on", "co_owners", "notes", "duplicate_reason")}
    fields["notes"] = fields["notes"] or ""
    fields["duplicate_reason"] = fields["duplicate_reason"] or ""
    fields["introducer"] = _introducer_from(user, data)
    if data.get("enterprise"):
        fields["enterprise"] = data["enterprise"]
    else:
        fields["new_enterprise"] = {"name": data["new_enterprise_name"],
                                    "credit_code": data["new_enterprise_credit_code"] or None,
                                    "industry": data.get("industry")}
    return fields


def _introducer_from(user, data):
    if data.get("new_introducer_name"):
        return services.introducer_create(by=user, name=data["new_introducer_name"],
                                          kind=data["new_introducer_kind"])
    return data.get("introducer")


@login_required
def lead_detail(request, pk):
    lead = access.get_lead_for_user(request.user, pk)
    can_edit = access.can_edit_lead(request.user, lead)
    selectors.attach_clocks([lead])
    return render(request, "leads/lead_detail.html", {
        "lead": lead, "can_edit": can_edit,
        "co_owners": lead.co_owners.all(),
        "timeline": selectors.timeline_for(lead=lead),
        "open_follow_ups": lead.follow_ups.filter(status=FollowUpStatus.OPEN).select_related("owner"),
        "status_form": LeadStatusForm(lead=lead) if can_edit and lead.status != LeadStatus.CONVERTED else None,
        "assessment_form": AssessmentForm(initial={"assessment": lead.assessment}) if can_edit else None,
        "reassign_form": ReassignForm(initial={"owner": lead.owner_id})
        if crm_access.is_leader(request.user) else None,
        "convert_url": _convert_url(lead) if can_edit and lead.is_open else None,
    })


def _convert_url(lead) -> str | None:
    """The project pipeline's "create from lead" page, when that app provides one."""
    try:
        return reverse("projects:project_create_from_lead", args=[lead.pk])
    except NoReverseMatch:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def lead_edit(request, pk):
    lead = access.get_lead_for_user(request.user, pk, write=True)
    form = LeadEditForm(request.POST or None, instance=lead)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        co_owners = data.pop("co_owners")
        data["introducer"] = _introducer_from(request.user, data)
        data.pop("new_introducer_name", None)
        data.pop("new_introducer_kind", None)
        try:
            lead = services.lead_update(lead=lead, by=request.user, version=version, co_owners=co_owners, **data)
        except StaleEdit as exc:
            form.add_error(None, exc.messages[0])
            form.data = form.data.copy()
            form.data["version"] = exc.current.version
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(lead)
    return render(request, "leads/lead_form.html", {"form": form, "lead": lead,
                                                    "title": _("Edit %(title)s") % {"title": lead.title}})


@login_required
@require_POST
def lead_status(request, pk):
    lead = access.get_lead_for_user(request.user, pk, write=True)
    form = LeadStatusForm(request.POST, lead=lead)
    if form.is_valid():
        try:
            services.lead_set_status(lead=lead, by=request.user, to=form.cleaned_data["status"],
                                     reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Choose a status this lead can move to."))
    return redirect(lead)


@login_required
@require_POST
def lead_assess(request, pk):
    lead = access.get_lead_for_user(request.user, pk, write=True)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        services.lead_record_assessment(lead=lead, by=request.user, assessment=form.cleaned_data["assessment"])
        messages.success(request, _("Assessment recorded."))
    else:
        messages.error(request, _("Write the assessment."))
    return redirect(lead)


@login_required
@require_POST
def lead_reassign(request, pk):
    lead = access.get_lead_for_user(request.user, pk)
    if not crm_access.is_leader(request.user):
        raise PermissionDenied
    form = ReassignForm(request.POST)
    if form.is_valid():
        lead = services.lead_reassign(lead=lead, by=request.user, owner=form.cleaned_data["owner"])
        messages.success(request, _("The lead now belongs to %(name)s.") % {"name": lead.owner.display_name})
    else:
        messages.error(request, _("Choose the new owner."))
    return redirect(lead)


# --- meetings --------------------------------------------------------------------------------------------


def _meeting_form_page(request, *, enterprise, lead, back):
    form = MeetingForm(request.POST or None, enterprise=enterprise, lead=lead,
                       initial={"occurred_at": timezone.localtime().replace(second=0, microsecond=0)})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen_lead = lead or data.pop("lead", None)
        if chosen_lead is not None and not access.can_edit_lead(request.user, chosen_lead):
            raise PermissionDenied
        try:
            meeting, follow_up = services.meeting_log_create(by=request.user, enterprise=enterprise,
                                                             lead=chosen_lead, **data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            message = _("Meeting logged.")
            if follow_up is not None:
                message += " " + _("Follow-up due %(date)s.") % {"date": follow_up.due_on.isoformat()}
            messages.success(request, message)
            return redirect(chosen_lead or meeting)
    return render(request, "leads/meeting_form.html", {
        "form": form, "enterprise": enterprise, "lead": lead, "back": back, "title": _("Log a meeting"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, lead_pk):
    lead = access.get_lead_for_user(request.user, lead_pk, write=True)
    return _meeting_form_page(request, enterprise=lead.enterprise, lead=lead, back=lead.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_meeting_create(request, enterprise_pk):
    """A meeting on an enterprise, with or without a lead: aftercare visits to landed enterprises."""
    crm_access.require_worker(request.user)
    enterprise = crm_access.get_enterprise_for_user(request.user, enterprise_pk)
    return _meeting_form_page(request, enterprise=enterprise, lead=None, back=enterprise.get_absolute_url())


def _filtered_meetings(request):
    base = selectors.meeting_list(user=request.user, search=request.GET.get("q", ""))
    return filter_list(MeetingFilter, request, base)


@login_required
def meeting_list(request):
    crm_access.require_bureau_staff(request.user)
    filterset, qs = _filtered_meetings(request)
    return render(request, "leads/meeting_list.html", {
        "page": list_page(request, qs), "filter": filterset, "search": request.GET.get("q", ""),
    })


@login_required
@require_GET
def meeting_export(request):
    crm_access.require_bureau_staff(request.user)
    _filterset, qs = _filtered_meetings(request)
    return xlsx_download(write_xlsx(exports.meeting_columns(), qs[:EXPORT_LIMIT].iterator(chunk_size=1000),
                                    sheet_title=_("Meetings")), "meetings")


@login_required
def meeting_detail(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk)
    can_edit = access.can_edit_meeting(request.user, meeting)
    return render(request, "leads/meeting_detail.html", {
        "meeting": meeting, "can_edit": can_edit,
        "our_attendees": meeting.our_attendees.all(), "their_attendees": meeting.their_attendees.all(),
        "attachments": meeting.attachments.all(),
        "follow_ups": meeting.follow_ups.select_related("owner"),
        "attachment_form": AttachmentForm() if can_edit else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    form = MeetingEditForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            meeting = services.meeting_log_update(meeting=meeting, by=request.user, version=version, **data)
        except StaleEdit as exc:
            form.add_error(None, exc.messages[0])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(meeting)
    return render(request, "leads/meeting_form.html", {
        "form": form, "enterprise": meeting.enterprise, "lead": meeting.lead, "back": meeting.get_absolute_url(),
        "title": _("Edit meeting"),
    })


@login_required
@require_POST
def attachment_upload(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.meeting_attachment_add(meeting=meeting, by=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("File attached."))
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect(meeting)


@login_required
@require_GET
def attachment_download(request, pk):
    """Served only here, to whoever may see the meeting; never from a public URL."""
    attachment = access.get_attachment_for_user(request.user, pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


# --- follow-ups ------------------------------------------------------------------------------------------


def _after_follow_up(request, follow_up):
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(follow_up.lead or follow_up.enterprise)


@login_required
@require_POST
def followup_complete(request, pk):
    follow_up = access.get_follow_up_for_user(request.user, pk, write=True)
    form = FollowUpCloseForm(request.POST)
    form.is_valid()
    try:
        services.follow_up_complete(follow_up=follow_up, by=request.user, note=form.cleaned_data.get("note", ""))
        messages.success(request, _("Follow-up done."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _after_follow_up(request, follow_up)


@login_required
@require_POST
def followup_cancel(request, pk):
    follow_up = access.get_follow_up_for_user(request.user, pk, write=True)
    form = FollowUpCloseForm(request.POST)
    form.is_valid()
    try:
        services.follow_up_cancel(follow_up=follow_up, by=request.user, note=form.cleaned_data.get("note", ""))
        messages.success(request, _("Follow-up cancelled."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _after_follow_up(request, follow_up)


@login_required
@require_POST
def followup_reschedule(request, pk):
    follow_up = access.get_follow_up_for_user(request.user, pk, write=True)
    form = FollowUpRescheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new date."))
        return _after_follow_up(request, follow_up)
    try:
        new = services.follow_up_reschedule(follow_up=follow_up, by=request.user, **form.cleaned_data)
        messages.success(request, _("Follow-up moved to %(date)s.") % {"date": new.rescheduled_to.due_on})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _after_follow_up(request, follow_up)


# --- promotion events ------------------------------------------------------------------------------------


@login_required
def event_list(request):
    crm_access.require_bureau_staff(request.user)
    return render(request, "leads/event_list.html", {
        "page": list_page(request, selectors.event_list(user=request.user)),
        "can_create": crm_access.can_work(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    crm_access.require_worker(request.user)
    form = EventForm(request.POST or None, initial={"attendees": [request.user.pk]})
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(by=request.user, attendees=form.cleaned_data["attendees"],
                                          **form.service_fields())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Event “%(name)s” saved.") % {"name": event.name})
            return redirect(event)
    return render(request, "leads/event_form.html", {"form": form, "title": _("New promotion event")})


@login_required
def event_detail(request, pk):
    event = access.get_event_for_user(request.user, pk)
    return render(request, "leads/event_detail.html", {
        "event": event, "attendees": event.attendees.all(), **selectors.event_results(event=event),
        "can_edit": access.can_edit_event(request.user, event),
    })


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    event = access.get_event_for_user(request.user, pk, write=True)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_update(event=event, by=request.user, version=form.shown_version,
                                          attendees=form.cleaned_data["attendees"], **form.service_fields())
        except StaleEdit as exc:
            form.stale(exc)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(event)
    return render(request, "leads/event_form.html", {"form": form, "event": event,
                                                     "title": _("Edit %(name)s") % {"name": event.name}})


# --- import ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    crm_access.require_worker(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.import_start(by=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect(job)
    recent = LeadImport.objects.filter(created_by=request.user).order_by("-created_at")[:10]
    return render(request, "leads/import_start.html", {"form": form, "recent": recent})


@login_required
@require_GET
def import_template(request):
    crm_access.require_bureau_staff(request.user)
    template = io.BytesIO()
    write_template(template)
    return xlsx_download(template.getvalue(), "lead-ledger-template", dated=False)


def _import_context(job: LeadImport) -> dict:
    report = job.result if job.status == ImportStatus.DONE else job.preview
    labels = dict(ImportAction.choices)
    rows = [{**r, "action_label": labels.get(r["action"], r["action"])} for r in report.get("rows", [])]
    counts = report.get("counts", {})
    return {"job": job, "rows": rows, "summary": [(label, counts.get(key, 0)) for key, label in labels.items()]
            if counts else [],
            "file_errors": report.get("file_errors", []), "skipped": report.get("skipped", 0),
            "running": job.status in (ImportStatus.ANALYSING, ImportStatus.IMPORTING)}


@login_required
def import_detail(request, pk):
    """The dry run (with its confirm button), the progress bar, or the result: one page to come back to."""
    job = access.get_import_for_user(request.user, pk)
    return render(request, "leads/import_detail.html", _import_context(job))


@login_required
def import_progress(request, pk):
    """The progress bar alone, polled by the page while the file is being checked or imported."""
    job = access.get_import_for_user(request.user, pk)
    response = render(request, "leads/_import_progress.html", _import_context(job))
    if job.status not in (ImportStatus.ANALYSING, ImportStatus.IMPORTING):
        response["HX-Refresh"] = "true"  # done: reload the whole page to show the report
    return response


@login_required
@require_POST
def import_confirm(request, pk):
    job = access.get_import_for_user(request.user, pk)
    if job.created_by_id != request.user.pk:
        raise PermissionDenied
    try:
        imports.import_confirm(job=job, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(job)


@login_required
@require_GET
def import_report(request, pk):
    job = access.get_import_for_user(request.user, pk)
    return xlsx_download(write_xlsx(exports.import_report_columns(), _import_context(job)["rows"],
                                    sheet_title=_("Import report")), f"import-{job.pk}")

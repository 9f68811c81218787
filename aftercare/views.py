"""Pages of aftercare. Each view parses, authorises (aftercare.selectors), calls one service and
responds; refusals from the services are shown as form errors or messages and change nothing."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from aftercare import access, exports, selectors, services
from aftercare.choices import Category, ComplaintStatus, OrganisationKind, Satisfaction
from aftercare.forms import (
    AnswerForm,
    CloseForm,
    ComplaintForm,
    ComplianceCheckForm,
    DemandFormSet,
    FollowUpDoneForm,
    KeyEnterpriseForm,
    OrganisationContactForm,
    OrganisationForm,
    ReopenForm,
    VisitForm,
)
from aftercare.models import ComplianceCheck, KeyEnterprise, Organisation
from crm.access import (
    can_see_personal_data,
    can_work,
    get_enterprise_for_user,
    is_bureau_staff,
    is_leader,
    require_bureau_staff,
    require_leader,
    require_worker,
)
from crm.downloads import xlsx_download
from crm.lib.exports import write_xlsx
from crm.lib.pagination import list_page
from crm.models import Bureau
from crm.personal_data import shown
from crm.services import StaleEdit

EXPORT_LIMIT = 20_000


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _refuse(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


# --- key enterprises ---------------------------------------------------------------------------------------------


@login_required
def key_list(request):
    """重点企业: the active key enterprises with their service officer and when the next visit is due."""
    require_bureau_staff(request.user)
    search, mine = request.GET.get("q", ""), request.GET.get("mine") == "1"
    rows = selectors.key_enterprise_rows(today=timezone.localdate(), search=search,
                                         officer=request.user if mine else None)
    return render(request, "aftercare/key_enterprise_list.html", {
        "rows": rows, "search": search, "mine": mine, "can_designate": is_leader(request.user),
        "can_work": can_work(request.user)})


@login_required
def key_export(request):
    require_bureau_staff(request.user)
    rows = selectors.key_enterprise_rows(today=timezone.localdate())
    return xlsx_download(write_xlsx(exports.key_enterprise_columns(), rows, sheet_title=_("Key enterprises")),
                         "key-enterprises")


@login_required
@require_http_methods(["GET", "POST"])
def key_designate(request):
    require_leader(request.user)
    form = KeyEnterpriseForm(request.POST or None, initial={"enterprise": request.GET.get("enterprise")})
    if request.method == "POST" and form.is_valid():
        try:
            key = services.key_enterprise_designate(by=request.user, **form.without_version())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is now a key enterprise.") % {"name": key.enterprise.name})
            return redirect("aftercare:key_list")
    return render(request, "aftercare/key_enterprise_form.html", {"form": form, "title": _("Mark as key enterprise")})


@login_required
@require_http_methods(["GET", "POST"])
def key_edit(request, pk):
    require_leader(request.user)
    key = get_object_or_404(KeyEnterprise.objects.select_related("enterprise"), pk=pk, ended_on__isnull=True)
    form = KeyEnterpriseForm(request.POST or None, editing=True, version=key.version, initial={
        "officer": key.officer_id, "cadence_months": key.cadence_months, "reason": key.reason})
    if request.method == "POST" and form.is_valid():
        try:
            services.key_enterprise_update(key=key, by=request.user, version=form.shown_version,
                                           **form.without_version())
        except StaleEdit as exc:
            form.stale(exc)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The key enterprise has been updated."))
            return redirect("aftercare:key_list")
    return render(request, "aftercare/key_enterprise_form.html",
                  {"form": form, "key": key, "title": _("Change key enterprise")})


@login_required
@require_POST
def key_end(request, pk):
    require_leader(request.user)
    key = get_object_or_404(KeyEnterprise, pk=pk)
    try:
        services.key_enterprise_end(key=key, by=request.user)
    except ValidationError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("The enterprise is no longer on the key list."))
    return redirect("aftercare:key_list")


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request, enterprise_pk):
    """Log a visit to an enterprise; each demand raised becomes a request routed to the bureau that must act."""
    require_worker(request.user)
    enterprise = get_enterprise_for_user(request.user, enterprise_pk)
    form = VisitForm(request.POST or None, enterprise=enterprise)
    demands = DemandFormSet(request.POST or None, prefix="demand")
    if request.method == "POST" and form.is_valid() and demands.is_valid():
        rows = [services.DemandInput(subject=d["subject"], content=d["content"], category=d["category"],
                                     bureau=d["bureau"], due_working_days=d["due_working_days"])
                for d in demands.cleaned_data if d.get("subject")]
        try:
            _meeting, complaints = services.visit_log(by=request.user, enterprise=enterprise, demands=rows,
                                                      **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The visit has been logged with %(n)s demands to follow.") % {
                "n": len(complaints)})
            return redirect(enterprise)
    return render(request, "aftercare/visit_form.html", {"form": form, "demands": demands, "enterprise": enterprise})


# --- complaints ------------------------------------------------------------------------------------------------


def _complaint_filters(request) -> dict:
    return {"status": request.GET.get("status", ""), "bureau": request.GET.get("bureau", ""),
            "category": request.GET.get("category", ""), "search": request.GET.get("q", "")}


@login_required
def complaint_list(request):
    """投诉/诉求: every complaint for the bureau's people; a partner reviewer sees those routed to their bureau."""
    access.require_complaints(request.user)
    today = timezone.localdate()
    filters = _complaint_filters(request)
    page = list_page(request, selectors.complaint_list(user=request.user, today=today, **filters))
    selectors.attach_overdue(page.object_list, today)
    return render(request, "aftercare/complaint_list.html", {
        "page": page, "filters": filters,
        "statuses": [*ComplaintStatus.choices, ("overdue", _("Overdue"))], "categories": Category.choices,
        "bureaus": Bureau.objects.filter(is_active=True).order_by("sort_order", "id"),
        "is_staff": is_bureau_staff(request.user), "can_work": can_work(request.user)})


@login_required
def complaint_export(request):
    access.require_complaints(request.user)
    qs = selectors.complaint_list(user=request.user, today=timezone.localdate(), **_complaint_filters(request))
    return xlsx_download(write_xlsx(exports.complaint_columns(), qs[:EXPORT_LIMIT].iterator(chunk_size=1000),
                                    sheet_title=_("Complaints and requests")), "complaints")


@login_required
@require_http_methods(["GET", "POST"])
def complaint_create(request):
    require_worker(request.user)
    enterprise = None
    if request.GET.get("enterprise", "").isdigit():
        enterprise = get_enterprise_for_user(request.user, int(request.GET["enterprise"]))
    form = ComplaintForm(request.POST or None, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_register(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(code)s has been registered and routed to %(bureau)s.") % {
                "code": complaint.code, "bureau": complaint.current_cycle.bureau.name})
            return redirect(complaint)
    return render(request, "aftercare/complaint_form.html", {"form": form})


def _detail(request, complaint, *, answer_form=None, close_form=None, reopen_form=None, status=200):
    user = request.user
    cycle = complaint.current_cycle
    handler = access.can_handle_complaint(user, complaint)
    contact = complaint.contact
    return render(request, "aftercare/complaint_detail.html", {
        "complaint": complaint, "cycle": cycle, "cycles": selectors.complaint_cycles(complaint=complaint),
        "contact": contact,
        "contact_shown": shown(contact, reveal=can_see_personal_data(user)) if contact else None,
        "complaint_shown": shown(complaint, reveal=can_see_personal_data(user)),
        "is_overdue": complaint.status == ComplaintStatus.OPEN and cycle.due_on < timezone.localdate(),
        "is_staff": is_bureau_staff(user),
        "answer_form": (answer_form or AnswerForm()) if complaint.status == ComplaintStatus.OPEN
        and services.may_answer_for(user, cycle.bureau) else None,
        "close_form": (close_form or CloseForm()) if complaint.status == ComplaintStatus.ANSWERED and handler
        else None,
        "reopen_form": (reopen_form or ReopenForm()) if complaint.status == ComplaintStatus.CLOSED and handler
        and cycle.satisfaction == Satisfaction.DISSATISFIED else None,
    }, status=status)


@login_required
def complaint_detail(request, pk):
    return _detail(request, access.get_complaint_for_user(request.user, pk))


@login_required
@require_POST
def complaint_answer(request, pk):
    """The responsible bureau answers; the service refuses anyone else, naming the bureau it is routed to."""
    complaint = access.get_complaint_for_user(request.user, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_answer(complaint=complaint, by=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            if exc.code == "not_routed_here":  # the page says which bureau must answer, with a 403
                _refuse(request, exc)
                return _detail(request, complaint, status=403)
            _add_errors(form, exc)
        else:
            messages.success(request, _("The answer has been recorded; the officer in charge has been told."))
            return redirect(complaint)
    return _detail(request, complaint, answer_form=form)


def _handled_complaint(request, pk):
    complaint = access.get_complaint_for_user(request.user, pk)
    if not access.can_handle_complaint(request.user, complaint):
        raise PermissionDenied
    return complaint


@login_required
@require_POST
def complaint_close(request, pk):
    complaint = _handled_complaint(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_close(complaint=complaint, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The complaint has been closed."))
            return redirect(complaint)
    return _detail(request, complaint, close_form=form)


@login_required
@require_POST
def complaint_reopen(request, pk):
    complaint = _handled_complaint(request, pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_reopen(complaint=complaint, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The complaint has been reopened and routed again."))
            return redirect(complaint)
    return _detail(request, complaint, reopen_form=form)


def _period(request, today: date) -> tuple[date, date]:
    """The period of the statistics: ?start=&end= (ISO dates), by default 1 January to today."""
    try:
        start = date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = date(today.year, 1, 1)
    try:
        end = date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    return (start, end) if start <= end else (end, start)


@login_required
def complaint_overview(request):
    """The leader's view: open complaints by bureau and age, and the on-time and satisfaction rates."""
    require_bureau_staff(request.user)
    today = timezone.localdate()
    start, end = _period(request, today)
    return render(request, "aftercare/complaint_overview.html", {
        "rows": selectors.open_complaints_by_bureau(today=today), "bands": [b[0] for b in selectors.AGE_BANDS],
        "rates": selectors.complaint_rates(start, end, today=today), "start": start, "end": end, "today": today,
        "escalate_after": services.ESCALATE_AFTER_WORKING_DAYS})


# --- foreign-invested enterprises --------------------------------------------------------------------------------


def _register_context(request):
    today = timezone.localdate()
    years = selectors.register_years(today)
    try:
        check_year = int(request.GET.get("year", ""))
    except ValueError:
        check_year = today.year - 1
    return today, years, check_year


@login_required
def foreign_list(request):
    """外商投资企业名录: every enterprise with foreign capital, its origin, capital used by year and its check."""
    require_bureau_staff(request.user)
    _today, years, check_year = _register_context(request)
    search = request.GET.get("q", "")
    page = list_page(request, selectors.foreign_enterprises(search=search))
    page.object_list = selectors.attach_register(page.object_list, years=years, check_year=check_year)
    return render(request, "aftercare/foreign_list.html", {
        "page": page, "years": years, "check_year": check_year, "search": search,
        "check_years": list(range(years[-1], years[0] - 2, -1))})


@login_required
def foreign_export(request):
    require_bureau_staff(request.user)
    _today, years, check_year = _register_context(request)
    rows = selectors.attach_register(selectors.foreign_enterprises(search=request.GET.get("q", ""))[:EXPORT_LIMIT],
                                     years=years, check_year=check_year)
    return xlsx_download(write_xlsx(exports.foreign_register_columns(years), rows,
                                    sheet_title=_("Foreign-invested enterprises")), "foreign-invested-enterprises")


def _foreign_page(request, enterprise, form=None, status=200):
    return render(request, "aftercare/foreign_detail.html", {
        "enterprise": enterprise, **selectors.foreign_detail(enterprise=enterprise),
        "check_form": form or (ComplianceCheckForm() if can_work(request.user) else None),
        "done_form": FollowUpDoneForm(initial={"done_on": timezone.localdate()}),
        "can_work": can_work(request.user)}, status=status)


@login_required
def foreign_detail(request, pk):
    return _foreign_page(request, selectors.get_foreign_enterprise(request.user, pk))


@login_required
@require_POST
def check_create(request, pk):
    enterprise = selectors.get_foreign_enterprise(request.user, pk)
    require_worker(request.user)
    form = ComplianceCheckForm(request.POST)
    if form.is_valid():
        try:
            services.compliance_check_record(by=request.user, enterprise=enterprise, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The annual check has been recorded."))
            return redirect("aftercare:foreign_detail", pk=enterprise.pk)
    return _foreign_page(request, enterprise, form)


@login_required
@require_POST
def check_follow_up_done(request, pk):
    require_worker(request.user)
    check = get_object_or_404(ComplianceCheck, pk=pk)
    form = FollowUpDoneForm(request.POST)
    if form.is_valid():
        try:
            services.compliance_check_close_follow_up(check=check, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("The follow-up has been recorded as done."))
    else:
        messages.error(request, _("Give the date the follow-up was done."))
    return redirect("aftercare:foreign_detail", pk=check.enterprise_id)


# --- organisations ----------------------------------------------------------------------------------------------


@login_required
def organisation_list(request):
    """The association, chambers of commerce and representative offices, with their contacts."""
    require_bureau_staff(request.user)
    search, kind = request.GET.get("q", ""), request.GET.get("kind", "")
    page = list_page(request, selectors.organisation_list(search=search, kind=kind))
    return render(request, "aftercare/organisation_list.html", {
        "page": page, "search": search, "kind": kind, "kinds": OrganisationKind.choices,
        "can_work": can_work(request.user)})


@login_required
def organisation_export(request):
    require_bureau_staff(request.user)
    reveal = can_see_personal_data(request.user)
    organisations = selectors.organisation_list(search=request.GET.get("q", ""), kind=request.GET.get("kind", ""))
    rows = []
    for organisation in organisations.prefetch_related("contacts")[:EXPORT_LIMIT]:
        contacts = list(organisation.contacts.all()) or [None]
        rows.extend({"organisation": organisation, "contact": c} for c in contacts)

    def as_shown(contact):
        return shown(contact, reveal=reveal)

    return xlsx_download(write_xlsx(exports.organisation_columns(as_shown), rows, sheet_title=_("Organisations")),
                         "organisations")


@login_required
def organisation_detail(request, pk):
    require_bureau_staff(request.user)
    organisation = get_object_or_404(Organisation, pk=pk)
    reveal = can_see_personal_data(request.user)
    contacts = list(organisation.contacts.all())
    for c in contacts:
        c.shown = shown(c, reveal=reveal)
    return render(request, "aftercare/organisation_detail.html", {
        "organisation": organisation, "contacts": contacts, "can_work": can_work(request.user),
        "contact_form": OrganisationContactForm() if can_work(request.user) else None})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    require_worker(request.user)
    return _organisation_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    require_worker(request.user)
    return _organisation_form(request, get_object_or_404(Organisation, pk=pk))


def _organisation_form(request, organisation):
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in OrganisationForm.Meta.fields}
        try:
            organisation = services.organisation_save(by=request.user, organisation=organisation,
                                                      version=form.shown_version, **fields)
        except StaleEdit as exc:
            form.stale(exc)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The organisation has been saved."))
            return redirect(organisation)
    title = _("Change organisation") if organisation else _("New organisation")
    return render(request, "aftercare/organisation_form.html",
                  {"form": form, "organisation": organisation, "title": title})


@login_required
@require_POST
def organisation_contact_create(request, pk):
    require_worker(request.user)
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OrganisationContactForm(request.POST)
    if form.is_valid():
        try:
            services.organisation_contact_add(by=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("The contact has been added."))
    else:
        for errors in form.errors.values():
            messages.error(request, errors[0])
    return redirect(organisation)

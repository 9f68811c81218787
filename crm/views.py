"""Pages for the shared core: home by role, the enterprise register, contacts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crm import access, personal_data, selectors, services
from crm.downloads import xlsx_download
from crm.filters import EnterpriseFilter, filter_list
from crm.forms import ContactForm, EnterpriseForm
from crm.lib.exports import ExportColumn, write_xlsx
from crm.lib.pagination import list_page
from crm.navigation import home_url_for
from crm.notifications import mark_read


@login_required
def home(request):
    return redirect(home_url_for(request.user))


@login_required
def enterprise_list(request):
    access.require_bureau_staff(request.user)
    search = request.GET.get("q", "")
    sort = request.GET.get("sort", "name")
    base = selectors.enterprise_list(user=request.user, search=search, sort=sort)
    filterset, qs = filter_list(EnterpriseFilter, request, base)
    return render(request, "crm/enterprise_list.html", {
        "page": list_page(request, qs), "filter": filterset, "search": search, "sort": sort,
        "can_create": access.can_create_enterprise(request.user),
    })


def _enterprise_export_columns():
    return [
        ExportColumn(_("Name"), lambda e: e.name, 36),
        ExportColumn(_("Unified social credit code"), lambda e: e.credit_code or "", 22),
        ExportColumn(_("Kind"), lambda e: e.get_kind_display()),
        ExportColumn(_("Industry"), lambda e: e.industry.name if e.industry else "", 24),
        ExportColumn(_("Origin province"), lambda e: e.origin_province),
        ExportColumn(_("Origin country or region"), lambda e: e.origin_country),
        ExportColumn(_("Registered capital (10k CNY)"), lambda e: e.registered_capital_wan),
        ExportColumn(_("Address"), lambda e: e.address, 32),
        ExportColumn(_("Contacts"), lambda e: e.contact_count, 8),
    ]


@login_required
@require_GET
def enterprise_export(request):
    """The enterprise list as filtered on the page, as .xlsx (cells that could run as formulas neutralised)."""
    access.require_bureau_staff(request.user)
    base = selectors.enterprise_list(user=request.user, search=request.GET.get("q", ""),
                                     sort=request.GET.get("sort", "name"))
    _filterset, qs = filter_list(EnterpriseFilter, request, base)
    content = write_xlsx(_enterprise_export_columns(), qs.iterator(chunk_size=1000), sheet_title=_("Enterprises"))
    return xlsx_download(content, "enterprises")


@login_required
def enterprise_detail(request, pk):
    enterprise = access.get_enterprise_for_user(request.user, pk)
    return render(request, "crm/enterprise_detail.html", {
        "enterprise": enterprise,
        "contacts": _contacts_as_shown(enterprise, request.user),
        "key_industries": enterprise.key_industries.all(),
        "history": selectors.enterprise_history(enterprise=enterprise),
        "can_edit": access.can_edit_enterprise(request.user, enterprise),
    })


def _contacts_as_shown(enterprise, user):
    """The contacts with mobile, phone and e-mail masked unless the user's role needs them (minimum necessary)."""
    reveal = access.can_see_personal_data(user)
    contacts = list(enterprise.contacts.all())
    for contact in contacts:
        contact.shown = personal_data.shown(contact, reveal=reveal)
    return contacts


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request):
    access.require_bureau_staff(request.user)
    if not access.can_create_enterprise(request.user):
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_create(
                by=request.user, key_industries=form.cleaned_data["key_industries"], **form.service_fields()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Enterprise “%(name)s” created.") % {"name": enterprise.name})
            return redirect(enterprise)
    return render(request, "crm/enterprise_form.html", {"form": form, "title": _("New enterprise")})


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request, pk):
    enterprise = access.get_enterprise_for_user(request.user, pk, write=True)
    form = EnterpriseForm(request.POST or None, instance=enterprise)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_update(
                enterprise=enterprise, by=request.user, version=form.cleaned_data.get("version") or 0,
                key_industries=form.cleaned_data["key_industries"], **form.service_fields(),
            )
        except services.StaleEdit as exc:
            conflict = exc.current
            form.add_error(None, exc.messages[0])
            form.data = form.data.copy()
            form.data["version"] = conflict.version
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(enterprise)
    return render(request, "crm/enterprise_form.html", {
        "form": form, "title": _("Edit %(name)s") % {"name": enterprise.name}, "enterprise": enterprise,
        "conflict": conflict,
    })


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request, enterprise_pk):
    enterprise = access.get_enterprise_for_user(request.user, enterprise_pk, write=True)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.contact_create(enterprise=enterprise, **form.without_version())
        messages.success(request, _("Contact added."))
        return redirect(enterprise)
    return render(request, "crm/contact_form.html", {"form": form, "enterprise": enterprise,
                                                      "title": _("New contact")})


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk):
    contact = access.get_contact_for_user(request.user, pk, write=True)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(contact=contact, version=form.shown_version, **form.without_version())
        except services.StaleEdit as exc:
            form.stale(exc)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Contact saved."))
            return redirect(contact.enterprise)
    return render(request, "crm/contact_form.html", {"form": form, "enterprise": contact.enterprise,
                                                      "title": _("Edit contact")})


@login_required
def notification_list(request):
    """The user's notifications, newest first; opening the page marks them read."""
    page = list_page(request, request.user.notifications.all())
    response = render(request, "crm/notification_list.html", {"page": page})
    mark_read(user=request.user, ids=[n.pk for n in page])
    return response


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)



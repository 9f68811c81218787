"""Pages of the statistics: the leadership dashboard, the records behind a figure, the Excel report, month-end
publication, the annual work plan, a reviewer's own turnaround, and plotly.js served from this server."""

import os
from pathlib import Path

import plotly
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST

from crm.downloads import xlsx_download
from crm.lib.pagination import list_page
from reports import access, cache, labels, presentation, prose, selectors, services, xlsx
from reports.forms import DetailTargetFormSet, PeriodForm, PublishForm, WorkPlanForm
from reports.indicators import BY_KEY, INDICATORS, RULES, PeriodError, make_period, percent_text
from reports.models import WorkPlan

PLOTLY_JS = Path(os.path.dirname(plotly.__file__)) / "package_data" / "plotly.min.js"
FILTER_LABELS = {"industry": _lazy("Industry"), "key_industry": _lazy("Hainan key industry"),
                 "origin": _lazy("Origin"), "origin_kind": _lazy("Category"), "source": _lazy("Lead source"),
                 "officer": _lazy("Officer"), "in_month": _lazy("Month"), "stage": _lazy("Stage"),
                 "bureau": _lazy("Bureau")}
RECORD_TEMPLATES = {"lead": "reports/_records_leads.html", "milestone": "reports/_records_milestones.html",
                    "capital": "reports/_records_capital.html", "project": "reports/_records_projects.html",
                    "review": "reports/_records_reviews.html"}


def _dashboard_url(year: int, month: int | None = None) -> str:
    query = {"year": year, **({"month": month} if month else {})}
    return f"{reverse('reports:dashboard')}?{urlencode(query)}"


def _period_form(request):
    form = PeriodForm(request.GET or None)
    if not form.is_valid():
        return form, None
    return form, form.cleaned_data["period"]


@login_required
def dashboard(request):
    access.require_statistics(request.user)
    form, period = _period_form(request)
    context = {"form": form, "can_publish": access.can_publish(request.user),
               "can_plan": access.can_edit_work_plan(request.user), "indicators": INDICATORS}
    if period is None:
        return render(request, "reports/dashboard.html", context, status=400)
    indicator = form.cleaned_data["indicator"]
    context.update(cache.cached("dashboard", (period.year, period.through_month, indicator),
                                lambda: presentation.dashboard_figures(period, indicator)))
    context.update({
        "period": period, "indicator": indicator,
        "export_url": f"{reverse('reports:export')}?{urlencode({'year': period.year, 'month': period.through_month})}",
        "publish_month": {"year": period.year, "month": period.through_month},
    })
    return render(request, "reports/dashboard.html", context)


@login_required
def records(request):
    """The records behind one figure, with the breakdown filters of the cell or chart segment clicked."""
    access.require_statistics(request.user)
    params = request.GET
    indicator = params.get("indicator", "")
    try:
        period = make_period(int(params.get("year", "")), int(params.get("month", "")), today=timezone.localdate())
    except (ValueError, PeriodError):
        raise Http404 from None
    filters = {k: params.get(k) for k in ("industry", "key_industry", "origin", "origin_kind", "source", "officer",
                                          "in_month", "stage", "bureau")}
    if indicator == "turnaround":
        if not (filters["bureau"] or "").isdigit():
            raise Http404
        kind, qs = "review", selectors.requests_answered(period, int(filters["bureau"]))
        title = _("Review requests answered")
    elif indicator in RULES:
        if any(filters[k] and not filters[k].lstrip("-").isdigit() for k in ("officer", "in_month")):
            raise Http404
        kind, qs = selectors.records_behind(indicator, period, filters)
        title = (labels.stage_label(filters["stage"]) if indicator == "pipeline" and filters["stage"]
                 else labels.indicator_label(indicator) if indicator in BY_KEY else pgettext("projects", "Pipeline"))
    else:
        raise Http404
    page = list_page(request, qs, per_page=50)
    return render(request, "reports/records.html", {
        "title": title, "period": period, "period_label": prose.period_label(period.as_dict()),
        "kind": kind, "rows_template": RECORD_TEMPLATES[kind], "page": page,
        "filters": [(FILTER_LABELS[k], v) for k, v in filters.items() if v],
        "dashboard_url": _dashboard_url(period.year, period.through_month),
    })


@login_required
def export(request):
    """The monthly (or annual) report as an Excel workbook in the bureau's usual layout."""
    access.require_statistics(request.user)
    form, period = _period_form(request)
    if period is None:
        return HttpResponse(" ".join(form.non_field_errors() or [_("Choose a valid period.")]), status=400,
                            content_type="text/plain; charset=utf-8")
    report = cache.cached_report(year=period.year, through_month=period.through_month)
    return xlsx_download(xlsx.report_workbook(report), f"statistics-{period.year}-{period.through_month:02d}",
                         dated=False)


@login_required
@require_POST
def publish(request):
    access.require_publisher(request.user)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid month to publish."))
        return redirect("reports:dashboard")
    year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    try:
        services.snapshot_publish(year=year, month=month, by=request.user)
    except (ValidationError, PeriodError) as exc:
        messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, _("The figures of %(period)s are published.")
                         % {"period": prose.period_label({"year": year, "through_month": month})})
    return redirect(_dashboard_url(year, month))


@login_required
@require_http_methods(["GET", "POST"])
def work_plan(request, year):
    access.require_planner(request.user)
    today = timezone.localdate()
    if not 2000 <= year <= today.year + 1:
        raise Http404
    plan = WorkPlan.objects.filter(year=year).first()
    existing = list(plan.targets.select_related("officer", "industry")) if plan else []
    district = {t.indicator: t.value for t in existing if not t.officer_id and not t.industry_id}
    details = [{"indicator": t.indicator, "officer": t.officer, "industry": t.industry, "value": t.value}
               for t in existing if t.officer_id or t.industry_id]
    form = WorkPlanForm(request.POST or None, instance=plan or WorkPlan(year=year), targets=district)
    formset = DetailTargetFormSet(request.POST or None, initial=details, prefix="targets")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        targets = [services.TargetInput(k, v) for k, v in form.district_targets().items()]
        targets += [services.TargetInput(f.cleaned_data["indicator"], f.cleaned_data["value"],
                                         officer=f.cleaned_data["officer"], industry=f.cleaned_data["industry"])
                    for f in formset.forms if f.has_changed() and f.cleaned_data
                    and not f.cleaned_data.get("DELETE")]
        try:
            services.work_plan_save(year=year, by=request.user, targets=targets, note=form.cleaned_data["note"],
                                    **{name: form.cleaned_data[name] for name in services.DEFAULT_THRESHOLDS})
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The work plan for %(year)s is saved.") % {"year": year})
            return redirect(_dashboard_url(year) if year <= today.year else reverse("reports:work_plan", args=[year]))
    return render(request, "reports/workplan_form.html", {
        "form": form, "formset": formset, "year": year, "plan": plan,
        "years": [today.year + 1, today.year, today.year - 1],
    })


@login_required
def my_turnaround(request):
    """A partner reviewer's own bureau: how fast it answered this year, and what is overdue now."""
    access.require_reviewer(request.user)
    today = timezone.localdate()
    period = make_period(today.year, None, today=today)
    figures = services.bureau_turnaround(bureau_id=request.user.bureau_id, period=period)
    return render(request, "reports/my_turnaround.html", {
        "bureau": request.user.bureau, "year": today.year, "figures": figures,
        "on_time": percent_text(figures["on_time_rate"]),
        "overdue": selectors.overdue_requests(today).filter(bureau_id=request.user.bureau_id)
        .select_related("round__project").order_by("due_on", "id")[:100],
    })


@cache_control(max_age=86400, public=True)
def plotly_js(request):
    """plotly.js from the installed plotly package: the charts need no internet (no CDN)."""
    if not PLOTLY_JS.exists():
        raise Http404
    return FileResponse(PLOTLY_JS.open("rb"), content_type="text/javascript; charset=utf-8")

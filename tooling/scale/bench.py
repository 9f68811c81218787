"""The benchmark: server time, query count and memory of the pages, services and exports that grow with the
data, each the median of several runs on the current database, printed as a table and written as JSON.

Pages are requested in-process through django.test.Client (force_login, CaptureQueriesContext), so the time
is the server's: middleware, views, queries and templates, without a network. ``--load`` adds a short load
test against gunicorn (tooling.scale.loadtest). See docs/performance.md for the figures and what they mean.
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from crm.choices import Role
from crm.models import Enterprise, Industry, User
from tooling.scale.core import USERNAME_PREFIX
from tooling.scale.sql import headline_indicators

# The numbers to reach at factor 10 on PostgreSQL (issue 8), in milliseconds unless named otherwise.
LIST_PAGE_MS = 150
DASHBOARD_COLD_MS, DASHBOARD_WARM_MS = 500, 100
STATISTICS_YEAR_MS, STATISTICS_RATIO = 1000, 2.0
WORKBOOK_MS, WORKBOOK_MB = 10_000, 300
DEEP_PAGE = 999_999  # Paginator.get_page answers an out-of-range number with the last page: the deepest one


@dataclass
class Figure:
    """One measured thing: the median of its runs, the queries it made, and the target it is held to."""

    section: str
    name: str
    median_ms: float | None = None
    runs_ms: list[float] = field(default_factory=list)
    queries: int | None = None
    peak_mb: float | None = None
    target: str = ""
    meets: bool | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 1)


class Bench:
    """Runs the sections in order; each appends its figures."""

    def __init__(self, *, runs: int = 5, out: Callable[[str], None] = print, skip=()):
        self.runs = max(1, runs)
        self.skip = tuple(skip)
        self.out = out
        self.figures: list[Figure] = []
        self.clients: dict[str, Client] = {}
        self.users = self._users()

    # --- who looks -----------------------------------------------------------------------------------

    def _users(self) -> dict[str, User]:
        """The busiest officer (most leads), a leader, and a reviewer of the slowest bureau (planning)."""
        scale = User.objects.filter(username__startswith=USERNAME_PREFIX, is_active=True)
        officer = (scale.filter(role=Role.OFFICER).annotate(n=Count("owned_leads")).order_by("-n", "id").first())
        reviewer = (scale.filter(role=Role.REVIEWER, bureau__code="planning").first()
                    or scale.filter(role=Role.REVIEWER).first())
        users = {"officer": officer, "leader": scale.filter(role=Role.LEADER).first(), "reviewer": reviewer}
        missing = [k for k, v in users.items() if v is None]
        if missing:
            raise RuntimeError(f"no scale accounts for {missing}: run `manage.py seed_scale` first")
        return users

    def get(self, who: str, url: str):
        """GET ``url`` as ``who``, over HTTPS as production is (plain HTTP would only be redirected)."""
        if who not in self.clients:
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(self.users[who])
            self.clients[who] = client
        return self.clients[who].get(url, secure=True)

    # --- measuring -----------------------------------------------------------------------------------

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        shown = "—" if figure.median_ms is None else f"{figure.median_ms:,.1f} ms"
        extra = f", {figure.queries} queries" if figure.queries is not None else ""
        extra += f", peak {figure.peak_mb:,.1f} MB" if figure.peak_mb is not None else ""
        self.out(f"  {figure.section:<12} {figure.name:<52} {shown:>12}{extra} {figure.note}")
        return figure

    def timed(self, fn: Callable[[], object], runs: int | None = None, *,
              warm_up: bool = True) -> tuple[list[float], list[int], object]:
        """Run ``fn`` once to warm up, then ``runs`` times: the times (ms), query counts and last result."""
        result = fn() if warm_up else None
        times, queries = [], []
        for _ in range(runs or self.runs):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                result = fn()
                times.append((time.perf_counter() - started) * 1000)
            queries.append(len(ctx.captured_queries))
        return times, queries, result

    def page(self, section: str, name: str, who: str, url_name: str, params: str = "", *,
             target_ms: float | None = None, args=()) -> Figure:
        """A page's server time and queries; any answer but 200 is recorded as a failure, never timed."""
        if any(word in name for word in self.skip):
            return self.add(Figure(section, name, note="skipped (--skip)"))
        try:
            url = reverse(url_name, args=args) + (f"?{params}" if params else "")
        except NoReverseMatch:
            return self.add(Figure(section, name, note=f"not measured: no URL {url_name!r} yet"))
        times, queries, response = self.timed(lambda: self.get(who, url))
        figure = Figure(section, name, _median(times), [round(t, 1) for t in times], max(queries),
                        extra={"url": url, "status": response.status_code, "query_counts": sorted(set(queries))})
        if response.status_code != 200:
            figure.median_ms, figure.meets = None, False
            figure.note = f"answered {response.status_code}, not timed"
        elif target_ms is not None:
            figure.target, figure.meets = f"< {target_ms:g} ms", figure.median_ms < target_ms
        return self.add(figure)

    def memory(self, fn: Callable[[], object]) -> float:
        """Peak Python memory (MB, tracemalloc) of one run of ``fn``; timed separately, tracing slows it."""
        tracemalloc.start()
        try:
            fn()
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        return round(peak / 2**20, 1)

    # --- sections ------------------------------------------------------------------------------------

    def lists(self) -> None:
        """The main lists at page 1 and at their deepest page, plain and filtered: time and queries must not
        grow with the depth (no page loads all rows to count or paginate)."""
        from awards.models import AwardApplication
        from leads.models import Lead, MeetingLog
        from projects.models import Project

        industry = Industry.objects.filter(code="L").values_list("pk", flat=True).first()
        cases = [
            ("enterprises", "officer", "crm:enterprise_list", f"kind=domestic&industry={industry}", Enterprise),
            ("leads", "officer", "leads:lead_list", "status=following&source=event", Lead),
            ("meetings", "officer", "leads:meeting_list", "kind=visit", MeetingLog),
            ("projects", "officer", "projects:project_list", "stage=negotiating", Project),
            ("awards", "officer", "awards:application_list", "status=draft", AwardApplication),
        ]
        for name, who, url_name, filters, model in cases:
            deep = f"page={DEEP_PAGE}"
            # The last page is read backwards from the end (crm.lib.pagination): the middle page is the deepest
            # walk, so it is measured too.
            middle = f"page={max(1, math.ceil(model.objects.count() / settings.CRM_PAGE_SIZE) // 2)}"
            for label, params in (("page 1", ""), ("middle page", middle), ("last page", deep),
                                  ("filtered, page 1", filters), ("filtered, last page", f"{filters}&{deep}")):
                self.page("lists", f"{name}: {label}", who, url_name, params, target_ms=LIST_PAGE_MS)

    def work_pages(self) -> None:
        """The pages people open every morning."""
        self.page("pages", "officer's work page", "officer", "leads:my_work", target_ms=LIST_PAGE_MS)
        self.page("pages", "reviewer's request list (planning)", "reviewer", "projects:my_reviews",
                  target_ms=LIST_PAGE_MS)
        self.page("pages", "overdue review requests (leader)", "leader", "projects:overdue_reviews")
        self.page("pages", "pipeline board (leader)", "leader", "projects:pipeline_board")
        self.page("pages", "lead pipeline (leader)", "leader", "leads:lead_pipeline")
        self.dashboard()

    def dashboard(self) -> None:
        """The leader's dashboard with an empty cache (every run clears it) and with a warm one."""
        try:
            url = reverse("reports:dashboard")
        except NoReverseMatch:
            self.add(Figure("pages", "dashboard", note="not measured: no URL 'reports:dashboard' yet"))
            return
        def cold():
            cache.clear()
            return self.get("leader", url)

        for label, fn, target in (("dashboard, cold cache", cold, DASHBOARD_COLD_MS),
                                  ("dashboard, warm cache", lambda: self.get("leader", url), DASHBOARD_WARM_MS)):
            times, queries, response = self.timed(fn)
            figure = Figure("pages", label, _median(times), [round(t, 1) for t in times], max(queries),
                            target=f"< {target} ms", extra={"url": url, "status": response.status_code})
            figure.meets = response.status_code == 200 and figure.median_ms < target
            if response.status_code != 200:
                figure.median_ms, figure.note = None, f"answered {response.status_code}, not timed"
            self.add(figure)

    def statistics(self) -> None:
        """The statistics service against the hand-written SQL of the same headline figures, same run."""
        from reports import services
        from reports.indicators import make_period

        today = timezone.localdate()
        periods = [("year", today.year - 1, None)]
        if today.month > 1:
            periods.append((f"1-{today.month - 1} months", today.year, today.month - 1))
        for label, year, month in periods:
            period = make_period(year, month, today=today)
            last = period.same_period_last_year()
            times, queries, result = self.timed(
                lambda y=year, m=month: services.statistics_for_period(year=y, through_month=m, live=True))
            service = self.add(Figure("statistics", f"service, {label} {year}", _median(times),
                                      [round(t, 1) for t in times], max(queries)))

            def by_sql(p=period, q=last):
                return [headline_indicators(start=x.start, end=x.cutoff, day_after=x.day_after) for x in (p, q)]

            sql_times, sql_queries, (now_sql, last_sql) = self.timed(by_sql)
            sql = self.add(Figure("statistics", f"hand-written SQL, {label} {year}", _median(sql_times),
                                  [round(t, 1) for t in sql_times], max(sql_queries)))
            figures = {row["key"]: (row["actual"], row["last_year"]) for row in result["indicators"]}
            disagreements = {key: {"service": figures[key], "sql": (now_sql[key], last_sql[key])}
                             for key in now_sql if figures.get(key) != (now_sql[key], last_sql[key])}
            ratio = round(service.median_ms / sql.median_ms, 1) if sql.median_ms else None
            target = STATISTICS_YEAR_MS if month is None else None
            self.add(Figure(
                "statistics", f"service ÷ SQL, {label} {year}", None, target=f"< {STATISTICS_RATIO:g}×",
                meets=(ratio is not None and ratio < STATISTICS_RATIO
                       and (target is None or service.median_ms < target)),
                note=f"ratio {ratio}×; figures {'agree' if not disagreements else 'DIFFER'}",
                extra={"ratio": ratio, "figures": now_sql, "disagreements": disagreements}))

    def exports(self) -> None:
        """The Excel exports, time and peak memory: the full annual report workbook, and the lead list at its
        export limit (20,000 rows at factor 1 and above)."""
        self.export("annual report workbook", "leader", "reports:export",
                    f"year={timezone.localdate().year - 1}&month=12", target_ms=WORKBOOK_MS, target_mb=WORKBOOK_MB)
        self.export("lead list, 20,000 rows (the export limit)", "officer", "leads:lead_export", "")

    def export(self, name: str, who: str, url_name: str, params: str, *, target_ms=None, target_mb=None) -> None:
        try:
            url = reverse(url_name) + (f"?{params}" if params else "")
        except NoReverseMatch:
            self.add(Figure("exports", name, note=f"not measured: no URL {url_name!r} yet"))
            return
        def cold():  # the report behind a workbook is computed afresh each run, not read from the cache
            cache.clear()
            return self.get(who, url)

        times, queries, response = self.timed(cold, runs=min(self.runs, 3))
        figure = Figure("exports", name, _median(times), [round(t, 1) for t in times], max(queries),
                        extra={"url": url, "status": response.status_code, "bytes": len(response.content)})
        if response.status_code != 200:
            figure.median_ms, figure.meets = None, False
            figure.note = f"answered {response.status_code}, not timed"
        else:
            figure.peak_mb = self.memory(cold)
            if target_ms is not None:
                figure.target = f"< {target_ms / 1000:g} s, < {target_mb} MB"
                figure.meets = figure.median_ms < target_ms and figure.peak_mb < target_mb
        self.add(figure)

    def awards(self) -> None:
        """The award batch recompute over every draft and submitted application (the nightly task)."""
        from awards.models import AwardApplication
        from awards.services import award_applications_recompute

        drafts = AwardApplication.objects.filter(status__in=["draft", "submitted"]).count()
        # Minutes at scale, and the same work every run (a recompute without changed facts writes nothing):
        # one run, no warm-up.
        times, queries, result = self.timed(award_applications_recompute, runs=1, warm_up=False)
        self.add(Figure("awards", f"batch recompute of {drafts:,} draft and submitted applications",
                        _median(times), [round(t, 1) for t in times], max(queries),
                        extra={"checked": result.checked, "changed": result.changed, "failed": result.failed}))

    # --- the report ----------------------------------------------------------------------------------

    def environment(self) -> dict:
        vendor = connection.vendor
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version" if vendor == "postgresql" else "SELECT sqlite_version()")
            version = cursor.fetchone()[0]
        try:
            with open("/proc/meminfo") as f:
                mem_gb = round(int(f.readline().split()[1]) / 2**20, 1)
        except OSError:
            mem_gb = None
        from leads.models import Lead, MeetingLog
        from projects.models import CapitalInPlace, Project, ReviewRequest

        rows = {m._meta.label: m.objects.count()
                for m in (Enterprise, Lead, MeetingLog, Project, ReviewRequest, CapitalInPlace)}
        return {"date": timezone.localdate(), "database": f"{vendor} {version}", "cpus": os.cpu_count(),
                "memory_gb": mem_gb,
                "python": platform.python_version(), "django": django.get_version(), "debug": settings.DEBUG,
                "load_average": os.getloadavg(), "runs": self.runs, "rows": rows}

    def report(self, path: Path, environment: dict, load: dict | None = None) -> None:
        environment["load_average_after"] = os.getloadavg()
        data = {"environment": environment, "figures": [asdict(f) for f in self.figures], "load_test": load}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        missed = [f for f in self.figures if f.meets is False]
        self.out(f"\n{len(self.figures)} figures, {len(missed)} missing their target; JSON in {path}")
        for f in missed:
            self.out(f"  missed: {f.section} / {f.name}: {f.median_ms} ms (target {f.target}) {f.note}")


SECTIONS = ("lists", "work_pages", "statistics", "exports", "awards")


def run(*, runs: int, sections=SECTIONS, out=print, output: Path, load_test: Callable[[], dict] | None = None,
        skip=()):
    """Run the chosen sections; the second factor is off for the in-process clients (force_login cannot pass
    it, and it costs a page nothing once passed)."""
    with override_settings(CRM_OTP_REQUIRED_ROLES=[], CRM_SESSION_IDLE_MINUTES=0):
        bench = Bench(runs=runs, out=out, skip=skip)
        environment = bench.environment()
        out(f"{environment['database']}, {environment['cpus']} CPUs, load {environment['load_average']}, "
            f"rows {environment['rows']}")
        for name in sections:
            getattr(bench, name)()
    load = load_test() if load_test else None
    bench.report(output, environment, load)
    return bench

"""The dashboard's figures kept between requests, and thrown away the moment a record behind them changes.

Computing a period's report reads every fact of two years; leaders open the dashboard many times a day while
the records change far less often. The report is cached under a key holding the period, the day (the
exception lists count days), the language (the drafted paragraph is in it) and a data version. Any save or
delete of a record the statistics read bumps the version, immediately and again when its transaction
commits (so a report computed while the change was uncommitted is never served under the new version);
``CRM_REPORT_CACHE_SECONDS`` bounds the life of an entry for changes made outside the product. With
``CACHE_URL`` pointing at Redis every web process shares the version and the reports.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

VERSION_KEY = "reports:data-version"


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY) or 1
    return version


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (a fresh cache): the first read starts one
        cache.add(VERSION_KEY, 2, timeout=None)


def records_changed(**_kwargs) -> None:
    """Signal receiver: the figures may have changed; forget every cached report."""
    _bump()
    transaction.on_commit(_bump)


def key(name: str, parts: tuple, today: date) -> str:
    """The cache key of a computation over the records: its name and arguments, the day, the language and the
    data version (a change to the records gives every key a new version)."""
    return f"reports:{name}:{':'.join(str(p) for p in parts)}:{today.isoformat()}:{get_language()}:{data_version()}"


def report_key(*, year: int, through_month: int | None, today: date) -> str:
    return key("report", (year, through_month or 0), today)


def cached(name: str, parts: tuple, compute, *, today: date | None = None):
    """``compute()`` from the cache when the records have not changed since it was computed (for the same
    ``parts``, day and language)."""
    entry = key(name, parts, today or timezone.localdate())
    value = cache.get(entry)
    if value is None:
        value = compute()
        cache.set(entry, value, settings.CRM_REPORT_CACHE_SECONDS)
    return value


def cached_report(*, year: int, through_month: int | None = None, today: date | None = None) -> dict:
    """``services.report_for_period`` from the cache when the records have not changed since it was computed;
    the report says when it was computed (``computed_at``)."""
    from reports import services

    today = today or timezone.localdate()

    def compute():
        report = services.report_for_period(year=year, through_month=through_month, today=today)
        report["computed_at"] = timezone.now()
        return report

    return cached("report", (year, through_month or 0), compute, today=today)


def watched_models() -> list:
    """Every model whose rows a figure, a breakdown, an exception list or a published month reads."""
    from django.apps import apps

    names = ["crm.Enterprise", "crm.Industry", "crm.KeyIndustry", "crm.Bureau", "crm.CalendarDay",
             "leads.Lead", "projects.Project", "projects.StageChange", "projects.Milestone",
             "projects.CapitalInPlace", "projects.ReviewRound", "projects.ReviewRequest",
             "reports.WorkPlan", "reports.Target", "reports.Snapshot", "reports.Restatement"]
    return [apps.get_model(name) for name in names]


def connect() -> None:
    from crm.models import Enterprise

    for model in watched_models():
        post_save.connect(records_changed, sender=model, dispatch_uid=f"reports-cache-save-{model._meta.label}")
        post_delete.connect(records_changed, sender=model, dispatch_uid=f"reports-cache-delete-{model._meta.label}")
    m2m_changed.connect(records_changed, sender=Enterprise.key_industries.through,
                        dispatch_uid="reports-cache-key-industries")

"""The dashboard's figures are computed once and reused until a record behind them changes."""

import os
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.choices import MilestoneKind
from reports import cache
from reports.services import TargetInput, work_plan_save
from tests.reports.factories import d, milestone, project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _signed(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("reports:dashboard"), {"year": 2026, "month": 10})
    assert response.status_code == 200
    cards = {c["key"]: c["value"] for c in response.context["cards"]}
    return cards["signed_projects"], len(ctx.captured_queries), response


def test_a_second_look_reuses_the_figures_and_a_new_contract_shows_at_once(data, leader, login):
    client = login(leader)
    first, cold_queries, _response = _signed(client)
    again, warm_queries, response = _signed(client)
    assert first == again == "3"
    # only the layout's own queries (session, user, notifications, bureau) remain
    assert warm_queries == 4 < cold_queries
    assert "截至 10:00" in response.content.decode()
    # an officer records a contract: the next look counts it
    p = project("JY-2026-0990", data.projects[1].enterprise, data.officer, history=[(d("2026-05-01"), "negotiating")])
    milestone(p, MilestoneKind.CONTRACT, d("2026-06-01"), "500")
    after, queries, _response = _signed(client)
    assert after == "4" and queries == cold_queries


def test_a_new_target_and_a_change_committed_by_another_transaction_clear_the_figures(data, leader, login):
    client = login(leader)
    _signed(client)
    version = cache.data_version()
    work_plan_save(year=2026, by=leader, targets=[TargetInput("signed_projects", Decimal("6"))])
    assert cache.data_version() > version
    response = _signed(client)[2]
    assert {c["key"]: c["completion"] for c in response.context["cards"]}["signed_projects"] == "50.0%"
    # a change bumps the version when it is saved and again when its transaction commits, so a report
    # computed in between (from the records before the commit) is never served afterwards
    with transaction.atomic():
        data.officer.save()  # not a record the figures read: no change
        before_commit = cache.data_version()
        project("JY-2026-0991", data.projects[1].enterprise, data.officer, history=[(d("2026-05-01"), "negotiating")])
        assert cache.data_version() > before_commit


def test_the_key_holds_the_period_the_day_and_the_language(data):
    from django.utils import translation

    key = cache.report_key(year=2026, through_month=10, today=d("2026-11-27"))
    with translation.override("en"):
        english = cache.report_key(year=2026, through_month=10, today=d("2026-11-27"))
    assert key != english
    assert key != cache.report_key(year=2026, through_month=9, today=d("2026-11-27"))
    assert key != cache.report_key(year=2026, through_month=10, today=d("2026-11-28"))


CACHE_TEST_URL = os.environ.get("CACHE_TEST_URL", "redis://127.0.0.1:6379/14")


def test_with_a_shared_redis_cache_a_change_in_one_process_clears_the_figures_of_all(data, monkeypatch):
    """Production's CACHE_URL: two web processes (two cache clients) see one data version in Redis."""
    from django.core.cache.backends.redis import RedisCache

    from tests.conftest import _redis_reachable

    if not _redis_reachable(CACHE_TEST_URL):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but no Redis at {CACHE_TEST_URL}")
        pytest.skip(f"no Redis at {CACHE_TEST_URL}")
    one, two = RedisCache(CACHE_TEST_URL, {}), RedisCache(CACHE_TEST_URL, {})
    one.clear()
    try:
        monkeypatch.setattr(cache, "cache", one)
        first = cache.cached_report(year=2026, through_month=10, today=d("2026-11-27"))
        key = cache.report_key(year=2026, through_month=10, today=d("2026-11-27"))
        assert two.get(key)["indicators"] == first["indicators"]  # the other process reads the same report
        cache.records_changed()  # a save seen by the first process...
        assert two.get(cache.VERSION_KEY) == one.get(cache.VERSION_KEY) > 1
        monkeypatch.setattr(cache, "cache", two)
        assert cache.report_key(year=2026, through_month=10, today=d("2026-11-27")) != key  # ...moves on the other
    finally:
        one.clear()

"""ListPaginator gives exactly Paginator's pages, reading only a page's keys at any depth."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.lib.pagination import ListPaginator
from crm.models import Enterprise
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprises():
    # names repeat, so the order's tie-breaker (id) decides between equal names
    return [EnterpriseFactory(name=f"企业{i % 7:02d}有限公司{i}") for i in range(23)]


@pytest.mark.parametrize("per_page,orphans", [(5, 0), (5, 2), (4, 3), (25, 0)])
@pytest.mark.parametrize("order", [("name", "id"), ("-name", "-id"), ("-updated_at", "id")])
def test_every_page_is_the_page_paginator_gives(enterprises, per_page, orphans, order):
    qs = Enterprise.objects.select_related("industry").order_by(*order)
    plain, ours = Paginator(qs, per_page, orphans=orphans), ListPaginator(qs, per_page, orphans=orphans)
    assert ours.num_pages == plain.num_pages
    for number in plain.page_range:
        assert [e.pk for e in ours.page(number)] == [e.pk for e in plain.page(number)]
    assert [e.pk for e in ours.get_page(999)] == [e.pk for e in plain.get_page(999)]


def test_a_filtered_distinct_list_pages_the_same(enterprises):
    qs = (Enterprise.objects.filter(name__contains="有限公司").exclude(name__startswith="企业03")
          .distinct().order_by("name", "id"))
    plain, ours = Paginator(qs, 4), ListPaginator(qs, 4)
    for number in plain.page_range:
        assert [e.pk for e in ours.page(number)] == [e.pk for e in plain.page(number)]


def test_a_page_costs_the_count_the_keys_and_the_rows_at_any_depth(enterprises):
    qs = Enterprise.objects.select_related("industry").order_by("name", "id")
    for number in (1, 3, 5):
        paginator = ListPaginator(qs, 5)
        with CaptureQueriesContext(connection) as ctx:
            rows = list(paginator.page(number))
            assert all(row.industry.name for row in rows)  # joined, no query per row
        assert len(ctx.captured_queries) == 3
    assert list(ListPaginator(Enterprise.objects.none(), 5).page(1)) == []

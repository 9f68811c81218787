"""ListPaginator gives exactly Paginator's pages, reading only a page's keys at any depth; every list reads its
page through list_page, and the page links keep the list's filters."""

import re

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.lib.pagination import ListPaginator, list_page
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


def _page_links(html: str) -> list[str]:
    return re.findall(r'class="page-link" href="([^"]*)"', html)


def test_the_page_links_keep_the_lists_other_parameters():
    request = RequestFactory().get("/list/", {"q": "海口", "stage": "signed", "page": "2"})
    page = list_page(request, list(range(60)), per_page=25)
    html = render_to_string("partials/_pagination.html", {"page": page}, request=request)
    query = "q=%E6%B5%B7%E5%8F%A3&amp;stage=signed"
    assert _page_links(html) == [f"?{query}&amp;page=1", f"?{query}&amp;page=3"]


def test_a_view_can_pin_the_parameters_its_page_links_keep():
    # The reviewer's inbox opened without a tab: its page links still name the tab shown.
    request = RequestFactory().get("/inbox/")
    page = list_page(request, list(range(30)), per_page=25)
    html = render_to_string("partials/_pagination.html", {"page": page, "page_query": QueryDict("show=open")},
                            request=request)
    assert _page_links(html) == ["?show=open&amp;page=2"]


@pytest.mark.parametrize("asked,given", [("2", 2), ("999", 3), ("x", 1), (None, 1)])
def test_a_page_number_past_the_end_gives_the_last_page_and_anything_else_the_first(asked, given):
    request = RequestFactory().get("/list/", {"page": asked} if asked else {})
    assert list_page(request, list(range(60)), per_page=25).number == given


def test_the_enterprise_list_pages_and_sorts_within_its_filters(login, officer, enterprises, settings):
    settings.CRM_PAGE_SIZE = 5
    response = login(officer).get(reverse("crm:enterprise_list"), {"q": "有限公司", "sort": "-name", "page": "2"})
    html = response.content.decode()
    query = "q=%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B8"
    assert _page_links(html) == [f"?{query}&amp;sort=-name&amp;page=1", f"?{query}&amp;sort=-name&amp;page=3"]
    # the column links drop the page and turn the order around; the export takes the list as filtered
    assert f'href="?{query}&amp;sort=name"' in html
    assert f'href="{reverse("crm:enterprise_export")}?{query}&amp;sort=-name"' in html

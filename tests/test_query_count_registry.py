"""Every list page of the URLconf has a query-count test at two data sizes (see tests/queries.py)."""

import inspect
from importlib import import_module

import pytest
from django.urls import get_resolver

from tests.queries import LIST_QUERY_COUNTS, LISTS_NAMED_OTHERWISE, count_queries

# The back office is Django's own pages; the API is outside the registry (see tests/queries.py).
NOT_PAGES = ("admin", "api")


def _page_url_names() -> set[str]:
    names = set()

    def walk(resolver, prefix):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
            elif pattern.name:
                names.add(prefix + pattern.name)

    walk(get_resolver(), "")
    return {name for name in names if name.split(":")[0] not in NOT_PAGES}


PAGES = _page_url_names()
LISTS = sorted({name for name in PAGES if name.endswith("_list")} | (LISTS_NAMED_OTHERWISE & PAGES))


def test_the_lists_named_otherwise_are_pages_of_the_urlconf():
    assert sorted(LISTS_NAMED_OTHERWISE - PAGES) == []


def test_every_pinned_count_belongs_to_a_list_page():
    assert sorted(set(LIST_QUERY_COUNTS) - set(LISTS)) == []


@pytest.mark.parametrize("name", LISTS)
def test_the_list_has_a_query_count_test(name):
    assert name in LIST_QUERY_COUNTS, f"{name} has no query-count test in tests/queries.py LIST_QUERY_COUNTS"
    module_name, _, test_name = LIST_QUERY_COUNTS[name].partition("::")
    test = getattr(import_module(module_name), test_name, None)
    assert callable(test), f"{name}: {LIST_QUERY_COUNTS[name]} does not exist"
    # The test measures the page with the shared helper, not with a count of its own.
    assert count_queries.__name__ in inspect.getsource(test), f"{name}: {test_name} does not count queries"

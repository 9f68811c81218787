"""Query counts of the pages that grow with the data, on seed_scale data sets of two sizes and at page 1 and
at the deepest page: a count that grows with the rows or with the depth fails here.

The apps test their pages with a few factory rows; these tests add realistic volume, every stage and status,
and deep pages (``?page=999999`` is answered with the last page).
"""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from crm.choices import Role
from crm.models import User
from tests.queries import count_queries
from tooling.scale.seed import seed_scale

SMALL, LARGE = 0.002, 0.006
DEEP = "page=999999"

# (label, who, URL name, query string, expected queries, why that many)
PAGES = [
    ("enterprise list", "officer", "crm:enterprise_list", "", 9,
     "base 4 (session, user, unread notifications, bureau) + count, the page's keys, the page (industry joined, "
     "contacts counted), industry and key-industry filter choices"),
    ("enterprise list, deep", "officer", "crm:enterprise_list", DEEP, 9,
     "as page 1: the keys are read from the nearer end"),
    ("lead list", "officer", "leads:lead_list", "", 10,
     "base 4 + count, the page's keys, the page (enterprise, owner, industry, event joined) and the owner, "
     "industry and event filter choices"),
    ("lead list, deep, filtered", "officer", "leads:lead_list", f"status=following&{DEEP}", 10, "as page 1"),
    ("meeting list", "officer", "leads:meeting_list", "", 8,
     "base 4 + count, the page's keys, the page (enterprise, lead, author joined), the author filter choices"),
    ("meeting list, deep", "officer", "leads:meeting_list", DEEP, 8, "as page 1"),
    ("project list", "officer", "projects:project_list", "", 7,
     "base 4 + count, the page's keys and the page (enterprise, industry, owner joined)"),
    ("project list, deep, filtered", "officer", "projects:project_list", f"stage=terminated&{DEEP}", 7, "as page 1"),
    ("officer's work page", "officer", "leads:my_work", "", None, "constant: each panel is one query"),
    ("reviewer's request list", "reviewer", "projects:my_reviews", "", None,
     "constant: a page of open requests with round, project and enterprise joined, the tabs' counts"),
    ("overdue review requests", "leader", "projects:overdue_reviews", "", None, "constant: one joined query"),
    ("pipeline board", "leader", "projects:pipeline_board", "", None,
     "constant: the stage totals and the first cards of each column"),
    ("lead pipeline", "leader", "leads:lead_pipeline", "", None, "constant: three aggregate queries"),
]


def _counts(factor: float) -> dict[str, int]:
    """Seed a data set, count each page's queries, and roll the data set back."""
    counts = {}
    with transaction.atomic():
        seed_scale(factor=factor, out=lambda line: None)
        scale = User.objects.filter(username__startswith="scale.")
        people = {"officer": scale.filter(role=Role.OFFICER).first(), "leader": scale.filter(role=Role.LEADER).first(),
                  "reviewer": scale.filter(role=Role.REVIEWER, bureau__code="planning").first()}
        clients = {}
        for who, user in people.items():
            clients[who] = Client()
            clients[who].force_login(user)
        for label, who, url_name, params, _expected, _why in PAGES:
            counts[label] = count_queries(clients[who], reverse(url_name) + (f"?{params}" if params else ""))
        transaction.set_rollback(True)
    return counts


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return {"small": _counts(SMALL), "large": _counts(LARGE)}


@pytest.mark.parametrize(("label", "expected", "why"), [(p[0], p[4], p[5]) for p in PAGES], ids=[p[0] for p in PAGES])
def test_a_page_costs_the_same_queries_at_any_size_and_depth(counts, db, label, expected, why):
    small, large = counts["small"][label], counts["large"][label]
    assert small == large, f"{label}: {small} queries with the small set, {large} with the large one"
    if expected is not None:
        assert small == expected, f"{label}: {small} queries, expected {expected} ({why})"

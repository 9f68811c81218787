"""The security lists cost the same number of queries for few or many rows."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.queries import count_queries
from tests.security.factories import audit_entries


@pytest.mark.django_db
def test_the_audit_log_costs_the_same_queries_for_3_or_30_entries(login, audit_admin):
    client = login(audit_admin)
    url = reverse("security:audit_list")
    audit_entries(3)
    small = count_queries(client, url)
    audit_entries(27)
    large = count_queries(client, url)
    # session, user, unread notifications (navigation bar; no bureau), the paginator's count, the page's keys,
    # the page of entries, the chain head shown above the list (7); and recording the view itself (5): lock the
    # chain head, insert the entry, move the head, inside a savepoint (its SAVEPOINT and RELEASE, as the test runs in a
    # transaction; in production they are the request's BEGIN and COMMIT).
    assert small == large == 12


@pytest.mark.django_db
def test_the_account_list_costs_the_same_queries_for_few_or_many_accounts(login, security_admin):
    client = login(security_admin)
    url = reverse("security:account_list")
    small = count_queries(client, url)
    for _ in range(25):
        UserFactory()
    large = count_queries(client, url)
    # session, user, unread notifications (navigation bar), the paginator's count, the page's keys and the page
    # of accounts with bureau joined and the second-factor and lockout flags computed in the same query.
    assert small == large == 6

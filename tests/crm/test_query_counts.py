import pytest
from django.urls import reverse

from tests.factories import ContactFactory, EnterpriseFactory


def _count_queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_enterprise_list_costs_the_same_queries_for_3_or_30_rows(login, officer, django_assert_max_num_queries):
    client = login(officer)
    url = reverse("crm:enterprise_list")
    for _ in range(3):
        ContactFactory(enterprise=EnterpriseFactory())
    small = _count_queries(client, url, django_assert_max_num_queries)
    for _ in range(27):
        ContactFactory(enterprise=EnterpriseFactory())
    large = _count_queries(client, url, django_assert_max_num_queries)
    # session, user, unread notifications and the user's bureau (navigation bar), count for the paginator,
    # the page's keys, the page itself (industry joined, contacts counted) and the two filter lists
    # (industries, key industries).
    assert small == large == 9


@pytest.mark.django_db
def test_the_enterprise_page_costs_the_same_queries_for_1_or_10_contacts(login, officer):
    enterprise = EnterpriseFactory()
    client = login(officer)
    url = reverse("crm:enterprise_detail", args=[enterprise.pk])
    ContactFactory(enterprise=enterprise)
    small = _count_queries(client, url, None)
    for _ in range(9):
        ContactFactory(enterprise=enterprise)
    large = _count_queries(client, url, None)
    assert small == large

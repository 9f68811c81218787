import pytest
from django.urls import reverse

from crm.notifications import notify
from tests.factories import ContactFactory, EnterpriseFactory
from tests.queries import count_queries


@pytest.mark.django_db
def test_the_enterprise_list_costs_the_same_queries_for_3_or_30_rows(login, officer):
    client = login(officer)
    url = reverse("crm:enterprise_list")
    for _ in range(3):
        ContactFactory(enterprise=EnterpriseFactory())
    small = count_queries(client, url)
    for _ in range(27):
        ContactFactory(enterprise=EnterpriseFactory())
    large = count_queries(client, url)
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
    small = count_queries(client, url)
    for _ in range(9):
        ContactFactory(enterprise=enterprise)
    large = count_queries(client, url)
    assert small == large


@pytest.mark.django_db
def test_the_notification_list_costs_the_same_queries_for_3_or_30_notifications(login, officer):
    client = login(officer)
    url = reverse("crm:notification_list")

    def notify_officer(first, last):
        for n in range(first, last):
            notify(recipient=officer, key=f"test:{n}", message=f"跟进提醒 {n}", url="/", email=False)

    notify_officer(0, 3)
    small = count_queries(client, url)
    notify_officer(3, 30)  # more than a page
    large = count_queries(client, url)
    # session, user, unread notifications and the user's bureau (navigation bar), count for the paginator, the
    # page's keys, the page itself, and marking the page's notifications read (one update).
    assert small == large == 8

import pytest
from django.urls import reverse

from crm.models import Notification
from crm.notifications import notify, unread_count


@pytest.mark.django_db
def test_the_same_reminder_is_stored_once_however_often_it_is_sent(officer):
    first = notify(recipient=officer, key="followup-due:1:2026-11-27", message="跟进事项今天到期")
    second = notify(recipient=officer, key="followup-due:1:2026-11-27", message="跟进事项今天到期")
    assert first is not None and second is None
    assert Notification.objects.filter(recipient=officer).count() == 1


@pytest.mark.django_db
def test_the_bell_counts_unread_notifications_and_the_list_marks_them_read(login, officer):
    notify(recipient=officer, key="a", message="第一条提醒")
    notify(recipient=officer, key="b", message="第二条提醒")
    client = login(officer)
    page = client.get(reverse("crm:enterprise_list")).content.decode()
    assert 'notification-count">2<' in page
    listing = client.get(reverse("crm:notification_list")).content.decode()
    assert "第一条提醒" in listing and "第二条提醒" in listing
    assert unread_count(officer) == 0


@pytest.mark.django_db
def test_nobody_sees_another_persons_notifications(login, officer, other_officer):
    notify(recipient=officer, key="a", message="只给王的提醒")
    assert "只给王的提醒" not in login(other_officer).get(reverse("crm:notification_list")).content.decode()

"""The Celery wiring: eager in the embedded default, through Redis to a real worker in production."""

import pytest
from django.conf import settings

from crm.celery import app
from crm.models import Notification
from crm.tasks import send_notification


def test_without_a_broker_tasks_run_in_process():
    if settings.CELERY_BROKER_URL:
        pytest.skip("a broker is configured for this run")
    assert app.conf.task_always_eager is True


@pytest.mark.django_db(transaction=True)
def test_a_task_sent_through_redis_runs_in_a_real_worker(celery_redis_worker, officer):
    result = send_notification.delay(officer.pk, "celery-smoke", "来自后台任务的提醒")
    assert result.get(timeout=20) is True
    assert Notification.objects.filter(recipient=officer, key="celery-smoke").exists()

"""Background tasks of the shared core. Tasks take ids, reload, and call a service; they are idempotent."""

from celery import shared_task

from crm.models import User
from crm.notifications import notify


@shared_task
def send_notification(user_id: int, key: str, message: str, url: str = "") -> bool:
    """Notify a user from the background (used where a request must not wait for e-mail)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    notify(recipient=user, key=key, message=message, url=url)
    return True

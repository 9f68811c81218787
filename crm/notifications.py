"""Notifying people: one function every feature calls, idempotent by key, with e-mail when configured."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.models import Notification, User


def notify(*, recipient: User, key: str, message: str, url: str = "", email: bool = True) -> Notification | None:
    """Store a notification once per (recipient, key); return it, or None when it already existed.

    Use a key that names the event and its day (for example "followup-due:42:2026-11-27") so a sweep that
    runs twice on a day notifies once. E-mail goes out only for a new notification and only when an SMTP
    host is configured (EMAIL_HOST).
    """
    try:
        with transaction.atomic():
            notification = Notification.objects.create(recipient=recipient, key=key, message=str(message), url=url)
    except IntegrityError:
        return None
    if email and settings.EMAIL_HOST and recipient.email:
        transaction.on_commit(lambda: send_mail(str(message), f"{message}\n{url}", None, [recipient.email],
                                                fail_silently=True))
    return notification


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user, ids=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())

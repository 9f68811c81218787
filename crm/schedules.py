"""Every periodic task of the product, in one place, each with the reason for its time.

Times are Asia/Shanghai (CELERY_TIMEZONE). Each feature adds its entry here rather than in its own app, so
an operator reads one file to know what runs when.
"""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {}

# Review-request reminders and escalation: 08:30, before reviewers plan their day, so a request due
# tomorrow or already overdue is the first thing they see. The sweep skips non-working days itself.
BEAT_SCHEDULE["projects-review-reminders"] = {
    "task": "projects.tasks.send_review_reminders",
    "schedule": crontab(hour=8, minute=30),
}

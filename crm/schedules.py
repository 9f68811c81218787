"""Every periodic task of the product, in one place, each with the reason for its time.

Times are Asia/Shanghai (CELERY_TIMEZONE). Each feature adds its entry here rather than in its own app, so
an operator reads one file to know what runs when.
"""

import os

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {}

# Review-request reminders and escalation: 08:30, before reviewers plan their day, so a request due
# tomorrow or already overdue is the first thing they see. The sweep skips non-working days itself.
BEAT_SCHEDULE["projects-review-reminders"] = {
    "task": "projects.tasks.send_review_reminders",
    "schedule": crontab(hour=8, minute=30),
}

# Month-end publication: 01:30 on the 1st, once the month's last records of the evening are in and before
# anyone opens the dashboard; a leader can publish earlier by hand and the task then leaves the month alone.
BEAT_SCHEDULE["reports-publish-previous-month"] = {
    "task": "reports.tasks.publish_previous_month",
    "schedule": crontab(day_of_month=1, hour=1, minute=30),
}

# Restatements: 02:00 every night, after the day's corrections, so a published month shows what changed.
BEAT_SCHEDULE["reports-check-restatements"] = {
    "task": "reports.tasks.check_restatements",
    "schedule": crontab(hour=2, minute=0),
}

# Complaint reminders and escalation: 08:40, right after the review reminders and with the same rule, so a
# bureau's reviewer sees the complaints due tomorrow or overdue when starting the day. Skips non-working days.
BEAT_SCHEDULE["aftercare-complaint-reminders"] = {
    "task": "aftercare.tasks.send_complaint_reminders",
    "schedule": crontab(hour=8, minute=40),
}

# Security audit chain: 03:00 every night, in the quiet hours after the reports' jobs, so a broken chain is
# waiting in the audit administrators' notifications when they start the day.
BEAT_SCHEDULE["security-verify-audit-chain"] = {
    "task": "security.tasks.verify_audit_chain",
    "schedule": crontab(hour=3, minute=0),
}

# Audit chain anchor: 03:05 every night, right after the verification, so the head written outside the database
# (anchor file, system log, e-mail) is one that verified; a chain rewritten whole later no longer passes through
# it. Before the backup (03:20), so the night's backup holds the anchored entry.
BEAT_SCHEDULE["security-anchor-audit-chain"] = {
    "task": "security.tasks.anchor_audit_chain",
    "schedule": crontab(hour=3, minute=5),
}

# Audit archive: 03:30 on the 1st of each month, after that night's verification; entries older than the
# retention (at least 180 days) move to the archive table, so the live log stays small and nothing is dropped.
BEAT_SCHEDULE["security-archive-audit-log"] = {
    "task": "security.tasks.archive_audit_log",
    "schedule": crontab(day_of_month=1, hour=3, minute=30),
}

# Award public notices: 00:10, just after midnight, so an award whose notice (公示) ended yesterday is payable
# from the first hour of the working day; the sweep only moves notices whose last day has passed.
BEAT_SCHEDULE["awards-close-public-notices"] = {
    "task": "awards.tasks.close_ended_public_notices",
    "schedule": crontab(hour=0, minute=10),
}

# Award recompute: 02:00, in the quiet hours, so a draft or submitted application whose project's capital in
# place or milestones changed without a recompute (the pipeline does not call it) is current by morning.
BEAT_SCHEDULE["awards-recompute-open-applications"] = {
    "task": "awards.tasks.recompute_project_applications",
    "schedule": crontab(hour=2, minute=0),
}

# Follow-up reminders: 08:00 by default, before the officers' day starts, so the bell and the work page agree on
# what is due. An operator moves it with LEADS_REMINDER_HOUR / LEADS_REMINDER_MINUTE; notifications are keyed
# by follow-up and day, so a second run (or the send_reminders command from cron) notifies nobody twice.
BEAT_SCHEDULE["leads-followup-reminders"] = {
    "task": "leads.tasks.send_followup_reminders",
    "schedule": crontab(hour=int(os.environ.get("LEADS_REMINDER_HOUR", "8")),
                        minute=int(os.environ.get("LEADS_REMINDER_MINUTE", "0"))),
}

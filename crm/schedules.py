"""Every periodic task of the product, in one place, each with the reason for its time.

Times are Asia/Shanghai (CELERY_TIMEZONE). Each feature adds its entry here rather than in its own app, so
an operator reads one file to know what runs when.
"""

BEAT_SCHEDULE: dict = {}

"""The bureau's response clocks: every lead answered within 1 working day and assessed within 3; a major lead
(10亿元 = 100,000万元 or more) gets 2 and 5 working days, because its assessment involves the leadership.
Administrators change these rows in the back office."""

from decimal import Decimal

from django.db import migrations

RULES = [
    ("普通线索", Decimal("0"), 1, 3),
    ("重大线索（10亿元及以上）", Decimal("100000"), 2, 5),
]


def load(apps, schema_editor):
    Rule = apps.get_model("leads", "ResponseClockRule")
    for name, threshold, first, assessment in RULES:
        Rule.objects.update_or_create(min_investment_wan=threshold, defaults={
            "name": name, "first_response_working_days": first, "assessment_working_days": assessment})


def unload(apps, schema_editor):
    apps.get_model("leads", "ResponseClockRule").objects.filter(
        min_investment_wan__in=[r[1] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("leads", "0001_leads_meetings_events")]

    operations = [migrations.RunPython(load, unload)]

"""The audit entry's action choices come from security.choices.AuditAction when read, so a new kind of event
needs no migration. Nothing changes in the database (choices are not stored there)."""

import security.choices
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('security', '0002_append_only_triggers'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditarchiveentry',
            name='action',
            field=models.CharField(choices=security.choices.audit_action_choices, db_index=True, max_length=40, verbose_name='action'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(choices=security.choices.audit_action_choices, db_index=True, max_length=40, verbose_name='action'),
        ),
    ]

"""A separate migration: PostgreSQL refuses to alter a table with pending deferred checks from the data step."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('calc', '0002_approvals_and_adjustments'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='earning',
            name='for_period',
            field=models.ForeignKey(help_text="The period the line is for: the run's own, or the closed period an adjustment corrects.", on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.period'),
        ),
    ]

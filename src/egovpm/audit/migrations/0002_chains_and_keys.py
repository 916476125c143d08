"""Several keyed chains (docs/audit.md, ADR 0007): the chain columns, the key id, the head's MAC.
Existing rows are re-anchored by 0003 before 0004 makes (chain, chain_seq) unique."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="auditevent", name="chain", field=models.PositiveSmallIntegerField(default=0)
        ),
        migrations.AddField(model_name="auditevent", name="chain_seq", field=models.BigIntegerField(default=0)),
        migrations.AddField(
            model_name="auditevent", name="key_id", field=models.CharField(default="", max_length=20)
        ),
        migrations.AddField(model_name="audithead", name="mac", field=models.CharField(default="", max_length=64)),
        migrations.AlterField(
            model_name="audithead",
            name="id",
            field=models.PositiveSmallIntegerField(default=0, primary_key=True, serialize=False),
        ),
    ]

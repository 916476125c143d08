"""API tokens get a lifetime. Tokens issued before this migration expire 30 days after they were
issued (the default lifetime): none lives forever. (0003 then makes the column NOT NULL, in its
own transaction: PostgreSQL refuses to alter a table with pending trigger events.)"""

import datetime as dt

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db import migrations, models
from django.db.migrations.state import StateApps


def set_expiry(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=models.F("created_at") + dt.timedelta(days=30)
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(model_name="apitoken", name="expires_at", field=models.DateTimeField(null=True)),
        migrations.RunPython(set_expiry, migrations.RunPython.noop),
    ]

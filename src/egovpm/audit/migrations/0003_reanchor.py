"""Re-anchor the events written by the first release (one plain SHA-256 chain) into chain 0 with
HMAC-SM3 links: the old chain is verified first (a break refuses the upgrade; docs/audit.md)."""

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db import migrations
from django.db.migrations.state import StateApps


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from egovpm.audit.services import reanchor_legacy

    reanchor_legacy(apps.get_model("audit", "AuditEvent"), apps.get_model("audit", "AuditHead"))


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chains_and_keys")]

    # no way back: the old chain's plain hashes are not kept
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

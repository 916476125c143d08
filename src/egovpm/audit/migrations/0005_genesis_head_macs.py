"""Every chain gets a head with a MAC, even before its first link (docs/audit.md, "Chains").

`egovpm audit verify` now requires, once any head exists, a head for every chain, and checks the
MAC of heads at link 0 too, so that a chain erased together with its head, or whose head was reset
to link 0, is reported. Heads written by earlier code at link 0 carry no MAC, and a trail
re-anchored by 0003 has only the head of chain 0: this gives every chain without rows a genesis
head MAC'd with the current key. Heads of chains that have rows are left as they are (verify
judges them)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from egovpm.audit.services import GENESIS, current_key, genesis_heads, head_mac

    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "AuditHead")
    if not head_model.objects.exists():
        return  # a new database: the first write creates every head
    with_rows = set(event_model.objects.values_list("chain", flat=True).distinct())
    existing = set(head_model.objects.values_list("id", flat=True))
    head_model.objects.bulk_create(genesis_heads(head_model, skip=with_rows | existing))
    _key_id, key = current_key()
    for head in head_model.objects.filter(seq=0, hash=GENESIS, mac="").exclude(id__in=with_rows):
        head.mac = head_mac(key, head.id, 0, GENESIS)
        head.save(update_fields=["mac"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_append_only")]

    # nothing to undo: earlier code ignores the MAC of a head at link 0
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

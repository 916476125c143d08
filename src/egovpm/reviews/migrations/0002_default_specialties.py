"""Seed the managed list of specialties (NDRC edits it afterwards in the UI or API)."""

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db import migrations
from django.db.migrations.state import StateApps

SPECIALTIES = (
    ("gov_apps", "政务应用", "E-government applications"),
    ("network_security", "网络与安全", "Networks and security"),
    ("data_resources", "数据资源", "Data resources"),
    ("investment", "投资概算", "Investment estimates"),
    ("archives", "档案管理", "Records management"),
)


def seed(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Specialty = apps.get_model("reviews", "Specialty")
    for code, name, name_en in SPECIALTIES:
        Specialty.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_expert_review")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""A project's compliance generation, for the facts kept against it (projects.facts.project_facts,
registered in ComplianceConfig.ready): bumped in the transaction of every audited change of the
project's records (ADR 0013), so facts gathered after reading generation G hold while it reads G."""

from __future__ import annotations

from typing import Any

from django.db import connection

from egovpm.compliance.models import ProjectVerdict

_SQL = "SELECT {generation} FROM {table} WHERE {project} = %s"


def generation(project_id: Any) -> int | None:
    """The project's generation (one query on the primary key), or None when it has no row yet."""
    meta = ProjectVerdict._meta
    sql = _SQL.format(
        generation=connection.ops.quote_name(str(meta.get_field("generation").column)),
        table=connection.ops.quote_name(meta.db_table),
        project=connection.ops.quote_name(str(meta.pk.column)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [meta.pk.get_db_prep_value(project_id, connection)])
        row = cursor.fetchone()
    return int(row[0]) if row else None

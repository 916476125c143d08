"""Bulk writes of derived rows (stored verdicts, rule failures, report obligations) at national scale.

Django's psycopg cursor binds on the client: `bulk_create` of a thousand rows quotes every value of
every row into the SQL text (and builds a model instance for each first). On PostgreSQL these
helpers send one array a column instead, bound in binary (psycopg `%b`), and let the server unnest
them: the statement's text does not grow with the rows. Same connection, so the same transaction
and locks; Django's query log does not see these statements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def execute_binary(sql: str, arrays: list[list[Any]]) -> None:
    """Run `sql` (PostgreSQL) with `arrays` bound on the server in binary (`%b` placeholders)."""
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, arrays)


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert `rows` (tuples of the values of `fields`, attribute names such as "project_id") into
    `model`'s table; the columns not named take their database defaults (an automatic id). On
    PostgreSQL one INSERT … SELECT FROM unnest(one array a column); elsewhere bulk_create."""
    if not rows:
        return
    meta = model._meta
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in rows])
        return
    q = connection.ops.quote_name
    columns: list[tuple[str, str]] = []  # (quoted column, its array type)
    for name in fields:
        field = meta.get_field(name)
        if not isinstance(field, models.Field) or field.column is None:
            raise ValueError(f"{meta.label}.{name} is not a column")
        columns.append((q(field.column), f"%b::{field.db_type(connection)}[]"))
    names = ", ".join(column for column, _type in columns)
    types = ", ".join(array_type for _column, array_type in columns)
    execute_binary(
        f"INSERT INTO {q(meta.db_table)} ({names}) SELECT * FROM unnest({types})",  # noqa: S608 — names from the model
        [list(column) for column in zip(*rows, strict=True)],
    )

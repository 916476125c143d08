"""Each project's money, kept by PostgreSQL itself (issue 14): the cockpit's investment figures
(portfolio.selectors, docs/portfolio.md: the approved baselines, the current estimate lines, the
recorded spending, by lead department) summed 400,000 estimate lines and 250,000 expenditures
joined to their projects at 100,000 projects — 270 ms of the summary's 550; one row a project,
with its lead department, is read in a fraction of that.

`budgets_money` is raw SQL, not a Django model, as projects.0003_project_total and
reviews.0006_review_totals are: backup and restore never carry it (a restore inserts the rows and
the triggers add them up). One row a project that has an estimate, a line or an expenditure:

- `lines`, `current`: how many estimate lines and the sum of their amounts;
- `spendings`, `spent`: how many expenditures and the sum of their amounts;
- `baselined`, `baseline`: 1 and the estimate's total when the estimate has a current baseline
  (an estimate's total is its baseline's once approved: budgets.models.Estimate), else 0 and 0;
- `lead_department_id`: the project's, kept when it changes.

Statement-level triggers with transition tables add what each INSERT (COPY included: `egovpm
seed-synthetic`) wrote, take away what a DELETE removed, and both for an UPDATE, in the writing
transaction (INSERT … ON CONFLICT DO UPDATE adds to the committed row: exact at every snapshot
under READ COMMITTED); TRUNCATE of a source zeroes its columns. A project deleted takes its row
along. budgets.selectors.money_by_department reads it; without it (SQLite) it sums the records.

Nothing is created on SQLite."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# No CHECK (lines >= 0) on the counts: INSERT … ON CONFLICT checks the row it proposes (a
# deletion's negative counts) before it finds the row it adds to.
# (source table, function prefix, the (project_id, count, amount) rows of a transition table
# {rows}, the columns it keeps)
SOURCES = [
    (
        "budgets_estimateline",
        "budgets_money_lines",
        "SELECT e.project_id, 1 AS n, r.amount AS amount FROM {rows} r JOIN budgets_estimate e ON e.id = r.estimate_id",
        ("lines", "current"),
    ),
    (
        "budgets_expenditure",
        "budgets_money_spent",
        "SELECT r.project_id, 1 AS n, r.amount AS amount FROM {rows} r",
        ("spendings", "spent"),
    ),
    (
        "budgets_estimate",
        "budgets_money_baseline",
        "SELECT r.project_id, 1 AS n, r.total AS amount FROM {rows} r WHERE r.baseline_id IS NOT NULL",
        ("baselined", "baseline"),
    ),
]


def _apply(source: str, columns: tuple[str, str], parts: list[tuple[str, str]]) -> str:
    """Add to `columns` the sum of the (rows, sign) parts, a project at a time."""
    n, amount = columns
    union = " UNION ALL ".join(
        f"SELECT project_id, {sign} * n AS n, {sign} * amount AS amount FROM ({source.format(rows=rows)}) s{i}"
        for i, (rows, sign) in enumerate(parts)
    )
    return f"""INSERT INTO budgets_money (project_id, lead_department_id, {n}, {amount})
        SELECT d.project_id, p.lead_department_id, d.n, d.amount
        FROM (SELECT project_id, sum(n) AS n, sum(amount) AS amount FROM ({union}) u GROUP BY project_id) d
        JOIN projects_project p ON p.id = d.project_id
        ORDER BY d.project_id
        ON CONFLICT (project_id) DO UPDATE
        SET {n} = budgets_money.{n} + EXCLUDED.{n}, {amount} = budgets_money.{amount} + EXCLUDED.{amount}"""


def _function(name: str, body: str) -> str:
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {body};
    RETURN NULL;
END $$"""


FORWARD = [
    """CREATE TABLE budgets_money (
        project_id uuid PRIMARY KEY,
        lead_department_id bigint NOT NULL,
        lines bigint NOT NULL DEFAULT 0,
        current numeric NOT NULL DEFAULT 0,
        spendings bigint NOT NULL DEFAULT 0,
        spent numeric NOT NULL DEFAULT 0,
        baselined bigint NOT NULL DEFAULT 0,
        baseline numeric NOT NULL DEFAULT 0
    )""",
]
BACKWARD = []
for table, prefix, source, columns in SOURCES:
    n, amount = columns
    FORWARD += [
        _function(f"{prefix}_insert", _apply(source, columns, [("new_rows", "1")])),
        _function(f"{prefix}_delete", _apply(source, columns, [("old_rows", "-1")])),
        _function(f"{prefix}_update", _apply(source, columns, [("new_rows", "1"), ("old_rows", "-1")])),
        _function(f"{prefix}_truncate", f"UPDATE budgets_money SET {n} = 0, {amount} = 0"),
        f"""CREATE TRIGGER {prefix}_insert AFTER INSERT ON {table}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_insert()""",
        f"""CREATE TRIGGER {prefix}_delete AFTER DELETE ON {table}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_delete()""",
        f"""CREATE TRIGGER {prefix}_update AFTER UPDATE ON {table}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_update()""",
        f"""CREATE TRIGGER {prefix}_truncate AFTER TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_truncate()""",
    ]
    BACKWARD += [f"DROP TRIGGER IF EXISTS {prefix}_{op} ON {table}" for op in ("insert", "delete", "update", "truncate")]
    BACKWARD += [f"DROP FUNCTION IF EXISTS {prefix}_{op}()" for op in ("insert", "delete", "update", "truncate")]

# the project's side: its lead department followed (row trigger: rare, and only when it moves), its
# row gone with it, every row gone with the table
FORWARD += [
    _function(
        "budgets_money_project_update",
        "UPDATE budgets_money SET lead_department_id = NEW.lead_department_id WHERE project_id = NEW.id",
    ),
    _function("budgets_money_project_delete", "DELETE FROM budgets_money m USING old_rows o WHERE m.project_id = o.id"),
    _function("budgets_money_project_truncate", "TRUNCATE budgets_money"),
    """CREATE TRIGGER budgets_money_project_update AFTER UPDATE OF lead_department_id ON projects_project
    FOR EACH ROW WHEN (OLD.lead_department_id IS DISTINCT FROM NEW.lead_department_id)
    EXECUTE FUNCTION budgets_money_project_update()""",
    """CREATE TRIGGER budgets_money_project_delete AFTER DELETE ON projects_project
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION budgets_money_project_delete()""",
    """CREATE TRIGGER budgets_money_project_truncate AFTER TRUNCATE ON projects_project
    FOR EACH STATEMENT EXECUTE FUNCTION budgets_money_project_truncate()""",
    # what is there already, counted once under a lock that keeps writers out while it is
    """LOCK TABLE budgets_estimate, budgets_estimateline, budgets_expenditure IN SHARE MODE""",
    """INSERT INTO budgets_money (project_id, lead_department_id, lines, current, spendings, spent, baselined, baseline)
    SELECT p.id, p.lead_department_id, coalesce(l.n, 0), coalesce(l.s, 0), coalesce(x.n, 0), coalesce(x.s, 0),
           coalesce(b.n, 0), coalesce(b.s, 0)
    FROM projects_project p
    LEFT JOIN (SELECT e.project_id, count(*) AS n, sum(l.amount) AS s FROM budgets_estimateline l
               JOIN budgets_estimate e ON e.id = l.estimate_id GROUP BY e.project_id) l ON l.project_id = p.id
    LEFT JOIN (SELECT project_id, count(*) AS n, sum(amount) AS s FROM budgets_expenditure GROUP BY project_id) x
           ON x.project_id = p.id
    LEFT JOIN (SELECT project_id, count(*) AS n, sum(total) AS s FROM budgets_estimate
               WHERE baseline_id IS NOT NULL GROUP BY project_id) b ON b.project_id = p.id
    WHERE l.n IS NOT NULL OR x.n IS NOT NULL OR b.n IS NOT NULL""",
]
BACKWARD += [
    f"DROP TRIGGER IF EXISTS budgets_money_project_{op} ON projects_project" for op in ("update", "delete", "truncate")
]
BACKWARD += [f"DROP FUNCTION IF EXISTS budgets_money_project_{op}()" for op in ("update", "delete", "truncate")]
BACKWARD += ["DROP TABLE IF EXISTS budgets_money"]


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("budgets", "0003_project_lead_id_index"), ("projects", "0007_list_search_keys_from_index")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]

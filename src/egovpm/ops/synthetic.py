"""`egovpm seed-synthetic --projects N [--seed S] [--force] [--password-stdin]` (api.md, Operations;
docs/performance.md "Reads at national scale").

A realistic synthetic portfolio for benchmarks and training, the same for the same seed: about 60
central and local departments with a staff member and a leader each (`syn.d07.staff`,
`syn.d07.leader`), NDRC / MoF / archives users and an expert pool, and N projects over every stage
with the records each app keeps (ops/synthetic_plan.py, ops/synthetic_records.py). Every synthetic
user shares ONE password: read from standard input or generated and printed once.

Speed (100,000 projects, 4.5 million rows, in about 8 minutes on 2 cores; docs/performance.md):
rows are plain dicts with precomputed ids, written with COPY on PostgreSQL (bulk_create on SQLite),
2,000 projects at a time; no service is called per row and no audit event is written per row — ONE
audit event (AuditAction.SYNTHETIC_SEED) records the seeding. Everything is one transaction: a
failure leaves nothing behind. Stored compliance verdicts are not computed here: each project gets its
verdict row never evaluated (generation 1, evaluated 0: stale, ADR 0013); run `egovpm refresh-compliance
--all` afterwards (bench/scale.sh does).

Refused (exit 2, nothing written) when the database already holds a project, unless --force."""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from egovpm.accounts.models import Department, User, UserRole
from egovpm.archives.models import ArchiveAcceptance, CompletionAcceptance
from egovpm.audit.actions import AuditAction
from egovpm.audit.services import audit_record
from egovpm.budgets.models import (
    Adjustment,
    AdjustmentItem,
    Baseline,
    BaselineLine,
    Estimate,
    EstimateLine,
    Expenditure,
)
from egovpm.compliance.models import ProjectVerdict
from egovpm.core import clock
from egovpm.documents import storage
from egovpm.documents.models import Document
from egovpm.ops import synthetic_plan as planning
from egovpm.ops.synthetic_cli import DEFAULT_SEED
from egovpm.ops.synthetic_records import BUILDERS, EXTRA_BUILDERS, Blob, People, Row, SeedContext, build_project
from egovpm.projects.models import Assignment, CodeSequence, Participation, Project, StageEvent
from egovpm.reports.models import ReportAcknowledgement, ReportReturn, ReportSubmission
from egovpm.reviews.models import ExpertProfile, ExpertReview, NeedsAnalysis, Opinion, PanelMember
from egovpm.rules.engine import load_pack
from egovpm.security.models import InformationSystem, RiskAssessment

BATCH = 2000
PROJECT_TYPE = "01"

# The order rows are written in (foreign keys first). A later module (procurements, inspections)
# appends its models here and its builder to synthetic_records.EXTRA_BUILDERS.
INSERT_ORDER: list[type[models.Model]] = [
    Project,
    ProjectVerdict,
    Participation,
    StageEvent,
    Document,
    NeedsAnalysis,
    NeedsAnalysis.co_authors.through,
    ExpertReview,
    PanelMember,
    Opinion,
    Baseline,
    Adjustment,
    BaselineLine,
    Estimate,
    EstimateLine,
    AdjustmentItem,
    Expenditure,
    ReportSubmission,
    ReportReturn,
    ReportAcknowledgement,
    InformationSystem,
    RiskAssessment,
    Assignment,
    ArchiveAcceptance,
    CompletionAcceptance,
]
CENTRAL = (
    "教育部", "科学技术部", "工业和信息化部", "公安部", "民政部", "司法部", "人力资源和社会保障部",
    "自然资源部", "生态环境部", "住房和城乡建设部", "交通运输部", "水利部", "农业农村部", "商务部",
    "文化和旅游部", "国家卫生健康委员会", "应急管理部", "审计署", "海关总署", "国家税务总局",
    "国家市场监督管理总局", "国家统计局", "国家医疗保障局", "国家林业和草原局",
)  # fmt: skip
PROVINCES = (
    ("110000", "北京市"), ("120000", "天津市"), ("130000", "河北省"), ("140000", "山西省"),
    ("210000", "辽宁省"), ("220000", "吉林省"), ("310000", "上海市"), ("320000", "江苏省"),
    ("330000", "浙江省"), ("340000", "安徽省"), ("350000", "福建省"), ("360000", "江西省"),
    ("370000", "山东省"), ("410000", "河南省"), ("420000", "湖北省"), ("430000", "湖南省"),
    ("440000", "广东省"), ("450000", "广西壮族自治区"), ("500000", "重庆市"), ("510000", "四川省"),
    ("520000", "贵州省"), ("530000", "云南省"), ("610000", "陕西省"), ("620000", "甘肃省"),
)  # fmt: skip
BUREAUS = ("政务服务和数据管理局", "大数据发展管理局", "人力资源和社会保障厅")
LOCAL_COUNT = 36
# The authorities the records name, created when the database has none of that kind.
AUTHORITIES = (
    ("ndrc", "国家发展和改革委员会", "ndrc", "01"),
    ("mof", "财政部", "mof", "02"),
    ("saac", "国家档案局", "archives", "03"),
    ("ciecc", "中国国际工程咨询有限公司", "agency", "04"),
)
EXPERTS = 8
BLOBS = (
    ("synthetic-report.pdf", "application/pdf", b"%PDF-1.4\n% egovpm synthetic report\n%%EOF\n"),
    ("synthetic-approval.pdf", "application/pdf", b"%PDF-1.4\n% egovpm synthetic approval\n%%EOF\n"),
    ("synthetic-plan.pdf", "application/pdf", b"%PDF-1.4\n% egovpm synthetic plan and estimate\n%%EOF\n"),
)


class SeedRefused(Exception):
    """Seeding would mix synthetic projects into a portfolio that already holds some."""


@dataclass
class Summary:
    projects: int
    seconds: float
    password: str | None  # the generated password, None when it was given
    counts: Counter[str] = field(default_factory=Counter)
    vacuumed: float | None = None  # seconds of the VACUUM (ANALYZE) after the commit; None: not run


# ---------------------------------------------------------------------------------------- seed


def seed(
    *,
    projects: int,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    password: str | None = None,
    batch: int = BATCH,
    progress: Callable[[int, int, float], None] | None = None,
) -> Summary:
    """Write the portfolio in one transaction. Raises SeedRefused (nothing written) when the
    database already holds a project and `force` is false."""
    existing = Project.objects.count()
    if existing and not force:
        raise SeedRefused(
            f"the database already holds {existing} project(s): seed-synthetic fills an empty portfolio "
            "(--force adds to it); nothing was written"
        )
    started = time.monotonic()
    generated = None
    if password is None:
        password = generated = secrets.token_urlsafe(12)
    rng = random.Random(seed)
    summary = Summary(projects=projects, seconds=0.0, password=generated)
    with transaction.atomic():
        departments, people = _organisation(make_password(password), summary.counts)
        pack = load_pack("r2007")
        ctx = SeedContext(
            rng=rng,
            end=clock.today() - dt.timedelta(days=1),
            departments=departments,
            people=people,
            blobs=_blobs(),
            pack_version=pack.version,
            pack_sha256=pack.sha256,
            next_ids={m: (m._default_manager.aggregate(top=Max("id"))["top"] or 0) + 1 for m in _integer_keyed()},
            retention={str(k): str(v) for k, v in pack.data.get("retention_defaults", {}).items()},
            lead_weights=[1 + (i * 7) % 10 for i in range(len(departments) - len(AUTHORITIES))],
        )
        codes = _Codes(force)
        for first in range(0, projects, batch):
            for index in range(first, min(first + batch, projects)):
                _project(ctx, codes, index)
            _flush(ctx, summary.counts)
            if progress is not None:
                progress(min(first + batch, projects), projects, time.monotonic() - started)
        codes.save()
        _reset_sequences()
        summary.seconds = time.monotonic() - started
        audit_record(
            actor=None,
            action=AuditAction.SYNTHETIC_SEED,
            object_type="ops.synthetic",
            object_id=f"seed-{seed}",
            new={"projects": projects, "seed": seed, "force": force, "rows": dict(sorted(summary.counts.items()))},
        )
    summary.vacuumed = _vacuum(summary.counts)
    return summary


def _vacuum(counts: Counter[str]) -> float | None:
    """PostgreSQL, once the portfolio is committed: VACUUM (ANALYZE) the tables written, as after
    any bulk load (PostgreSQL's "Populating a Database"). Without it the planner judges millions
    of rows by the statistics of empty tables, index-only scans read the heap (no visibility map),
    and the first reader of each page pays for setting its hint bits: the first verdict refresh
    after seeding ran at half its speed while autovacuum caught up under it. Not inside a caller's
    transaction (VACUUM cannot run in one: a test's, or a --force run from a shell's atomic block);
    returns the seconds spent, None when not run."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    from django.apps import apps

    started = time.monotonic()
    tables = sorted({apps.get_model(label)._meta.db_table for label in counts})
    with connection.cursor() as cursor:
        for table in tables:  # one statement a table: a failure names it
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
    return time.monotonic() - started


def _project(ctx: SeedContext, codes: _Codes, index: int) -> None:
    rng = ctx.rng
    lead = rng.choices(range(len(ctx.departments) - len(AUTHORITIES)), weights=ctx.lead_weights)[0]
    plan = planning.plan_project(rng, index, lead, ctx.end)
    department = ctx.departments[lead]
    if rng.random() < 0.2:
        others = [i for i in rng.sample(range(len(ctx.departments) - len(AUTHORITIES)), 3) if i != lead]
        plan.participants = others[: rng.randint(1, 3)]
    if department.kind == "central" and rng.random() < 0.08:
        plan.joint = True
        if not any(ctx.departments[i].kind == "local" for i in plan.participants):
            plan.participants.append(rng.randrange(len(CENTRAL), len(CENTRAL) + LOCAL_COUNT))
    code = codes.issue(plan.created.year, department)
    built = build_project(ctx, plan, code, planning.project_name(rng, department.name), planning.leader(rng))
    # the project's verdict row, stale (ADR 0013: every project has one); id= keeps ctx.add off the rng
    ctx.add(ProjectVerdict, id=built.project.pk, project=built.project, generation=1, evaluated_generation=0)
    for builder in (*BUILDERS, *EXTRA_BUILDERS):
        builder(ctx, built)


def _flush(ctx: SeedContext, counts: Counter[str]) -> None:
    order = INSERT_ORDER + [m for m in ctx.rows if m not in INSERT_ORDER]
    for model in order:
        rows = ctx.rows.pop(model, [])
        if rows:
            _write(model, rows)
            counts[model._meta.label_lower] += len(rows)
    if connection.vendor == "postgresql":
        # Check this batch's deferred foreign keys now: the one transaction stays all-or-nothing,
        # and the server's queue of pending checks stays one batch long instead of the portfolio.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _integer_keyed() -> list[type[models.Model]]:
    """The models whose integer ids are precomputed (their sequences are reset afterwards)."""
    return [m for m in INSERT_ORDER if m._meta.pk.get_internal_type() in ("AutoField", "BigAutoField")]


@dataclass(frozen=True)
class _Column:
    name: str
    attname: str
    column: str | None
    related: bool
    json: bool
    default: object


@functools.cache
def _columns(model: type[models.Model]) -> tuple[_Column, ...]:
    return tuple(
        _Column(
            f.name,
            f.attname,
            f.column,
            f.is_relation,
            isinstance(f, models.JSONField),
            None if f.primary_key else f.get_default(),
        )
        for f in model._meta.local_concrete_fields
    )


def _values(columns: tuple[_Column, ...], row: Row) -> list[object]:
    values = []
    for c in columns:
        if c.attname in row:
            value = row[c.attname]
        elif c.name in row:
            value = row[c.name]
            if c.related and value is not None:
                value = value.pk
        else:
            value = c.default
        values.append(value)
    return values


def _write(model: type[models.Model], rows: list[Row]) -> None:
    """COPY on PostgreSQL (no per-row SQL, no ORM objects); bulk_create elsewhere (SQLite: tests)."""
    columns = _columns(model)
    if connection.vendor != "postgresql":
        names = [c.attname for c in columns]
        objects = [model(**dict(zip(names, _values(columns, row), strict=True))) for row in rows]
        model._default_manager.bulk_create(objects, batch_size=500)
        return
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(str(c.column)) for c in columns)}) FROM STDIN"
    json_at = [i for i, c in enumerate(columns) if c.json]
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            values = _values(columns, row)
            for i in json_at:
                if values[i] is not None:
                    values[i] = json.dumps(values[i], ensure_ascii=False)
            copy.write_row(values)


def _reset_sequences() -> None:
    """PostgreSQL: the id sequences continue after the precomputed ids (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), _integer_keyed())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class _Codes:
    """Project codes YYYY-RRRRRR-DD-TT-NNNNNN (projects/codes.py) numbered after what each
    prefix has issued; CodeSequence is brought up to date at the end, so `code_issue` goes on."""

    def __init__(self, force: bool) -> None:
        self.last = dict(CodeSequence.objects.values_list("prefix", "last"))
        self.taken = set(Project.objects.values_list("code", flat=True)) if force else set()
        self.changed: set[str] = set()

    def issue(self, year: int, department: Department) -> str:
        prefix = f"{year:04d}-{department.division_code}-{department.number}-{PROJECT_TYPE}"
        while True:
            self.last[prefix] = self.last.get(prefix, 0) + 1
            code = f"{prefix}-{self.last[prefix]:06d}"
            if code not in self.taken:
                self.changed.add(prefix)
                return code

    def save(self) -> None:
        CodeSequence.objects.bulk_create(
            [CodeSequence(prefix=p, last=self.last[p]) for p in sorted(self.changed)],
            update_conflicts=True,
            unique_fields=["prefix"],
            update_fields=["last"],
        )


# ----------------------------------------------------------------------- departments and people


def _department_specs() -> list[tuple[str, str, str, str, str]]:
    """(code, name, kind, division, number) of the 60 synthetic departments."""
    specs = [(f"syn-d{i + 1:02d}", name, "central", "000000", f"{40 + i:02d}") for i, name in enumerate(CENTRAL)]
    for j in range(LOCAL_COUNT):
        division, province = PROVINCES[j % len(PROVINCES)]
        bureau = BUREAUS[j // len(PROVINCES)]
        specs.append((f"syn-d{len(CENTRAL) + j + 1:02d}", province + bureau, "local", division, f"{21 + j // 24:02d}"))
    return specs


def _organisation(password_hash: str, counts: Counter[str]) -> tuple[list[Department], People]:
    """The synthetic departments (lead departments first, the authorities last) and their users;
    what already exists (a previous seeding, --force) is reused."""
    have = {d.code: d for d in Department.objects.all()}
    by_kind = {d.kind: d for d in sorted(have.values(), key=lambda d: d.code, reverse=True)}
    new = [Department(code=c, name=n, kind=k, division_code=dv, number=no) for c, n, k, dv, no in _department_specs()]
    new += [
        Department(code=c, name=n, kind=k, division_code="000000", number=no)
        for c, n, k, no in AUTHORITIES
        if k not in by_kind and c not in have
    ]
    missing = [d for d in new if d.code not in have]
    Department.objects.bulk_create(missing)
    counts["accounts.department"] += len(missing)
    have = {d.code: d for d in Department.objects.all()}
    by_kind = {d.kind: d for d in sorted(have.values(), key=lambda d: d.code, reverse=True)}
    leads = [have[spec[0]] for spec in _department_specs()]
    authorities = [by_kind[kind] for _, _, kind, _ in AUTHORITIES]
    users = _Users(password_hash)
    staff = {
        d.pk: users.get(f"syn.{d.code.removeprefix('syn-')}.staff", d, ["dept_staff"], f"{d.name}经办人") for d in leads
    }
    leader = {
        d.pk: users.get(f"syn.{d.code.removeprefix('syn-')}.leader", d, ["dept_leader"], f"{d.name}分管领导")
        for d in leads
    }
    ndrc, mof, archives, agency = authorities
    people = People(
        ndrc=users.get("syn.ndrc.officer", ndrc, ["ndrc_officer"], "发改委高技司（合成数据）"),
        mof=users.get("syn.mof.viewer", mof, ["mof_viewer"], "财政部经建司（合成数据）"),
        archivist=users.get("syn.archivist", archives, ["archivist"], "档案验收员（合成数据）"),
        experts=[users.get(f"syn.expert.{i:02d}", agency, ["expert"], f"专家{i:02d}") for i in range(1, EXPERTS + 1)],
        staff=staff,
        leader=leader,
    )
    users.get("syn.inspector", agency, ["inspector"], "监督检查员（合成数据）")
    users.save(counts)
    return leads + authorities, people


class _Users:
    """Users found by username or created with the one shared password hash (bulk-written in save)."""

    def __init__(self, password_hash: str) -> None:
        self.password_hash = password_hash
        self.existing = {u.username: u for u in User.objects.filter(username__startswith="syn.")}
        self.new: list[tuple[User, list[str]]] = []

    def get(self, username: str, department: Department, roles: list[str], display: str) -> User:
        if username in self.existing:
            return self.existing[username]
        user = User(
            username=username,
            password=self.password_hash,
            department=department,
            display_name=display,
            email=f"{username}@synthetic.invalid",
            is_active=True,
        )
        self.new.append((user, roles))
        self.existing[username] = user
        return user

    def save(self, counts: Counter[str]) -> None:
        User.objects.bulk_create([u for u, _ in self.new])  # ids come back on PostgreSQL and SQLite
        UserRole.objects.bulk_create([UserRole(user=u, role=r) for u, roles in self.new for r in roles])
        now = clock.now()
        ExpertProfile.objects.bulk_create(
            [ExpertProfile(user=u, title="高级工程师", updated_at=now) for u, roles in self.new if "expert" in roles]
        )
        counts["accounts.user"] += len(self.new)


def _blobs() -> list[Blob]:
    """The few small files every synthetic document row points at, stored once."""
    blobs = []
    for filename, content_type, data in BLOBS:
        sha256, sm3, size = storage.digests([data])
        if not storage.exists(sha256):
            storage.store(data, sha256)
        blobs.append(Blob(sha256, sm3, size, filename, content_type))
    return blobs

"""Shared fixtures: named personas per role and department (style.md habit 10), a pinned clock,
and API clients authenticated with real Bearer tokens.

Departments: `moa` (lead of the shared projects), `mob` (another ministry: sees nothing of moa's),
`prov` (a local department that participates in `project`), plus ndrc, mof, archives, agency.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Test-Passw0rd-egovpm"
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)  # a Friday; 18:00 in Beijing

# persona name -> (department code, roles)
PERSONAS: dict[str, tuple[str, list[str]]] = {
    "staff_a": ("moa", ["dept_staff"]),
    "leader_a": ("moa", ["dept_leader"]),
    "staff_b": ("mob", ["dept_staff"]),
    "leader_b": ("mob", ["dept_leader"]),
    "staff_p": ("prov", ["dept_staff"]),
    "ndrc": ("ndrc", ["ndrc_officer"]),
    "mof": ("mof", ["mof_viewer"]),
    "expert_assigned": ("agency", ["expert"]),
    "expert_other": ("agency", ["expert"]),
    "inspector_assigned": ("agency", ["inspector"]),
    "inspector_other": ("agency", ["inspector"]),
    "archivist_assigned": ("archives", ["archivist"]),
    "archivist_other": ("archives", ["archivist"]),
    "sys_admin": ("ndrc", ["sys_admin"]),
    "sec_admin": ("ndrc", ["sec_admin"]),
    "audit_admin": ("ndrc", ["audit_admin"]),
}

DEPARTMENTS = [
    ("moa", "甲部委", "central", "000000", "31"),
    ("mob", "乙部委", "central", "000000", "32"),
    ("prov", "某省政务服务局", "local", "110000", "41"),
    ("ndrc", "国家发展和改革委员会", "ndrc", "000000", "01"),
    ("mof", "财政部", "mof", "000000", "02"),
    ("archives", "国家档案局", "archives", "000000", "03"),
    ("agency", "某咨询机构", "agency", "000000", "04"),
]


@pytest.fixture(autouse=True)
def clock() -> Iterator[Any]:
    """Every test runs at NOW unless it moves the clock itself (clock.set_now)."""
    from egovpm.core import clock as clock_module

    clock_module.set_now(NOW)
    yield clock_module
    clock_module.set_now(None)


@pytest.fixture(autouse=True)
def audit_channel() -> Iterator[None]:
    """Every test starts with the default audit channel ("system"): a command a test ran
    (`egovpm demo`, the cli) marks the thread's later writes as the command line's otherwise."""
    from egovpm.core.channel import current_channel

    current_channel.set("system")
    yield
    current_channel.set("system")


@pytest.fixture(autouse=True)
def security_policy_cache() -> Iterator[None]:
    """A security policy a test saved is rolled back with the test: the process's copy goes too
    (accounts/policy.py keeps the row per process)."""
    yield
    from egovpm.accounts import policy

    policy.forget_if_changed()


@pytest.fixture(autouse=True)
def computed_afresh(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every answer and page part that is kept under the records' stamp (web.inbox.kept, ADR 0019
    and 0020) is computed afresh in a test, unless the test is about keeping (@pytest.mark.kept):
    a test reads what the request computes, and a query count measures the computation, not a warm
    cache. Requests served by another thread (the browser tests' live server) keep as deployed."""
    if request.node.get_closest_marker("kept"):
        yield
        return
    from egovpm.web.inbox import computed_afresh as afresh

    with afresh():
        yield


@pytest.fixture(autouse=True)
def kept_answers() -> Iterator[None]:
    """Answers kept between requests under a stamp of the records (ADR 0019: the cockpit summary,
    NDRC's 待办 lists, the reports matrix) start empty in every test: a test's rollback brings the
    audit heads and the obligations' stamp back to what an earlier test saw, with other rows."""
    from django.core.cache import cache

    from egovpm.reports import api as reports_api
    from egovpm.reports import selectors as reports_selectors

    def forget() -> None:
        cache.clear()
        reports_selectors._stamped_memo.clear()
        reports_selectors._matrix_memo.clear()
        reports_api._rows_memo.clear()

    forget()
    yield
    forget()


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, tests
    return settings.MEDIA_ROOT


def _ensure_people() -> tuple[dict[str, Any], dict[str, Any]]:
    """The test departments and personas, created once per test database (see django_db_setup)
    and again after a transactional test has flushed the tables."""
    from egovpm.accounts.models import Department, User
    from egovpm.accounts.services import department_add, user_add
    from egovpm.reviews.services import specialty_seed_defaults

    specialty_seed_defaults()  # reference data of a data migration, flushed by transactional tests
    existing = {d.code: d for d in Department.objects.filter(code__in=[d[0] for d in DEPARTMENTS])}
    departments = {
        code: existing.get(code)
        or department_add(actor=None, code=code, name=name, kind=kind, division_code=div, number=num)
        for code, name, kind, div, num in DEPARTMENTS
    }
    users = {u.username: u for u in User.objects.filter(username__in=list(PERSONAS)).select_related("department")}
    personas = {
        name: users.get(name)
        or user_add(actor=None, username=name, department_code=dep, roles=roles, password=PASSWORD)
        for name, (dep, roles) in PERSONAS.items()
    }
    return departments, personas


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Create the personas once per test database instead of once per test: each test still runs
    in a transaction that is rolled back, so the people are there and unchanged for the next one.
    (Passwords use a fast hasher in tests only: the personas' hashes are made here, before the
    per-test settings fixture runs.)"""
    from django.conf import settings as django_settings

    django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock():
        _allow_flush_of_the_audit_trail()
        _ensure_people()


def _allow_truncate(sender: Any = None, connection: Any = None, **kwargs: Any) -> None:
    if connection is not None and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET egovpm.audit_truncate = 'on'")


def _allow_flush_of_the_audit_trail() -> None:
    """On PostgreSQL a trigger refuses TRUNCATE of audit events (audit migration 0004); the test
    sessions, and they only, let Django's TransactionTestCase flush them between tests."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    connection_created.connect(_allow_truncate, dispatch_uid="egovpm-tests-audit-truncate")
    if connection.connection is not None:
        _allow_truncate(connection=connection)


@pytest.fixture
def departments(db: Any) -> dict[str, Any]:
    return _ensure_people()[0]


@pytest.fixture
def personas(departments: dict[str, Any]) -> dict[str, Any]:
    # fresh instances per test: a test that changes a user must not leak into the next one
    return _ensure_people()[1]


def make_project(actor: Any, **overrides: Any) -> Any:
    from egovpm.projects.services import project_create

    fields: dict[str, Any] = {
        "name": "测试电子政务项目",
        "lead_department": actor.department.code,
        "responsible_leader_name": "张三",
        "responsible_leader_title": "副部长",
        "business_unit": "业务司",
        "technical_unit": "信息中心",
        "construction_goals": "建成统一平台",
    }
    fields.update(overrides)
    return project_create(actor=actor, **fields)


@pytest.fixture
def project(personas: dict[str, Any]) -> Any:
    """A draft project led by moa with prov participating; the *_assigned personas are assigned."""
    from egovpm.projects.services import assignment_add

    p = make_project(personas["staff_a"], participating_departments=["prov"])
    for persona, task in (
        ("archivist_assigned", "archivist"),
        ("inspector_assigned", "inspector"),
        ("expert_assigned", "expert"),
    ):
        assignment_add(actor=personas["ndrc"], project_id=p.pk, username=persona, task=task)
    return p


@pytest.fixture
def other_project(personas: dict[str, Any]) -> Any:
    """A project led by mob: moa and prov must never see it."""
    return make_project(personas["staff_b"], name="乙部委项目")


@pytest.fixture
def api(personas: dict[str, Any]) -> Any:
    """api(persona) -> a DRF APIClient with that persona's Bearer token; api(None) is anonymous."""
    from rest_framework.test import APIClient

    from egovpm.accounts.auth import token_issue

    def client(persona: str | None) -> APIClient:
        c = APIClient()
        if persona is not None:
            c.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=personas[persona])}")
        return c

    return client


def ready_for(project: Any, action: str, day: dt.date | None = None) -> None:
    """Record the evidence the domain apps' gate rules need before `action` (estimate, expert review,
    systems, risk assessment, archive acceptance …), as the demo does: tests that are not about
    those gates can then take the action. `day` is the action's effective date (today by default)."""
    from egovpm.core import clock as clock_module
    from egovpm.demo import prepare_evidence

    prepare_evidence(project=project, action=action, day=day or clock_module.today())


def advance(project: Any, actor_for: dict[str, Any], upto: str, start: dt.date = dt.date(2024, 1, 10)) -> Any:
    """Walk `project` forward through the lifecycle until it reaches stage `upto`."""
    from egovpm.projects.services import project_transition

    steps = [
        ("submit_needs_analysis", "staff_a", "needs_analysis"),
        ("submit_proposal", "staff_a", "proposal"),
        ("approve_proposal", "ndrc", "feasibility_study"),
        ("approve_feasibility", "ndrc", "preliminary_design"),
        ("approve_preliminary_design", "ndrc", "construction"),
        ("start_trial_operation", "staff_a", "trial_operation"),
        ("pass_preliminary_acceptance", "leader_a", "acceptance"),
        ("pass_completion_acceptance", "ndrc", "in_operation"),
    ]
    day = start
    for action, who, stage in steps:
        if project.stage == upto:
            break
        ready_for(project, action, day)
        project = project_transition(
            actor=actor_for[who],
            project_id=project.pk,
            action=action,
            effective_date=day,
            approval_reference="发改高技〔2024〕1号" if action.startswith("approve") else "",
        )
        day += dt.timedelta(days=30)
        assert project.stage == stage
    return project

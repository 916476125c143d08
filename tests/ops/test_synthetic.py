"""`egovpm seed-synthetic` (issue 13 item 1): a realistic portfolio, the same for the same seed,
consistent with the rules (no `error` verdict), refused on a database that holds projects."""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum

from conftest import make_project
from egovpm import cli
from egovpm.audit.models import AuditEvent
from egovpm.audit.services import audit_chain_verify, current_channel
from egovpm.budgets.models import Adjustment, Estimate
from egovpm.core import clock
from egovpm.documents.models import Document
from egovpm.ops.synthetic import seed
from egovpm.projects.choices import TRANSITIONS, Stage
from egovpm.projects.models import Project, StageEvent
from egovpm.projects.selectors import project_compliance
from egovpm.reports.models import ReportSubmission
from egovpm.rules import facts_reports as fr

pytestmark = pytest.mark.django_db
CODE = re.compile(r"\d{4}-\d{6}-\d{2}-\d{2}-\d{6}", re.ASCII)
PASSWORD = "Synthetic-Passw0rd-2026"


@pytest.fixture(autouse=True)
def restore_channel() -> Iterator[None]:
    token = current_channel.set("test")
    yield
    current_channel.reset(token)


@pytest.fixture
def seeded() -> int:
    """Seeds 200 projects; gives the number of audit events written before."""
    before = AuditEvent.objects.count()
    seed(projects=200, seed=7, password=PASSWORD)
    return before


def test_every_stage_is_present_with_valid_codes_and_lifecycle_events(seeded: int) -> None:
    stages = Counter(Project.objects.values_list("stage", flat=True))
    assert set(stages) == set(Stage.values)
    # plausible proportions: most projects are being built or run, drafts are few
    assert stages[Stage.CONSTRUCTION] + stages[Stage.IN_OPERATION] > 80
    assert stages[Stage.DRAFT] < 30
    codes = list(Project.objects.values_list("code", flat=True))
    assert len(codes) == 200 and all(CODE.fullmatch(c) for c in codes)
    for project in Project.objects.prefetch_related("events"):
        events = list(project.events.order_by("seq"))
        stage = Stage.DRAFT
        for e in events:  # each move is legal from where the project stood, dates in order
            assert stage in TRANSITIONS[e.action].sources and e.from_stage == stage
            stage = e.to_stage
            assert e.effective_date <= clock.today()
            if TRANSITIONS[e.action].ndrc_approval and e.approval_reference:
                assert "号" in e.approval_reference
        assert stage == project.stage
        assert [e.effective_date for e in events] == sorted(e.effective_date for e in events)


def test_estimates_lines_sum_to_their_totals_and_adjustments_cover_routes_and_states(seeded: int) -> None:
    estimates = Estimate.objects.annotate(lines_sum=Sum("lines__amount"))
    assert estimates.count() > 100
    for e in estimates:
        assert isinstance(e.total, Decimal) and e.lines_sum == e.total, e.project_id
    seen = set(Adjustment.objects.values_list("route", "status"))
    assert {route for route, _ in seen} == {"self_approval", "ndrc_approval"}
    assert {"approved", "rejected", "withdrawn"} <= {status for _, status in seen}


def test_reports_are_on_time_late_and_missing(seeded: int) -> None:
    subs: dict[Any, list[fr.ReportSubmissionFact]] = {}
    for s in ReportSubmission.objects.select_related("returned"):
        returned = getattr(s, "returned", None)
        subs.setdefault(s.project_id, []).append(
            fr.ReportSubmissionFact(s.period, s.version, s.submitted_at, returned.returned_at if returned else None)
        )
    statuses: Counter[str] = Counter()
    for project in Project.objects.prefetch_related("events"):
        events = list(project.events.order_by("seq"))
        for state in fr.report_obligations(events, subs.get(project.pk, []), clock.today()):
            statuses[state.status] += 1
    assert statuses[fr.ON_TIME] > statuses[fr.LATE] > 0
    assert statuses[fr.OVERDUE] > 0


def test_documents_share_a_few_blobs_and_one_audit_event_records_the_seeding(seeded: int) -> None:
    assert Document.objects.count() > 500
    assert Document.objects.values("sha256").distinct().count() <= 3
    events = list(AuditEvent.objects.order_by("seq")[seeded:])
    assert [e.action for e in events] == ["system.synthetic_seed"]
    assert events[0].new["projects"] == 200 and events[0].new["seed"] == 7
    assert audit_chain_verify() == []


def test_the_full_compliance_evaluation_finds_the_records_consistent(seeded: int) -> None:
    # an `error` verdict means a check met records it cannot judge: the data contradicts the rules
    errors = []
    for project in Project.objects.select_related("lead_department").order_by("code")[::4]:
        for result in project_compliance(project=project)["results"]:
            if result.status == "error":
                errors.append((project.code, result.rule, dict(result.args)))
    assert errors == []


def test_the_same_seed_gives_the_same_portfolio() -> None:
    def portfolio() -> list[tuple[str, str, str]]:
        return list(Project.objects.order_by("code").values_list("code", "name", "stage"))

    with transaction.atomic():
        seed(projects=60, seed=3, password=PASSWORD)
        first = portfolio()
        transaction.set_rollback(True)
    with transaction.atomic():
        seed(projects=60, seed=4, password=PASSWORD)
        other = portfolio()
        transaction.set_rollback(True)
    assert not Project.objects.exists()
    seed(projects=60, seed=3, password=PASSWORD)
    assert portfolio() == first
    assert [name for _, name, _ in other] != [name for _, name, _ in first]


def test_a_database_with_a_project_is_refused_unless_forced(
    capsys: Any, monkeypatch: Any, project: Any, personas: dict[str, Any]
) -> None:
    before = (Project.objects.count(), StageEvent.objects.count(), AuditEvent.objects.count())
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    code = cli.main(["seed-synthetic", "--projects", "20", "--password-stdin"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "already holds 1 project" in err
    assert (Project.objects.count(), StageEvent.objects.count(), AuditEvent.objects.count()) == before

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["seed-synthetic", "--projects", "20", "--password-stdin", "--force"]) == 0
    assert Project.objects.count() == 21
    out = capsys.readouterr().out
    assert "seeded 20 projects" in out and PASSWORD not in out
    # the existing authorities were reused, not duplicated
    from egovpm.accounts.models import Department

    assert Department.objects.filter(kind="ndrc").count() == 1
    # the services go on writing after the seeded ids (PostgreSQL: the sequences were moved on)
    later = make_project(personas["staff_a"], participating_departments=["prov"])
    assert CODE.fullmatch(later.code) and later.participations.count() == 1


def test_a_generated_password_is_printed_once_and_every_synthetic_user_has_it(capsys: Any) -> None:
    from egovpm.accounts.models import User

    assert cli.main(["seed-synthetic", "--projects", "5"]) == 0
    out = capsys.readouterr().out
    [password] = re.findall(r"not stored\): (\S+)", out)
    users = User.objects.filter(username__startswith="syn.")
    assert users.filter(username="syn.d07.staff").exists()
    assert all(u.check_password(password) for u in users[:3])


def test_a_failure_after_every_batch_is_written_leaves_nothing(capsys: Any, monkeypatch: Any) -> None:
    from django.db import DatabaseError

    from egovpm.ops import synthetic

    def fail() -> None:
        raise DatabaseError("could not extend file: No space left on device")

    monkeypatch.setattr(synthetic, "_reset_sequences", fail)
    before = AuditEvent.objects.count()
    assert cli.main(["seed-synthetic", "--projects", "30"]) == 1
    err = capsys.readouterr().err
    [error] = [line for line in err.splitlines() if line.startswith("egovpm:")]  # beside the progress lines
    assert "nothing was written" in error and "No space left" in error
    assert not Project.objects.exists() and not StageEvent.objects.exists()
    assert AuditEvent.objects.count() == before

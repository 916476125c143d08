"""Reads of the archives app: the archive register, the completeness view, acceptances and the
completion-acceptance snapshot — always through the project's scope."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from django.db.models import OuterRef, Q, QuerySet, Subquery

from egovpm.accounts.models import User
from egovpm.archives import policies as archive_policies
from egovpm.archives.choices import AcceptanceResult
from egovpm.archives.facts import filing_scope
from egovpm.archives.models import ArchiveAcceptance, CompletionAcceptance
from egovpm.core import clock
from egovpm.documents import selectors as document_selectors
from egovpm.documents.models import Document
from egovpm.projects import policies
from egovpm.projects.choices import AssignmentTask, Stage
from egovpm.projects.models import Assignment, Project, StageEvent
from egovpm.projects.selectors import project_total
from egovpm.rules.facts import DocumentFact, StageEventFact
from egovpm.rules.facts_archives import scope_status


def archive_register(*, project: Project) -> QuerySet[Document]:
    """Every document of the project with stage, category, retention and archived flag."""
    return (
        Document.objects.filter(project=project)
        .select_related("archived_by", "superseded_by")
        .only(*_REGISTER_COLUMNS)
        .order_by("stage", "category", "-version", "-uploaded_at")
    )


# What the tab 档案 shows of a document: its own columns, who archived it (User.label) and whether
# a newer version supersedes it — not every column of two users and of the newer document.
_ARCHIVED_BY = ("archived_by__username", "archived_by__display_name")
_REGISTER_COLUMNS = (*document_selectors.COLUMNS, *_ARCHIVED_BY, "superseded_by__id")


def archive_completeness(*, project: Project, register: Sequence[Document] | None = None) -> dict[str, Any]:
    """The filing scope per stage against what is on file now: for each expected item whether it is
    due (its stage passed), how many documents match and how many of those are archived. The same
    matching as C7.2 (rules.facts_archives.scope_status). `register`: the caller's
    archive_register(project=project), when it has it already."""
    documents = list(archive_register(project=project)) if register is None else register
    events = project.events.order_by("seq").values_list(*_COMPLETENESS_EVENT[1:])
    return _completeness(project, documents, [_Event(project.pk, *e) for e in events])


def archive_index_rows(*, user: User, projects: list[Project]) -> list[dict[str, Any]]:
    """The rows of the archive page (档案) for a page of projects, in a fixed number of queries
    whatever the number of rows: each project's completeness, latest acceptance, and whether the
    user records its acceptance (policies.may_record_acceptance, answered for all at once)."""
    ids = [p.pk for p in projects]
    documents: dict[Any, list[_Document]] = {pk: [] for pk in ids}
    # only the columns the completeness reads (_completeness), as tuples: a page of projects holds
    # hundreds of documents, whose model instances cost more than the rest of the page
    for d in archive_register_of(ids).select_related(None).values_list(*_COMPLETENESS_DOCUMENT):
        documents[d[1]].append(_Document(*d))
    events: dict[Any, list[_Event]] = {pk: [] for pk in ids}
    for e in StageEvent.objects.filter(project_id__in=ids).order_by("seq").values_list(*_COMPLETENESS_EVENT):
        events[e[0]].append(_Event(*e))
    latest: dict[Any, ArchiveAcceptance] = {}
    for a in ArchiveAcceptance.objects.filter(project_id__in=ids).order_by("accepted_on", "recorded_at"):
        latest[a.project_id] = a  # the last one in the order of project_acceptances wins
    recordable = archive_policies.may_record_acceptance_of(user, projects)
    return [
        {
            "project": p,
            "completeness": _completeness(p, documents[p.pk], events[p.pk]),
            "latest": latest.get(p.pk),
            "may_accept": p.pk in recordable,
        }
        for p in projects
    ]


_COMPLETENESS_DOCUMENT = ("id", "project_id", "stage", "category", "uploaded_at", "archived")
_COMPLETENESS_EVENT = ("project_id", "action", "from_stage", "to_stage", "effective_date", "approval_reference")


class _Document(NamedTuple):
    """What the completeness reads of a document (the attributes of a Document it reads)."""

    pk: Any
    project_id: Any
    stage: str
    category: str
    uploaded_at: dt.datetime
    archived: bool


class _Event(NamedTuple):
    """What the completeness reads of a stage event."""

    project_id: Any
    action: str
    from_stage: str
    to_stage: str
    effective_date: dt.date
    approval_reference: str


def archive_register_of(project_ids: list[Any]) -> QuerySet[Document]:
    return (
        Document.objects.filter(project_id__in=project_ids)
        .select_related("uploaded_by", "archived_by", "superseded_by")
        .order_by("stage", "category", "-version", "-uploaded_at")
    )


def _completeness(
    project: Project, documents: Sequence[Document | _Document], stage_events: Sequence[_Event]
) -> dict[str, Any]:
    doc_facts = [DocumentFact(d.stage, d.category, d.uploaded_at.date(), d.archived) for d in documents]
    events = [
        StageEventFact(e.action, e.from_stage, e.to_stage, e.effective_date, e.approval_reference) for e in stage_events
    ]
    scope = filing_scope(project.regime)
    statuses = scope_status(scope, doc_facts, events)
    multi = {c for c, n in Counter(i.category for i in scope.items).items() if n > 1}
    by_category: dict[str, list[Any]] = defaultdict(list)  # the documents' ids in their order
    by_stage: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for d in documents:
        by_category[d.category].append(d.pk)
        by_stage[d.category, d.stage].append(d.pk)
    stages: dict[str, list[dict[str, Any]]] = {}
    for st in statuses:
        item = st.item
        matching = by_stage[item.category, item.stage] if item.category in multi else by_category[item.category]
        stages.setdefault(item.stage, []).append(
            {
                "stage": item.stage,
                "category": item.category,
                "zh": item.zh,
                "en": item.en,
                "optional": item.optional,
                "due": st.due,
                "on_file": st.matches,
                "archived": st.archived,
                "missing": st.missing,
                "documents": [str(pk) for pk in matching],
            }
        )
    items = [i for rows in stages.values() for i in rows]
    return {
        "as_of": clock.today().isoformat(),
        "stages": [{"stage": s, "items": rows} for s, rows in stages.items()],
        "documents": len(documents),
        "documents_archived": sum(1 for d in documents if d.archived),
        "due": sum(1 for i in items if i["due"] and not i["optional"]),
        "missing": sum(1 for i in items if i["missing"]),
    }


def acceptance_list(*, user: User, project_id: Any) -> QuerySet[ArchiveAcceptance]:
    project = policies.project_for(user, project_id, "view")
    return project_acceptances(project=project)


def project_acceptances(*, project: Project) -> QuerySet[ArchiveAcceptance]:
    return (
        ArchiveAcceptance.objects.filter(project=project)
        .select_related("recorded_by", "recorded_by__department")
        .order_by("accepted_on", "recorded_at")
    )


def latest_acceptance(*, project: Project) -> ArchiveAcceptance | None:
    return project_acceptances(project=project).last()


def archivist_todo(*, user: User) -> QuerySet[Assignment]:
    """待办 of an archivist: their assignments on projects in acceptance whose latest archive
    acceptance (in the order of project_acceptances) has not passed — one query, the longest
    assigned first. The caller bounds it."""
    latest = ArchiveAcceptance.objects.filter(project_id=OuterRef("project_id")).order_by(
        "-accepted_on", "-recorded_at"
    )
    return (
        Assignment.objects.filter(user=user, task=AssignmentTask.ARCHIVIST, project__stage=Stage.ACCEPTANCE)
        .annotate(latest_result=Subquery(latest.values("result")[:1]))
        .filter(Q(latest_result__isnull=True) | ~Q(latest_result=AcceptanceResult.PASSED))
        .select_related("project")
        .order_by("assigned_at", "pk")
    )


def completion_acceptance(*, project: Project) -> CompletionAcceptance | None:
    return (
        CompletionAcceptance.objects.filter(project=project)
        .select_related("accepted_by", "event", "archive_acceptance")
        .order_by("accepted_at")
        .last()
    )


def archive_projects_count(*, user: User, params: Mapping[str, Any]) -> int:
    """How many projects archive_projects lists once filtered by `params` (the 档案 FilterSet's
    cleaned values): the kept total when the user sees every project and nothing filters, else the
    sum of the counts of the scope's disjoint parts (policies.scope_parts), each answered by an
    index — the count of their OR makes PostgreSQL read all 100,000 projects (40 ms for a
    department's 3,000)."""
    from egovpm.archives.filters import ArchiveProjectFilter

    parts = policies.scope_parts(user, "view")
    chosen = {k: v for k, v in params.items() if v}
    if parts is None and not chosen:
        return project_total()
    total = 0
    for part in [Q()] if parts is None else parts:
        qs = Project.objects.filter(part)
        total += (ArchiveProjectFilter(chosen, queryset=qs).qs if chosen else qs).count()
    return total


def archive_projects(*, user: User) -> QuerySet[Project]:
    """The projects on the archive page (档案): the user's scope, most advanced first."""
    return policies.restrict(user, "view").select_related("lead_department").order_by("-updated_at", "code")

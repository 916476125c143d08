from __future__ import annotations

import uuid
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ForeignObjectRel
from django.utils.translation import gettext_lazy as _

from egovpm.accounts.models import User
from egovpm.audit.actions import AuditAction
from egovpm.audit.services import audit_record
from egovpm.core import clock
from egovpm.core.errors import Conflict, CoreError, FieldError, Forbidden, InvalidInput, NotFound
from egovpm.core.validators import text_error
from egovpm.documents import storage
from egovpm.documents.choices import Category, Retention
from egovpm.documents.errors import DocumentError
from egovpm.documents.models import Document
from egovpm.projects import policies
from egovpm.projects.choices import Stage
from egovpm.projects.models import Project
from egovpm.rules import engine


def _default_retention(regime: str, category: str) -> str:
    defaults = engine.load_pack(regime).data.get("retention_defaults", {})
    return str(defaults.get(category, Retention.Y10))


def document_upload(
    *,
    actor: User,
    project_id: Any,
    file: UploadedFile | None,
    stage: str,
    category: str,
    title: str,
    retention: str = "",
    supersedes: str = "",
    max_bytes: int,
) -> Document:
    """Store a document of a project; `supersedes` makes it a new version of an earlier one."""
    errors: dict[str, FieldError] = {}
    if file is None:
        errors["file"] = FieldError(CoreError.REQUIRED)
    elif file.size == 0:
        errors["file"] = FieldError(DocumentError.FILE_EMPTY)
    elif file.size is not None and file.size > max_bytes:
        errors["file"] = FieldError(DocumentError.FILE_TOO_LARGE, {"max_bytes": max_bytes})
    if stage not in Stage.values:
        errors["stage"] = _one_of(Stage.values)
    if category not in Category.values:
        errors["category"] = _one_of(Category.values)
    if retention and retention not in Retention.values:
        errors["retention"] = _one_of(Retention.values)
    if not (title or "").strip() and file is not None:
        title = file.name or ""
    if not (title or "").strip():
        errors["title"] = FieldError(CoreError.REQUIRED)
    elif problem := title_error(title):
        errors["title"] = problem  # before any byte is stored: a refused title leaves no blob
    project = policies.project_for(actor, project_id, "add_document")
    policies.require(
        policies.may_add_documents(actor, project),
        DocumentError.ADD_NOT_ALLOWED,
    )
    if errors:
        raise InvalidInput(DocumentError.NOT_STORED, fields=errors)
    assert file is not None
    # streamed to a temporary file while digesting (never the whole file in memory); the
    # temporary file is gone when the block ends, stored or not (documents/storage.py)
    with storage.spool(file.chunks()) as spooled:
        sha256, sm3, size = spooled.sha256, spooled.sm3, spooled.size
        if size == 0:
            raise InvalidInput(DocumentError.NOT_STORED, fields={"file": FieldError(DocumentError.FILE_EMPTY)})
        with transaction.atomic():
            # the project row lock serialises two uploads of the same file: the second sees the first
            Project.objects.select_for_update().filter(pk=project.pk).first()
            _refuse_duplicate(project, stage, category, sha256)
            previous = None
            if supersedes:
                previous = (
                    Document.objects.select_for_update().filter(pk=supersedes, project=project).first()
                    if _is_uuid(supersedes)
                    else None
                )
                if previous is None:
                    raise InvalidInput(
                        DocumentError.UNKNOWN_SUPERSEDED,
                        fields={"supersedes": FieldError(CoreError.UNKNOWN, {"value": supersedes})},
                    )
                if hasattr(previous, "superseded_by"):
                    raise Conflict(DocumentError.NOT_LATEST)
                _refuse_foreign_version(actor, previous, category)
            document = Document.objects.create(
                project=project,
                stage=stage,
                category=category,
                title=title.strip(),
                filename=(file.name or "document")[:255],
                content_type=(file.content_type or "application/octet-stream")[:100],
                size=size,
                sha256=sha256,
                sm3=sm3,
                retention=retention or _default_retention(project.regime, category),
                version=(previous.version + 1) if previous else 1,
                supersedes=previous,
                uploaded_by=actor,
                uploaded_at=clock.now(),
            )
            audit_record(
                actor=actor,
                action=AuditAction.DOCUMENT_UPLOAD,
                obj=document,
                project_id=str(project.pk),
                new={
                    "stage": stage,
                    "category": category,
                    "title": document.title,
                    "sha256": sha256,
                    "sm3": sm3,
                    "size": size,
                    "version": document.version,
                    "supersedes": str(previous.pk) if previous else None,
                },
            )
            # last: a refused row stores nothing; a failed store rolls the row back
            storage.store_spooled(spooled)
    return document


def _refuse_duplicate(project: Project, stage: str, category: str, sha256: str) -> None:
    """The same bytes filed again for the same project, stage and category would be a second "v1"
    of one document (issue 15): refused, naming the document already there (withdrawn ones do not
    count — `objects` does not see them)."""
    existing = (
        Document.objects.filter(project=project, stage=stage, category=category, sha256=sha256)
        .order_by("-version", "-uploaded_at")
        .first()
    )
    if existing is not None:
        named = {"title": existing.title, "version": existing.version}
        raise Conflict(
            DocumentError.DUPLICATE,
            named,
            fields={"file": FieldError(DocumentError.SAME_CONTENT, named)},
            data={"document": str(existing.pk)},
        )


TITLE_MAX = Document._meta.get_field("title").max_length or 300


def title_error(title: str) -> FieldError | None:
    """Why a document title is refused (None when fine): the column's length, one line, no
    invisible or direction-changing characters (core/validators.py)."""
    if len(title.strip()) > TITLE_MAX:
        return FieldError(DocumentError.TITLE_TOO_LONG, {"max": TITLE_MAX})
    return text_error(title, multiline=False)


def _one_of(values: list[str]) -> FieldError:
    return FieldError(DocumentError.ONE_OF, {"choices": ", ".join(values)})


def _refuse_foreign_version(actor: User, previous: Document, category: str) -> None:
    """A new version (`supersedes`) is filed only by the department that owns the document — the
    uploader's department — and keeps its category (issue 9: a participating department must not
    take over the lead's evidence). Raised inside the transaction, before the blob is stored."""
    owner = User.objects.filter(pk=previous.uploaded_by_id).values_list("department_id", flat=True).first()
    if owner is None or owner != actor.department_id:
        raise Forbidden(
            DocumentError.NOT_DOCUMENT_OWNER,
            fields={"supersedes": FieldError(DocumentError.FILED_BY_ANOTHER_DEPARTMENT)},
        )
    if category != previous.category:
        keep = {"category": previous.category}
        raise InvalidInput(
            DocumentError.CATEGORY_MISMATCH,
            keep,
            fields={"category": FieldError(DocumentError.MUST_KEEP_CATEGORY, keep)},
        )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# Metadata a department may still correct while a document is not archived. The bytes never change
# (content-addressed); once archived nothing changes at all — a correction is a new version.
EDITABLE = ("title", "stage", "category", "retention")


def document_state(document: Document) -> dict[str, Any]:
    return {f: getattr(document, f) for f in (*EDITABLE, "sha256", "sm3", "version", "archived")}


def _locked_document(actor: User, document_id: Any) -> Document:
    if not _is_uuid(document_id):
        raise NotFound(DocumentError.DOCUMENT_NOT_FOUND)
    document = (
        Document.objects.select_for_update(of=("self",))
        .select_related("project", "project__lead_department")
        .filter(pk=document_id, project__in=policies.restrict(actor, "view"))
        .first()
    )
    if document is None:
        raise NotFound(DocumentError.DOCUMENT_NOT_FOUND)
    return document


def _refuse_if_archived(document: Document) -> None:
    if document.archived:
        raise Conflict(DocumentError.ARCHIVED)


def document_update(*, actor: User, document_id: Any, changes: dict[str, Any]) -> Document:
    """Correct a document's title, stage, category or retention before it is archived (409 after)."""
    unknown = set(changes) - set(EDITABLE)
    with transaction.atomic():
        document = _locked_document(actor, document_id)
        policies.require(
            policies.is_lead_member(actor, document.project) or document.uploaded_by_id == actor.pk,
            DocumentError.UPDATE_NOT_ALLOWED,
        )
        _refuse_if_archived(document)
        errors: dict[str, FieldError] = {f: FieldError(DocumentError.NOT_EDITABLE) for f in sorted(unknown)}
        values: dict[str, str] = {}
        for f in EDITABLE:
            if f in changes:
                values[f] = str(changes[f] or "").strip()
        if "title" in values and not values["title"]:
            errors["title"] = FieldError(CoreError.REQUIRED)
        elif "title" in values and (problem := title_error(values["title"])):
            errors["title"] = problem
        for f, choices in (("stage", Stage), ("category", Category), ("retention", Retention)):
            if f in values and values[f] not in choices.values:
                errors[f] = _one_of(choices.values)
        if errors:
            raise InvalidInput(DocumentError.NOT_CHANGED, fields=errors)
        old = document_state(document)
        for f, value in values.items():
            setattr(document, f, value)
        document.save(update_fields=list(values))
        audit_record(
            actor=actor,
            action=AuditAction.DOCUMENT_UPDATE,
            obj=document,
            project_id=str(document.project_id),
            old=old,
            new=document_state(document),
        )
    return document


def document_archive(*, actor: User, document_id: Any) -> Document:
    """归档: the lead department files the latest version of a document into the project archive;
    from then on it is immutable (clause 7)."""
    with transaction.atomic():
        document = _locked_document(actor, document_id)
        policies.require(policies.is_lead_member(actor, document.project), DocumentError.ARCHIVE_NOT_ALLOWED)
        if document.archived:
            raise Conflict(DocumentError.ALREADY_ARCHIVED)
        if Document.objects.filter(supersedes=document).exists():
            raise Conflict(DocumentError.ARCHIVE_NOT_LATEST)
        document.archived = True
        document.archived_at = clock.now()
        document.archived_by = actor
        document.save(update_fields=["archived", "archived_at", "archived_by"])
        audit_record(
            actor=actor,
            action=AuditAction.DOCUMENT_ARCHIVE,
            obj=document,
            project_id=str(document.project_id),
            old={"archived": False},
            new={"archived": True, "sha256": document.sha256, "sm3": document.sm3, "retention": document.retention},
        )
    return document


REASON_MAX = 2000

# The words for the records that cite a document (by model label); another model answers its
# verbose_name.
CITING = {
    "budgets.adjustment": _("budget adjustment"),
    "security.riskassessment": _("risk assessment"),
    "procurement.procurement": _("procurement record"),
    "inspections.rectificationevidence": _("rectification answer"),
    "evaluations.postevaluation": _("post-evaluation"),
}


def _records_citing(document: Document) -> list[str]:
    """The kinds of record (other apps' rows) that cite the document as their evidence: a filing, a
    risk assessment, a rectification answer … Found through Django's relations, so a new app's
    reference counts without a change here; a later version citing it is not a record."""
    kinds: list[str] = []
    for relation in Document._meta.get_fields(include_hidden=True):  # related_name="+" is hidden
        if not (relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)):
            continue
        model = relation.related_model
        if model is None or model is Document or not isinstance(relation, ForeignObjectRel):
            continue
        if model._base_manager.filter(**{relation.field.name: document}).exists():
            kind = str(CITING.get(model._meta.label_lower, model._meta.verbose_name))
            if kind not in kinds:
                kinds.append(kind)
    return kinds


def document_withdraw(*, actor: User, document_id: Any, reason: str, project_id: Any = None) -> Document:
    """撤回: the uploader's department takes back a document that is not archived yet (a wrong file,
    a duplicate). The row and its bytes stay for the audit trail, marked withdrawn; lists,
    completeness and gates no longer see it. A version it superseded becomes the latest again.

    Scope 404 (the project's "view" scope) → role 403 (a department member of the uploader's
    department) → state 409 (withdrawn, archived, superseded, cited by a record) → reason 400."""
    with transaction.atomic():
        if not _is_uuid(document_id):
            raise NotFound(DocumentError.DOCUMENT_NOT_FOUND)
        found = Document.all_objects.select_for_update(of=("self",)).filter(
            pk=document_id, project__in=policies.restrict(actor, "view")
        )
        if project_id is not None:
            found = found.filter(project_id=project_id)
        document = found.select_related("project", "uploaded_by").first()
        if document is None:
            raise NotFound(DocumentError.DOCUMENT_NOT_FOUND)
        policies.require(
            bool(actor.department_id)
            and actor.department_id == document.uploaded_by.department_id
            and actor.has_role(*policies.DEPT_ROLES),
            DocumentError.WITHDRAW_NOT_ALLOWED,
        )
        if document.withdrawn:
            raise Conflict(DocumentError.ALREADY_WITHDRAWN)
        if document.archived:
            raise Conflict(DocumentError.WITHDRAW_ARCHIVED)
        if Document.objects.filter(supersedes=document).exists():
            raise Conflict(DocumentError.WITHDRAW_NOT_LATEST)
        if records := _records_citing(document):
            raise Conflict(DocumentError.IN_USE, {"records": "、".join(records)}, data={"records": records})
        text = (reason or "").strip()
        if not text:
            raise InvalidInput(
                DocumentError.WITHDRAWAL_REASON_INVALID, fields={"reason": FieldError(CoreError.REQUIRED)}
            )
        if len(text) > REASON_MAX:
            raise InvalidInput(
                DocumentError.WITHDRAWAL_REASON_INVALID,
                fields={"reason": FieldError(DocumentError.TITLE_TOO_LONG, {"max": REASON_MAX})},
            )
        if problem := text_error(text, multiline=True):
            raise InvalidInput(DocumentError.WITHDRAWAL_REASON_INVALID, fields={"reason": problem})
        old = {**document_state(document), "withdrawn": False, "supersedes": _pk(document.supersedes_id)}
        document.withdrawn = True
        document.withdrawn_at = clock.now()
        document.withdrawn_by = actor
        document.withdrawal_reason = text
        # the version it replaced is the latest again (a one-to-one: a new version may supersede it)
        document.supersedes = None
        document.save(update_fields=["withdrawn", "withdrawn_at", "withdrawn_by", "withdrawal_reason", "supersedes"])
        audit_record(
            actor=actor,
            action=AuditAction.DOCUMENT_WITHDRAW,
            obj=document,
            project_id=str(document.project_id),
            old=old,
            new={**document_state(document), "withdrawn": True, "supersedes": None, "reason": text},
        )
    return document


def _pk(value: Any) -> str | None:
    return None if value is None else str(value)

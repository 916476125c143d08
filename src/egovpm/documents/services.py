from __future__ import annotations

import uuid
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from egovpm.accounts.models import User
from egovpm.audit.actions import AuditAction
from egovpm.audit.services import audit_record
from egovpm.core import clock
from egovpm.core.errors import Conflict, Forbidden, InvalidInput
from egovpm.core.validators import text_problem
from egovpm.documents import storage
from egovpm.documents.choices import Category, Retention
from egovpm.documents.models import Document
from egovpm.projects import policies
from egovpm.projects.choices import Stage
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
    errors: dict[str, str] = {}
    if file is None:
        errors["file"] = "required"
    elif file.size == 0:
        errors["file"] = "the file is empty"
    elif file.size is not None and file.size > max_bytes:
        errors["file"] = f"the file is larger than {max_bytes} bytes"
    if stage not in Stage.values:
        errors["stage"] = f"one of {', '.join(Stage.values)}"
    if category not in Category.values:
        errors["category"] = f"one of {', '.join(Category.values)}"
    if retention and retention not in Retention.values:
        errors["retention"] = f"one of {', '.join(Retention.values)}"
    if not (title or "").strip() and file is not None:
        title = file.name or ""
    if not (title or "").strip():
        errors["title"] = "required"
    elif problem := title_problem(title):
        errors["title"] = problem  # before any byte is stored: a refused title leaves no blob
    project = policies.project_for(actor, project_id, "add_document")
    policies.require(
        policies.may_add_documents(actor, project),
        "only the lead and participating departments add documents",
    )
    if errors:
        raise InvalidInput("the document was not stored", details=errors)
    assert file is not None
    # streamed to a temporary file while digesting (never the whole file in memory); the
    # temporary file is gone when the block ends, stored or not (documents/storage.py)
    with storage.spool(file.chunks()) as spooled:
        sha256, sm3, size = spooled.sha256, spooled.sm3, spooled.size
        if size == 0:
            raise InvalidInput("the document was not stored", details={"file": "the file is empty"})
        with transaction.atomic():
            previous = None
            if supersedes:
                previous = (
                    Document.objects.select_for_update().filter(pk=supersedes, project=project).first()
                    if _is_uuid(supersedes)
                    else None
                )
                if previous is None:
                    raise InvalidInput("unknown document to supersede", details={"supersedes": "unknown"})
                if hasattr(previous, "superseded_by"):
                    raise Conflict("that document already has a newer version", code="not_latest")
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


TITLE_MAX = Document._meta.get_field("title").max_length or 300


def title_problem(title: str) -> str | None:
    """Why a document title is refused (None when fine): the column's length, one line, no
    invisible or direction-changing characters (core/validators.py)."""
    if len(title.strip()) > TITLE_MAX:
        return f"at most {TITLE_MAX} characters"
    return text_problem(title, multiline=False)


def _refuse_foreign_version(actor: User, previous: Document, category: str) -> None:
    """A new version (`supersedes`) is filed only by the department that owns the document — the
    uploader's department — and keeps its category (issue 9: a participating department must not
    take over the lead's evidence). Raised inside the transaction, before the blob is stored."""
    owner = User.objects.filter(pk=previous.uploaded_by_id).values_list("department_id", flat=True).first()
    if owner is None or owner != actor.department_id:
        raise Forbidden(
            "only the department that filed a document may upload a new version of it",
            code="not_document_owner",
            details={"supersedes": "filed by another department"},
        )
    if category != previous.category:
        raise InvalidInput(
            f"a new version keeps the category of the document it supersedes ({previous.category})",
            code="category_mismatch",
            details={"category": f"must be {previous.category}, the category of the superseded document"},
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
    from egovpm.core.errors import NotFound

    if not _is_uuid(document_id):
        raise NotFound("document not found")
    document = (
        Document.objects.select_for_update(of=("self",))
        .select_related("project", "project__lead_department")
        .filter(pk=document_id, project__in=policies.restrict(actor, "view"))
        .first()
    )
    if document is None:
        raise NotFound("document not found")
    return document


def _refuse_if_archived(document: Document) -> None:
    if document.archived:
        raise Conflict(
            "the document is archived and cannot be changed; upload a corrected version that supersedes it",
            code="archived",
        )


def document_update(*, actor: User, document_id: Any, changes: dict[str, Any]) -> Document:
    """Correct a document's title, stage, category or retention before it is archived (409 after)."""
    unknown = set(changes) - set(EDITABLE)
    with transaction.atomic():
        document = _locked_document(actor, document_id)
        policies.require(
            policies.is_lead_member(actor, document.project) or document.uploaded_by_id == actor.pk,
            "only the lead department or the uploader corrects a document's details",
        )
        _refuse_if_archived(document)
        errors: dict[str, str] = {f: "not editable" for f in sorted(unknown)}
        values: dict[str, str] = {}
        for f in EDITABLE:
            if f in changes:
                values[f] = str(changes[f] or "").strip()
        if "title" in values and not values["title"]:
            errors["title"] = "required"
        elif "title" in values and (problem := title_problem(values["title"])):
            errors["title"] = problem
        for f, choices in (("stage", Stage), ("category", Category), ("retention", Retention)):
            if f in values and values[f] not in choices.values:
                errors[f] = f"one of {', '.join(choices.values)}"
        if errors:
            raise InvalidInput("the document was not changed", details=errors)
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
        policies.require(
            policies.is_lead_member(actor, document.project), "only the lead department archives documents"
        )
        if document.archived:
            raise Conflict("the document is already archived", code="already_archived")
        if Document.objects.filter(supersedes=document).exists():
            raise Conflict("a newer version supersedes this document; archive the latest version", code="not_latest")
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

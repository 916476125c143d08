"""The refusals of documents (upload, versions, corrections, archiving): codes and their words
(core/errors.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egovpm.core.errors import ErrorCode, register


class DocumentError(ErrorCode):
    NOT_STORED = "document_not_stored"
    NOT_CHANGED = "document_not_changed"
    FILE_EMPTY = "file_empty"
    FILE_TOO_LARGE = "file_too_large"
    ONE_OF = "one_of"
    TITLE_TOO_LONG = "title_too_long"
    NOT_EDITABLE = "not_editable"
    ADD_NOT_ALLOWED = "documents_lead_and_participants_only"
    UNKNOWN_SUPERSEDED = "unknown_superseded"
    NOT_LATEST = "not_latest"
    NOT_DOCUMENT_OWNER = "not_document_owner"
    FILED_BY_ANOTHER_DEPARTMENT = "filed_by_another_department"
    CATEGORY_MISMATCH = "category_mismatch"
    MUST_KEEP_CATEGORY = "must_keep_category"
    DOCUMENT_NOT_FOUND = "document_not_found"
    ARCHIVED = "archived"
    UPDATE_NOT_ALLOWED = "document_update_not_allowed"
    ARCHIVE_NOT_ALLOWED = "document_archive_not_allowed"
    ALREADY_ARCHIVED = "already_archived"
    ARCHIVE_NOT_LATEST = "archive_not_latest"
    BLOB_MISSING = "blob_missing"
    DUPLICATE = "duplicate_document"
    SAME_CONTENT = "same_content"
    WITHDRAW_NOT_ALLOWED = "document_withdraw_not_allowed"
    WITHDRAW_ARCHIVED = "withdraw_archived"
    WITHDRAW_NOT_LATEST = "withdraw_not_latest"
    IN_USE = "document_in_use"
    ALREADY_WITHDRAWN = "already_withdrawn"
    WITHDRAWAL_REASON_INVALID = "withdrawal_reason_invalid"


register(
    DocumentError,
    {
        DocumentError.NOT_STORED: _("The document was not stored."),
        DocumentError.NOT_CHANGED: _("The document was not changed."),
        DocumentError.FILE_EMPTY: _("The file is empty."),
        DocumentError.FILE_TOO_LARGE: _("The file is larger than %(max_bytes)s bytes."),
        DocumentError.ONE_OF: _("Choose one of %(choices)s."),
        DocumentError.TITLE_TOO_LONG: _("At most %(max)s characters."),
        DocumentError.NOT_EDITABLE: _("This field cannot be changed on a document."),
        DocumentError.ADD_NOT_ALLOWED: _("Only the lead and participating departments add documents."),
        DocumentError.UNKNOWN_SUPERSEDED: _("Unknown document to supersede."),
        DocumentError.NOT_LATEST: _("That document already has a newer version."),
        DocumentError.NOT_DOCUMENT_OWNER: _(
            "Only the department that filed a document may upload a new version of it."
        ),
        DocumentError.FILED_BY_ANOTHER_DEPARTMENT: _("Filed by another department."),
        DocumentError.CATEGORY_MISMATCH: _(
            "A new version keeps the category of the document it supersedes (%(category)s)."
        ),
        DocumentError.MUST_KEEP_CATEGORY: _("Must be %(category)s, the category of the superseded document."),
        DocumentError.DOCUMENT_NOT_FOUND: _("Document not found."),
        DocumentError.ARCHIVED: _(
            "The document is archived and cannot be changed; upload a corrected version that supersedes it."
        ),
        DocumentError.UPDATE_NOT_ALLOWED: _("Only the lead department or the uploader corrects a document's details."),
        DocumentError.ARCHIVE_NOT_ALLOWED: _("Only the lead department archives documents."),
        DocumentError.ALREADY_ARCHIVED: _("The document is already archived."),
        DocumentError.ARCHIVE_NOT_LATEST: _("A newer version supersedes this document; archive the latest version."),
        DocumentError.BLOB_MISSING: _("The stored file is missing; tell the system administrator."),
        DocumentError.DUPLICATE: _(
            "The same file is already filed for this stage and category as “%(title)s” (version %(version)s); "
            "it was not stored again."
        ),
        DocumentError.SAME_CONTENT: _("Identical to “%(title)s” (version %(version)s)."),
        DocumentError.WITHDRAW_NOT_ALLOWED: _("Only the department that uploaded a document withdraws it."),
        DocumentError.WITHDRAW_ARCHIVED: _(
            "The document is archived and cannot be withdrawn; upload a corrected version that supersedes it."
        ),
        DocumentError.WITHDRAW_NOT_LATEST: _(
            "A newer version supersedes this document; withdraw the latest version first."
        ),
        DocumentError.IN_USE: _("The document is evidence of a record (%(records)s) and cannot be withdrawn."),
        DocumentError.ALREADY_WITHDRAWN: _("The document was already withdrawn."),
        DocumentError.WITHDRAWAL_REASON_INVALID: _("The reason for withdrawing was refused."),
    },
    public=[
        DocumentError.NOT_LATEST,
        DocumentError.NOT_DOCUMENT_OWNER,
        DocumentError.CATEGORY_MISMATCH,
        DocumentError.ARCHIVED,
        DocumentError.ALREADY_ARCHIVED,
        DocumentError.DUPLICATE,
        DocumentError.IN_USE,
        DocumentError.ALREADY_WITHDRAWN,
    ],
    api_codes={
        DocumentError.ARCHIVE_NOT_LATEST: "not_latest",
        DocumentError.WITHDRAW_NOT_LATEST: "not_latest",
        DocumentError.WITHDRAW_ARCHIVED: "archived",
    },
)

"""The refusals of archives (archive acceptance, the archive package) and of the audit log:
codes and their words (core/errors.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egovpm.core.errors import ErrorCode, register


class ArchiveError(ErrorCode):
    ACCEPTANCE_ARCHIVIST_ONLY = "acceptance_archivist_only"
    ACCEPTANCE_NOT_RECORDED = "acceptance_not_recorded"
    DATE_NOT_INSTANT = "archive_date_not_instant"
    ONE_OF = "archive_one_of"
    PACKAGE_NOT_ALLOWED = "package_not_allowed"
    UNKNOWN_CONTAINER = "unknown_container"
    CONTAINER_CHOICES = "container_choices"


register(
    ArchiveError,
    {
        ArchiveError.ACCEPTANCE_ARCHIVIST_ONLY: _(
            "Only an archivist assigned to this project (not of its lead department) records archive acceptance."
        ),
        ArchiveError.ACCEPTANCE_NOT_RECORDED: _("The archive acceptance was not recorded."),
        ArchiveError.DATE_NOT_INSTANT: _("A date YYYY-MM-DD."),
        ArchiveError.ONE_OF: _("Choose one of %(choices)s."),
        ArchiveError.PACKAGE_NOT_ALLOWED: _("You may not download this project's archive package."),
        ArchiveError.UNKNOWN_CONTAINER: _("The container must be one of %(choices)s."),
        ArchiveError.CONTAINER_CHOICES: _("zip or tar."),
    },
)

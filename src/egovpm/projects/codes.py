"""Project codes (domain.md §9): YYYY-RRRRRR-DD-TT-NNNNNN, issued by the system when absent,
unique, never reused; a code from the national platform is accepted as given."""

from __future__ import annotations

import re

from django.db import transaction

from egovpm.accounts.models import Department
from egovpm.projects.models import CODE_REGEX, CodeSequence, Project

# ASCII: \d would otherwise accept full-width and other Unicode digits
CODE_RE = re.compile(CODE_REGEX, re.ASCII)


def code_is_valid(code: str) -> bool:
    # fullmatch: "$" alone also matches before a trailing newline
    return bool(CODE_RE.fullmatch(code))


def code_issue(*, year: int, department: Department, project_type: str = "01") -> str:
    """Next code for the prefix, under a row lock so two creations never get the same number."""
    prefix = f"{year:04d}-{department.division_code}-{department.number}-{project_type}"
    with transaction.atomic():
        seq, _ = CodeSequence.objects.select_for_update().get_or_create(prefix=prefix)
        while True:
            seq.last += 1
            code = f"{prefix}-{seq.last:06d}"
            # a code given by the national platform may already hold this number: skip it
            if not Project.objects.filter(code=code).exists():
                break
        seq.save(update_fields=["last"])
    return code

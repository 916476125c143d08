"""What a person checks after a restore, read straight from a database with the ORM (not through
the backup code): row counts, every stored file against its row's digests, and sample values.

Used in-process for the source database and as `python -m backup.probe` (PYTHONPATH=tests) for a
database restored by a subprocess."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from typing import Any


def probe() -> dict[str, Any]:
    from egovpm.accounts.models import ApiToken
    from egovpm.audit.models import AuditEvent
    from egovpm.budgets.models import Expenditure
    from egovpm.documents import storage
    from egovpm.documents.models import Document
    from egovpm.ops.backup import backed_up_models
    from egovpm.projects.models import Project
    from egovpm.reports.models import ReportSubmission
    from egovpm.reviews.models import Opinion

    def matches(sha256: str, sm3: str, size: int | None) -> bool:
        data = storage.read(sha256)
        return (hashlib.sha256(data).hexdigest(), hashlib.new("sm3", data).hexdigest(), len(data)) == (
            sha256,
            sm3,
            size if size is not None else len(data),
        )

    documents = list(Document.objects.values_list("id", "sha256", "sm3", "size"))
    attachments = list(
        Opinion.objects.exclude(attachment_sha256="").values_list(
            "id", "attachment_sha256", "attachment_sm3", "attachment_size"
        )
    )
    bad = [str(pk) for pk, sha, sm3, size in documents + attachments if not matches(sha, sm3, size)]
    events = list(AuditEvent.objects.order_by("seq").values_list("seq", "at", "object_repr", "new"))
    return {
        "counts": {m._meta.label_lower: m._base_manager.count() for m in backed_up_models()},
        "documents": len(documents),
        "api_tokens": ApiToken.objects.count(),
        "attachments": len(attachments),
        "digest_mismatches": bad,
        # a microsecond timestamp, a JSON field and a Chinese string of every audit event
        "events": [[seq, at.astimezone(dt.UTC).isoformat(timespec="microseconds"), r, n] for seq, at, r, n in events],
        # Decimal amounts, exactly as stored (scale included)
        "amounts": sorted(f"{pk}={amount}" for pk, amount in Expenditure.objects.values_list("id", "amount")),
        "project_names": sorted(Project.objects.values_list("name", flat=True)),
        "report_sections": sorted(
            json.dumps(s, ensure_ascii=False, sort_keys=True)
            for s in ReportSubmission.objects.values_list("sections", flat=True)
        ),
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egovpm.config.settings")
    import django

    django.setup()
    print(json.dumps(probe(), ensure_ascii=False))


if __name__ == "__main__":
    main()

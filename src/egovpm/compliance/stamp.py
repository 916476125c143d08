"""A stamp of every record: what answers kept between requests are keyed on (the cockpit summary,
NDRC's expensive 待办 lists), so that a kept answer is never older than the records.

Every write appends to one of the audit chains in its own transaction and moves that chain's head
(audit.models.AuditHead: its seq and hash), so the heads name the whole history — a restored backup
brings its own heads back. With the rule packs' digests (a deploy may change the rules) and today's
Beijing date (verdicts and obligations turn with it), an answer computed from the records is a
function of this stamp. One query of AUDIT_CHAINS rows."""

from __future__ import annotations

import functools
import hashlib

from egovpm.audit.models import AuditHead
from egovpm.core import clock
from egovpm.rules import engine


def records_stamp() -> str:
    heads = list(AuditHead.objects.order_by("id").values_list("id", "seq", "hash"))
    return hashlib.sha256(repr((heads, _pack_shas(), clock.today().isoformat())).encode()).hexdigest()


@functools.cache
def _pack_shas() -> tuple[str, ...]:
    """The rule packs' digests, read once a process: engine.load_pack keeps each pack a process
    reads for its lifetime (a deploy restarts the processes), so its digest cannot change under it
    (listing the directory at every call cost more than the stamp's query)."""
    return tuple(engine.load_pack(path.stem).sha256 for path in sorted(engine.PACK_DIR.glob("*.yaml")))

"""Writing and verifying the audit trail (docs/audit.md, ADR 0008).

Every service that changes data calls `audit_record` inside its own transaction, so the change and
its audit row commit or roll back together.

The trail is split into `AUDIT_CHAINS` hash chains. Each event is linked to the previous event of
its chain by `prev_hash`, and `hash` is an HMAC (HMAC-SM3, key from `EGOVPM_AUDIT_KEY`, never in
the database) over every stored column of the row plus that link. Each chain's head row holds
its last link and a MAC over it. A writer appends to a chain nobody else is appending to (`SKIP
LOCKED` on PostgreSQL), so concurrent transactions no longer queue on one row. A signed
checkpoint of all heads (`egovpm audit checkpoint`) kept outside the database lets `egovpm audit
verify --checkpoint FILE` notice rows removed from the end of a chain, or a whole chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Max, Q

from egovpm.audit.actions import AuditAction
from egovpm.audit.models import AUDIT_CHAINS, AuditEvent, AuditHead
from egovpm.core import clock

# Which channel the current write came through; set by the API and UI (core's middleware) and the
# CLI. Defined in core (the bottom layer); importable from here too.
from egovpm.core.channel import current_channel

_ACTIONS = frozenset(AuditAction.values)
GENESIS = "0" * 64
MAC_ALGORITHM = "sm3"  # HMAC-SM3 (GB/T 32905); hashlib gets SM3 from OpenSSL
CHECKPOINT_KIND = "egovpm-audit-checkpoint"


def _canonical(payload: Any) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":")).encode()


# --- keys ----------------------------------------------------------------------------------------


def key_id_of(key: str) -> str:
    """A short public name of a key (not the key): stored beside each MAC so that verification
    picks the right key after a rotation."""
    return "k" + hashlib.sha256(b"egovpm-audit-key-id\0" + key.encode()).hexdigest()[:12]


def current_key() -> tuple[str, bytes]:
    key = settings.EGOVPM_AUDIT_KEY
    return key_id_of(key), key.encode()


def known_keys() -> dict[str, bytes]:
    """The current key and the retired ones (EGOVPM_AUDIT_OLD_KEYS), by key id."""
    keys = [settings.EGOVPM_AUDIT_KEY, *getattr(settings, "EGOVPM_AUDIT_OLD_KEYS", [])]
    return {key_id_of(k): k.encode() for k in keys}


def _mac(key: bytes, payload: Any) -> str:
    return hmac.new(key, _canonical(payload), MAC_ALGORITHM).hexdigest()


def payload_mac(key: bytes, payload: Any) -> str:
    """HMAC-SM3 over the canonical JSON of `payload` (backup manifests use it with the audit key)."""
    return _mac(key, payload)


# --- what is hashed ------------------------------------------------------------------------------


def hashed_fields(event: Any) -> dict[str, Any]:
    """Every stored column of the row except `hash` itself (the MAC of this dict)."""
    return {
        "id": event.id,
        "seq": event.seq,
        # UTC with microseconds: the database gives the instant back in UTC whatever offset it was
        # written with
        "at": event.at.astimezone(dt.UTC).isoformat(),
        "actor_id": None if event.actor_id is None else str(event.actor_id),
        "actor": event.actor_username,
        "channel": event.channel,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "project_id": event.project_id,
        "old": event.old,
        "new": event.new,
        "chain": event.chain,
        "chain_seq": event.chain_seq,
        "key_id": event.key_id,
        "prev_hash": event.prev_hash,
    }


def event_mac(key: bytes, event: Any) -> str:
    return _mac(key, hashed_fields(event))


def head_mac(key: bytes, chain: int, seq: int, link: str) -> str:
    return _mac(key, {"head": chain, "seq": seq, "hash": link})


# --- writing -------------------------------------------------------------------------------------


def preferred_chain(key: str) -> int:
    """A stable chain for a project (or object): its events usually stay together."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % AUDIT_CHAINS


def genesis_heads(head_model: Any = AuditHead, skip: Iterable[int] = ()) -> list[Any]:
    """The head of every chain before its first link (link 0, GENESIS), MAC'd with the current
    key like any other head: a head reset to this state later, or removed, is noticed by verify."""
    _key_id, key = current_key()
    return [
        head_model(id=c, seq=0, hash=GENESIS, mac=head_mac(key, c, 0, GENESIS))
        for c in range(AUDIT_CHAINS)
        if c not in set(skip)
    ]


def _ensure_heads() -> None:
    AuditHead.objects.bulk_create(genesis_heads(), ignore_conflicts=True)


class _Held:
    """Marker registered with on_commit: while it is in the connection's pending callbacks, the
    transaction that locked `chain` is still open (Django drops the callbacks on rollback)."""

    def __init__(self, chain: int) -> None:
        self.chain = chain

    def __call__(self) -> None:
        pass


def _held_chain() -> int | None:
    held = getattr(connection, "_egovpm_audit_held", None)
    pending: list[Any] = list(connection.run_on_commit)  # (savepoint ids, callback, robust)
    if held is not None and any(entry[1] is held for entry in pending):
        return int(held.chain)
    return None


def _lock_head(preferred: int) -> AuditHead:
    """Lock a chain head for this transaction. The chain this transaction already holds comes
    first (one transaction, one chain: no lock-order deadlocks); otherwise the preferred chain or
    the nearest free one (SKIP LOCKED), and only when every chain is busy, wait for the preferred."""
    held = _held_chain()
    if held is not None:
        head = AuditHead.objects.select_for_update().filter(id=held).first()
        if head is not None:
            return head
    for _attempt in range(2):
        if connection.features.has_select_for_update_skip_locked:
            head = (
                AuditHead.objects.select_for_update(skip_locked=True)
                .filter(id__lt=AUDIT_CHAINS)
                .annotate(distance=(F("id") - preferred + AUDIT_CHAINS) % AUDIT_CHAINS)
                .order_by("distance")
                .first()
            )
            if head is None:  # every chain busy, or no heads yet
                head = AuditHead.objects.select_for_update().filter(id=preferred).first()
        else:  # SQLite: one writer at a time anyway
            head = AuditHead.objects.filter(id=preferred).first()
        if head is not None:
            marker = _Held(head.id)
            # our own marker on the connection object, which the stub does not declare
            connection._egovpm_audit_held = marker  # type: ignore[attr-defined]
            transaction.on_commit(marker)
            return head
        _ensure_heads()  # first write, or after the tables were flushed
    raise RuntimeError("audit chain heads are missing and could not be created")


def _next_seq() -> int:
    """The global, increasing event number (the audit page's order). PostgreSQL: the table's own
    id sequence, so no lock is shared between chains (a rolled-back write leaves a gap).
    Elsewhere (SQLite, one writer at a time): one past the largest."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id'))",
                [AuditEvent._meta.db_table],
            )
            return int(cursor.fetchone()[0])
    top = AuditEvent.objects.aggregate(seq=Max("seq"), id=Max("id"))
    return max(top["seq"] or 0, top["id"] or 0) + 1


# Called with the project id inside the transaction of every audited change of a project's records
# (the stored verdicts of egovpm.compliance register one; audit imports nothing of theirs).
ChangeListener = Callable[[str], None]
_change_listeners: list[ChangeListener] = []


def register_change_listener(listener: ChangeListener) -> None:
    if listener not in _change_listeners:
        _change_listeners.append(listener)


# Called with every event, inside the transaction that wrote it (egovpm.notifications registers
# one: the notices a change sends, ADR 0017; audit imports nothing of theirs).
EventListener = Callable[[AuditEvent], None]
_event_listeners: list[EventListener] = []


def register_event_listener(listener: EventListener) -> None:
    if listener not in _event_listeners:
        _event_listeners.append(listener)


def audit_record(
    *,
    actor: Any,
    action: AuditAction,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    project_id: str = "",
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the caller's transaction (it locks a chain head).

    `action` must be one of the listed actions (egovpm/audit/actions.py): anything else is refused
    before a row is written, so every kind of audited write has a name and a label."""
    if action not in _ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: list it in egovpm/audit/actions.py (AuditAction)")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    key_id, key = current_key()
    with transaction.atomic():
        head = _lock_head(preferred_chain(project_id or f"{object_type}:{object_id}"))
        seq = _next_seq()
        event = AuditEvent(
            id=seq,
            seq=seq,
            at=clock.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_username=getattr(actor, "username", "") or "system",
            channel=current_channel.get(),
            action=AuditAction(action).value,  # the plain string, as a reloaded row holds it
            object_type=object_type,
            object_id=object_id,
            object_repr=str(obj)[:300] if obj is not None else "",
            project_id=project_id,
            old=json.loads(_canonical(old)) if old is not None else None,
            new=json.loads(_canonical(new)) if new is not None else None,
            chain=head.id,
            chain_seq=head.seq + 1,
            key_id=key_id,
            prev_hash=head.hash,
        )
        event.hash = event_mac(key, event)
        event.save(force_insert=True)
        head.seq, head.hash = event.chain_seq, event.hash
        head.mac = head_mac(key, head.id, head.seq, head.hash)
        head.save(update_fields=["seq", "hash", "mac"])
        if project_id:
            for listener in _change_listeners:
                listener(str(project_id))
        for event_listener in _event_listeners:
            event_listener(event)
    return event


# --- verifying -----------------------------------------------------------------------------------


@dataclass
class ChainReport:
    events: int = 0
    chains: int = 0
    checkpoints: int = 0
    # (global seq where the break shows, what is wrong); empty when intact
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def _walk(report: ChainReport, keys: dict[str, bytes]) -> dict[int, tuple[int, str, str, int]]:
    """Check every link of every chain; return each chain's last (chain_seq, hash, key_id, seq)."""
    tails: dict[int, tuple[int, str, str, int]] = {}
    rows = AuditEvent.objects.order_by("chain", "chain_seq")
    for event in rows.iterator(chunk_size=2000):
        report.events += 1
        expected_seq, prev, _k, _s = tails.get(event.chain, (0, GENESIS, "", 0))
        key = keys.get(event.key_id)
        if event.chain_seq != expected_seq + 1:
            report.problems.append(
                (event.seq, f"chain {event.chain}: link {expected_seq + 1} is missing (next is {event.chain_seq})")
            )
        elif event.prev_hash != prev:
            report.problems.append((event.seq, f"chain {event.chain}: link {event.chain_seq} does not follow"))
        elif key is None:
            report.problems.append((event.seq, f"event {event.seq}: MAC key {event.key_id or '(none)'} is unknown"))
        elif not hmac.compare_digest(event.hash, event_mac(key, event)):
            report.problems.append((event.seq, f"event {event.seq}: content does not match its MAC"))
        tails[event.chain] = (event.chain_seq, event.hash, event.key_id, event.seq)
    return tails


def _check_heads(report: ChainReport, tails: dict[int, tuple[int, str, str, int]], keys: dict[str, bytes]) -> None:
    """Every chain has a head once any has (all are created together, with a MAC even before the
    chain's first link), the head is where its rows end, and its MAC matches. So erasing a chain
    (its rows with its head, or its rows and the head reset to link 0) is noticed without a
    checkpoint; only a replayed copy of a genuine older head needs one."""
    heads = {h.id: h for h in AuditHead.objects.all()}
    for chain, (chain_seq, link, key_id, seq) in sorted(tails.items()):
        head = heads.get(chain)
        if head is None:
            report.problems.append((seq, f"chain {chain}: head is missing"))
            continue
        key = keys.get(key_id)
        if head.seq == 0:
            report.problems.append((seq, f"chain {chain}: head was reset to link 0, the rows end at {chain_seq}"))
        elif head.seq != chain_seq or head.hash != link:
            report.problems.append((seq, f"chain {chain}: head is at link {head.seq}, the rows end at {chain_seq}"))
        elif key is None or not hmac.compare_digest(head.mac, head_mac(key, chain, head.seq, head.hash)):
            report.problems.append((seq, f"chain {chain}: head does not match its MAC (rewound?)"))
    for chain in range(AUDIT_CHAINS) if heads else ():
        if chain not in tails and chain not in heads:
            report.problems.append((0, f"chain {chain}: head is missing (chain erased?)"))
    for chain, head in sorted(heads.items()):
        if chain in tails:
            continue
        if head.seq != 0 or head.hash != GENESIS:
            report.problems.append((0, f"chain {chain}: head is at link {head.seq} but the chain has no rows"))
        elif not any(hmac.compare_digest(head.mac, head_mac(key, chain, 0, GENESIS)) for key in keys.values()):
            report.problems.append((0, f"chain {chain}: head at link 0 does not match its MAC (reset?)"))
    report.chains = len(tails)


def checkpoint_parse(lines: Iterable[str]) -> list[dict[str, Any]]:
    """The checkpoints of a file written by `egovpm audit checkpoint --append` (one JSON object a
    line; blank lines ignored). Raises ValueError naming the first unreadable line."""
    found = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            cp = json.loads(line)
        except ValueError:
            raise ValueError(f"line {number} is not a checkpoint (not JSON)") from None
        if not isinstance(cp, dict) or cp.get("kind") != CHECKPOINT_KIND or not isinstance(cp.get("chains"), dict):
            raise ValueError(f"line {number} is not an egovpm audit checkpoint")
        found.append(cp)
    return found


def _check_checkpoints(report: ChainReport, checkpoints: list[dict[str, Any]], keys: dict[str, bytes]) -> None:
    for cp in checkpoints:
        report.checkpoints += 1
        label = f"checkpoint of {cp.get('at', '?')}"
        key = keys.get(str(cp.get("key_id", "")))
        body = {k: v for k, v in cp.items() if k != "mac"}
        if key is None:
            report.problems.append((0, f"{label}: signed with an unknown key {cp.get('key_id')}"))
            continue
        if not hmac.compare_digest(str(cp.get("mac", "")), _mac(key, body)):
            report.problems.append((0, f"{label}: signature does not match (altered or forged)"))
            continue
        wanted = {int(c): (int(v[0]), str(v[1])) for c, v in cp["chains"].items()}
        if not wanted:
            continue
        condition = Q()
        for chain, (chain_seq, _link) in wanted.items():
            condition |= Q(chain=chain, chain_seq=chain_seq)
        found = {
            c: (h, s) for c, h, s in AuditEvent.objects.filter(condition).values_list("chain", "hash", "seq").order_by()
        }
        for chain, (chain_seq, link) in sorted(wanted.items()):
            if chain not in found:
                report.problems.append((0, f"{label}: chain {chain} is shorter than link {chain_seq}"))
            elif found[chain][0] != link:
                report.problems.append((found[chain][1], f"{label}: chain {chain} differs at link {chain_seq}"))


def audit_chain_report(checkpoints: list[dict[str, Any]] | None = None) -> ChainReport:
    """Re-check every chain: each link, each MAC, each head, and, when given, that the chains still
    hold every link a checkpoint recorded."""
    keys = known_keys()
    report = ChainReport()
    tails = _walk(report, keys)
    _check_heads(report, tails, keys)
    _check_checkpoints(report, checkpoints or [], keys)
    return report


def audit_chain_verify() -> list[int]:
    """The seq numbers where the chain breaks (empty when intact); 0 for a break that belongs to
    no row (a head without rows, a checkpoint)."""
    return [seq for seq, _problem in audit_chain_report().problems]


def audit_checkpoint() -> dict[str, Any]:
    """A signed statement of every chain's head, to be kept outside the database."""
    key_id, key = current_key()
    # one query: a consistent view of the committed heads
    heads = list(AuditHead.objects.filter(seq__gt=0).order_by("id"))
    chains: dict[str, list[Any]] = {str(h.id): [h.seq, h.hash] for h in heads}
    body = {
        "kind": CHECKPOINT_KIND,
        "version": 1,
        "at": clock.now().isoformat(),
        "alg": "HMAC-SM3",
        "key_id": key_id,
        "events": sum(h.seq for h in heads),
        "chains": chains,
    }
    return {**body, "mac": _mac(key, body)}


# --- upgrading a trail written before the chains were keyed (migration 0003) ---------------------


def _legacy_digest(prev_hash: str, event: Any) -> str:
    fields_ = {
        "seq": event.seq,
        "at": event.at.astimezone(dt.UTC).isoformat(),
        "actor": event.actor_username,
        "channel": event.channel,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "project_id": event.project_id,
        "old": event.old,
        "new": event.new,
    }
    return hashlib.sha256(prev_hash.encode() + _canonical(fields_)).hexdigest()


def reanchor_legacy(event_model: Any, head_model: Any) -> dict[str, Any]:
    """Re-anchor a trail written by the first release (one plain SHA-256 chain) into chain 0 with
    HMACs. The old chain is verified first, with the old rules; a break refuses the upgrade unless
    EGOVPM_AUDIT_REANCHOR_BROKEN=1, and is then recorded in the re-anchoring event."""
    import os

    events = list(event_model.objects.order_by("seq"))
    if not events:
        head_model.objects.all().delete()
        return {"legacy_events": 0}
    breaks: list[int] = []
    prev, expected = GENESIS, 1
    for event in events:
        if event.seq != expected or event.prev_hash != prev or event.hash != _legacy_digest(prev, event):
            breaks.append(event.seq)
        prev, expected = event.hash, event.seq + 1
    legacy_head = head_model.objects.filter(id=1).first()
    if legacy_head is None or legacy_head.seq != events[-1].seq or legacy_head.hash != prev:
        breaks.append(events[-1].seq)
    if breaks and os.environ.get("EGOVPM_AUDIT_REANCHOR_BROKEN", "") != "1":
        raise RuntimeError(
            f"the existing audit chain is broken at event(s) {breaks[:20]}: investigate before upgrading, or set "
            "EGOVPM_AUDIT_REANCHOR_BROKEN=1 to re-anchor it anyway (the breaks are recorded; docs/audit.md)"
        )
    key_id, key = current_key()
    link = GENESIS
    for number, event in enumerate(events, 1):
        event.chain, event.chain_seq, event.key_id, event.prev_hash = 0, number, key_id, link
        event.hash = link = event_mac(key, event)
    event_model.objects.bulk_update(events, ["chain", "chain_seq", "key_id", "prev_hash", "hash"], batch_size=500)
    last = events[-1]
    summary = {"legacy_events": len(events), "legacy_head": legacy_head.hash if legacy_head else None}
    summary["legacy_breaks"] = breaks
    seq = _next_seq()
    marker = event_model(
        id=seq,
        seq=seq,
        at=clock.now(),
        actor=None,
        actor_username="system",
        channel="system",
        action=AuditAction.AUDIT_REANCHOR,
        object_type="audit.auditevent",
        object_id="",
        object_repr="",
        project_id="",
        old=None,
        new=json.loads(_canonical(summary)),
        chain=0,
        chain_seq=last.chain_seq + 1,
        key_id=key_id,
        prev_hash=link,
    )
    marker.hash = event_mac(key, marker)
    marker.save(force_insert=True)
    head_model.objects.all().delete()
    head_model.objects.create(
        id=0, seq=marker.chain_seq, hash=marker.hash, mac=head_mac(key, 0, marker.chain_seq, marker.hash)
    )
    # every other chain starts at link 0 with a MAC'd head (a missing head means an erased chain)
    head_model.objects.bulk_create(genesis_heads(head_model, skip=[0]))
    return summary

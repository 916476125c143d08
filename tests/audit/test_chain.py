"""The audit chains cannot be rewritten (issue 9 item 4; docs/audit.md): every stored column is
under a keyed MAC, a removed or rewound head is noticed, and a signed checkpoint kept outside
the database catches what the database alone cannot show."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from audit.tampering import disable_append_only_trigger
from egovpm.audit import services
from egovpm.audit.actions import AuditAction
from egovpm.audit.models import AuditEvent, AuditHead
from egovpm.audit.services import audit_chain_report, audit_chain_verify, audit_record, current_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def tamper(db: Any) -> None:
    """Play the intruder with database access: on PostgreSQL the append-only trigger would refuse
    the edits these tests make on purpose, so this test's transaction disables it (as the table's
    owner; the rollback at the end of the test enables it again)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        disable_append_only_trigger()


@pytest.fixture
def spread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each write as if in a transaction of its own (a test runs in one transaction, which would
    otherwise keep to the chain it took first)."""
    monkeypatch.setattr(services, "_held_chain", lambda: None)


@pytest.fixture
def cli_channel() -> Iterator[None]:
    token = current_channel.set("system")
    yield
    current_channel.reset(token)


def write(n: int, prefix: str = "p", actor: Any = None) -> list[AuditEvent]:
    return [
        audit_record(
            actor=actor,
            action=AuditAction.PROJECT_UPDATE,
            object_type="test",
            object_id=str(i),
            project_id=f"{prefix}{i}",
            new={"i": i},
        )
        for i in range(n)
    ]


def chain_of(events: list[AuditEvent]) -> list[AuditEvent]:
    """The events of the chain the first of these went to, in link order."""
    return list(AuditEvent.objects.filter(chain=events[0].chain).order_by("chain_seq"))


def problems() -> list[str]:
    return [p for _seq, p in audit_chain_report().problems]


# --- several chains ------------------------------------------------------------------------------


def test_writes_spread_over_chains_that_all_verify(spread: None, personas: dict[str, Any]) -> None:
    events = write(40, actor=personas["staff_a"])
    chains = {e.chain for e in events}
    assert len(chains) > 4  # the writes no longer queue on one head
    for chain in chains:
        links = list(AuditEvent.objects.filter(chain=chain).order_by("seq").values_list("chain_seq", flat=True))
        assert links == list(range(1, len(links) + 1))
    seqs = [e.seq for e in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == 40  # the page's order is still the write order
    assert audit_chain_verify() == []
    assert audit_chain_report().chains >= len(chains)


def test_one_transaction_keeps_to_one_chain(db: Any) -> None:
    """A transaction that writes several events holds one head, never two (no lock-order deadlock)."""
    with transaction.atomic():
        events = write(10)
    assert len({e.chain for e in events}) == 1
    assert audit_chain_verify() == []


def test_the_same_project_prefers_the_same_chain(spread: None) -> None:
    first = write(1, prefix="same")[0]
    again = write(1, prefix="same")[0]
    assert first.chain == again.chain == services.preferred_chain("same0")


# --- every column is covered ---------------------------------------------------------------------


def _alterations(event: AuditEvent, other_user: Any) -> dict[str, dict[str, Any]]:
    """For each stored column, an edit an intruder might make to it."""
    return {
        "id": {"id": event.id + 100000},
        "seq": {"seq": event.seq + 100000},
        "at": {"at": event.at + dt.timedelta(microseconds=1)},
        "actor_id": {"actor_id": other_user.pk},
        "actor_username": {"actor_username": "somebody_else"},
        "channel": {"channel": "ui"},
        "action": {"action": "project.delete"},
        "object_type": {"object_type": "projects.other"},
        "object_id": {"object_id": "other"},
        "object_repr": {"object_repr": "另一个项目"},
        "project_id": {"project_id": "other"},
        "old": {"old": {"name": "改过"}},
        "new": {"new": {"i": -1}},
        "chain": {"chain": (event.chain + 1) % 32, "chain_seq": 10**9},
        "chain_seq": {"chain_seq": event.chain_seq + 100000},
        "key_id": {"key_id": "k000000000000"},
        "prev_hash": {"prev_hash": "f" * 64},
    }


STORED = [f.attname for f in AuditEvent._meta.concrete_fields if f.attname != "hash"]


def test_every_stored_column_is_under_the_mac_and_in_the_test_below(db: Any) -> None:
    """A column added later must be added to the MAC (services.hashed_fields) and to the test."""
    event = write(1)[0]
    assert set(_alterations(event, event)) == set(STORED)
    # hashed_fields names actor_username "actor" (as the first release did)
    assert set(services.hashed_fields(event)) == set(STORED) - {"actor_username"} | {"actor"}


@pytest.mark.parametrize("column", STORED)
def test_editing_any_stored_column_breaks_the_chain(
    column: str, personas: dict[str, Any], tamper: None, spread: None
) -> None:
    events = write(6, actor=personas["staff_a"])
    victim = chain_of(events)[0]
    assert audit_chain_verify() == []
    AuditEvent.objects.filter(pk=victim.pk).update(**_alterations(victim, personas["staff_b"])[column])
    assert audit_chain_verify() != [], f"{column} is not covered by the MAC"


def test_edited_object_repr_is_reported_at_its_row(project: Any, tamper: None) -> None:
    victim = AuditEvent.objects.get(action="project.create", object_id=str(project.pk))
    AuditEvent.objects.filter(pk=victim.pk).update(object_repr="另一个项目")
    assert audit_chain_verify() == [victim.seq]
    assert any("content does not match" in p for p in problems())


# --- heads ---------------------------------------------------------------------------------------


def test_tail_rows_deleted_together_with_the_heads_break(tamper: None, db: Any) -> None:
    with transaction.atomic():
        events = write(8)
    AuditEvent.objects.filter(pk__in=[e.pk for e in events[-3:]]).delete()
    AuditHead.objects.all().delete()
    assert audit_chain_verify() != []
    assert any("head is missing" in p for p in problems())


def test_a_rewound_head_breaks(tamper: None, db: Any) -> None:
    """Remove the newest rows and set the head to the last remaining link: the head's MAC no
    longer matches (it needs the key)."""
    with transaction.atomic():
        events = write(8)
    chain = events[0].chain
    keep = events[-4]
    AuditEvent.objects.filter(pk__in=[e.pk for e in events[-3:]]).delete()
    AuditHead.objects.filter(id=chain).update(seq=keep.chain_seq, hash=keep.hash)
    assert audit_chain_verify() != []
    assert any("rewound" in p for p in problems())
    # nor does a MAC made the old way, with plain SHA-256
    forged = hashlib.sha256(f"{chain}:{keep.chain_seq}:{keep.hash}".encode()).hexdigest()
    AuditHead.objects.filter(id=chain).update(mac=forged)
    assert audit_chain_verify() != []


def test_a_head_ahead_of_its_rows_breaks(tamper: None, db: Any) -> None:
    with transaction.atomic():
        events = write(3)
    AuditEvent.objects.filter(chain=events[0].chain).delete()
    assert any("has no rows" in p for p in problems())


def test_every_chain_has_a_keyed_head_from_the_first_write(db: Any) -> None:
    write(1)
    heads = {h.id: h for h in AuditHead.objects.all()}
    assert set(heads) == set(range(services.AUDIT_CHAINS))
    _, key = services.current_key()
    for chain, head in heads.items():
        if head.seq == 0:
            assert head.mac == services.head_mac(key, chain, 0, services.GENESIS)
    assert audit_chain_verify() == []


def test_a_chain_erased_with_its_head_breaks(tamper: None, spread: None) -> None:
    """Plain `verify`, no checkpoint: every chain must have a head once any has."""
    events = write(20)
    chain = events[0].chain
    AuditEvent.objects.filter(chain=chain).delete()
    AuditHead.objects.filter(id=chain).delete()
    assert audit_chain_verify() == [0]
    assert problems() == [f"chain {chain}: head is missing (chain erased?)"]


def test_a_chain_whose_head_is_reset_to_link_0_breaks(tamper: None, spread: None) -> None:
    """Even with the key: a head at link 0 while its chain has rows is a reset."""
    events = write(10)
    chain = events[0].chain
    _, key = services.current_key()
    genesis_mac = services.head_mac(key, chain, 0, services.GENESIS)
    AuditHead.objects.filter(id=chain).update(seq=0, hash=services.GENESIS, mac=genesis_mac)
    assert audit_chain_verify() != []
    assert any(f"chain {chain}: head was reset to link 0" in p for p in problems())


def test_an_unused_chain_head_with_another_mac_breaks(tamper: None, db: Any) -> None:
    """The heads of chains without rows are under their MAC too (a head at link 0 copied from
    another chain, or written without the key, does not pass)."""
    with transaction.atomic():
        events = write(2)
    unused = next(c for c in range(services.AUDIT_CHAINS) if c != events[0].chain)
    other = AuditHead.objects.exclude(id__in=[unused, events[0].chain]).first()
    AuditHead.objects.filter(id=unused).update(mac=other.mac)
    assert any(f"chain {unused}: head at link 0 does not match its MAC" in p for p in problems())
    AuditHead.objects.filter(id=unused).update(mac="")
    assert audit_chain_verify() == [0]


def test_migration_0005_gives_older_heads_their_genesis_mac(tamper: None, db: Any) -> None:
    """Heads written at link 0 without a MAC by earlier code, and the chains a first-release
    upgrade (0003) left without a head, are brought in line; a chain with rows is left alone."""
    from importlib import import_module

    from django.apps import apps

    with transaction.atomic():
        events = write(3)
    used = set(AuditEvent.objects.values_list("chain", flat=True))
    assert events[0].chain in used
    AuditHead.objects.exclude(id__in=used).filter(id__lt=10).update(mac="")
    AuditHead.objects.exclude(id__in=used).filter(id__gte=10).delete()
    assert audit_chain_verify() != []
    import_module("egovpm.audit.migrations.0005_genesis_head_macs").forward(apps, None)
    assert audit_chain_verify() == []
    assert AuditHead.objects.count() == services.AUDIT_CHAINS


# --- the key -------------------------------------------------------------------------------------


def _recompute(chain: int, mac: Any) -> None:
    """Rewrite every link of `chain` and its head with `mac(fields) -> hex`, as an intruder would."""
    prev = services.GENESIS
    for event in AuditEvent.objects.filter(chain=chain).order_by("chain_seq"):
        event.prev_hash = prev
        prev = mac(services.hashed_fields(event))
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=prev)
    last = AuditEvent.objects.filter(chain=chain).order_by("-chain_seq").first()
    AuditHead.objects.filter(id=chain).update(
        seq=last.chain_seq, hash=prev, mac=mac({"head": chain, "seq": last.chain_seq, "hash": prev})
    )


def test_an_edited_chain_recomputed_without_the_key_breaks(tamper: None, db: Any) -> None:
    with transaction.atomic():
        events = write(6)
    chain = events[0].chain
    AuditEvent.objects.filter(pk=events[2].pk).update(new={"i": 999})

    _recompute(chain, lambda fields: hashlib.sha256(services._canonical(fields)).hexdigest())
    assert audit_chain_verify() != []

    guessed = b"not-the-key-" * 4
    _recompute(chain, lambda fields: services._mac(guessed, fields))
    assert audit_chain_verify() != []


def test_only_the_key_recomputes_a_valid_chain(tamper: None, db: Any, tmp_path: Any) -> None:
    """Why the key must stay out of the database: with it the rewrite verifies, and then only a
    checkpoint taken before the edit shows it."""
    with transaction.atomic():
        events = write(6)
    cp = services.audit_checkpoint()
    chain = events[0].chain
    AuditEvent.objects.filter(pk=events[2].pk).update(new={"i": 999})
    _, key = services.current_key()
    _recompute(chain, lambda fields: services._mac(key, fields))
    assert audit_chain_verify() == []
    report = audit_chain_report([cp])
    assert any(f"chain {chain} differs at link" in p for _s, p in report.problems)


def test_key_rotation(settings: Any, spread: None) -> None:
    old_key = settings.EGOVPM_AUDIT_KEY
    write(5, prefix="before")
    settings.EGOVPM_AUDIT_KEY = "a-new-key-for-the-audit-trail-0123456789"
    settings.EGOVPM_AUDIT_OLD_KEYS = [old_key]
    write(5, prefix="after")
    cp = services.audit_checkpoint()
    assert cp["key_id"] == services.key_id_of(settings.EGOVPM_AUDIT_KEY)
    assert audit_chain_report([cp]).intact
    assert len(set(AuditEvent.objects.values_list("key_id", flat=True))) >= 2

    settings.EGOVPM_AUDIT_OLD_KEYS = []  # the retired key lost: the older events cannot be vouched for
    assert any("is unknown" in p for p in problems())


# --- checkpoints ---------------------------------------------------------------------------------


def test_checkpoint_round_trip(tmp_path: Any, cli_channel: None, capsys: Any, spread: None) -> None:
    from egovpm import cli

    log = tmp_path / "audit-checkpoints.jsonl"
    write(10)
    assert cli.main(["audit", "checkpoint", "--append", str(log)]) == 0
    printed = capsys.readouterr().out.strip()
    write(10, prefix="q")
    assert cli.main(["audit", "checkpoint", "--append", str(log)]) == 0
    capsys.readouterr()

    lines = log.read_text().splitlines()
    assert len(lines) == 2 and lines[0] == printed
    first = json.loads(lines[0])
    assert first["kind"] == "egovpm-audit-checkpoint" and first["alg"] == "HMAC-SM3" and len(first["mac"]) == 64
    assert first["events"] == sum(seq for seq, _h in first["chains"].values())
    assert services.checkpoint_parse(lines) == [first, json.loads(lines[1])]

    assert cli.main(["audit", "verify", "--checkpoint", str(log)]) == 0
    out = capsys.readouterr().out
    assert "audit chain intact" in out and "2 checkpoint(s)" in out


def test_checkpoint_catches_a_replayed_head(tamper: None, db: Any, tmp_path: Any) -> None:
    """An intruder who kept an old copy of a head row removes the newest rows and puts the copy
    back: the database alone cannot tell; the checkpoint taken in between can."""
    with transaction.atomic():
        events = write(4)
    chain = events[0].chain
    saved = AuditHead.objects.get(id=chain)
    with transaction.atomic():
        write(4, prefix="later")
    cp = services.audit_checkpoint()
    AuditEvent.objects.filter(chain=chain, chain_seq__gt=saved.seq).delete()
    AuditHead.objects.filter(id=chain).update(seq=saved.seq, hash=saved.hash, mac=saved.mac)

    assert audit_chain_verify() == []  # the limit of any check inside the database
    report = audit_chain_report([cp])
    assert any(f"chain {chain} is shorter than link" in p for _s, p in report.problems)


def test_a_whole_chain_removed_and_its_head_reset_breaks(tamper: None, spread: None) -> None:
    events = write(20)
    cp = services.audit_checkpoint()
    chain = events[0].chain
    AuditEvent.objects.filter(chain=chain).delete()
    AuditHead.objects.filter(id=chain).update(seq=0, hash=services.GENESIS, mac="")
    # plain verify sees it (the head at link 0 has no valid MAC); the checkpoint too
    assert audit_chain_verify() == [0]
    assert any(f"chain {chain}: head at link 0 does not match its MAC" in p for p in problems())
    assert any(f"chain {chain} is shorter than link" in p for _s, p in audit_chain_report([cp]).problems)


def test_checkpoint_catches_a_whole_chain_removed_with_a_replayed_genesis_head(tamper: None, spread: None) -> None:
    """An intruder who kept a copy of the chain's head from before its first link (it never
    changes: link 0, GENESIS, its MAC) erases the chain and puts the copy back: only the checkpoint
    can tell."""
    events = write(20)
    chain = events[0].chain
    cp = services.audit_checkpoint()
    # the copy it kept: what the head held before the chain's first link
    genesis_mac = services.head_mac(services.current_key()[1], chain, 0, services.GENESIS)
    AuditEvent.objects.filter(chain=chain).delete()
    AuditHead.objects.filter(id=chain).update(seq=0, hash=services.GENESIS, mac=genesis_mac)
    assert audit_chain_verify() == []  # the limit of any check inside the database
    assert not audit_chain_report([cp]).intact


def test_verify_with_checkpoint_fails_on_the_command_line(
    tamper: None, tmp_path: Any, cli_channel: None, capsys: Any
) -> None:
    from egovpm import cli

    with transaction.atomic():
        events = write(5)
    log = tmp_path / "cp.jsonl"
    assert cli.main(["audit", "checkpoint", "--append", str(log)]) == 0
    AuditEvent.objects.filter(pk=events[-1].pk).delete()
    AuditHead.objects.filter(id=events[0].chain).update(
        seq=events[-2].chain_seq,
        hash=events[-2].hash,
        mac=services.head_mac(services.current_key()[1], events[0].chain, events[-2].chain_seq, events[-2].hash),
    )  # even with the key, the checkpoint outside remembers
    capsys.readouterr()
    assert cli.main(["audit", "verify"]) == 0
    assert cli.main(["audit", "verify", "--checkpoint", str(log)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "audit chain broken" in err and "shorter than link" in err


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda cp: cp["chains"].update({"0": [99, "a" * 64]}), "signature does not match"),
        (lambda cp: cp.update(key_id="kdeadbeef0000"), "unknown key"),
    ],
)
def test_an_altered_or_foreign_checkpoint_is_refused(edit: Any, message: str, spread: None) -> None:
    write(3)
    cp = services.audit_checkpoint()
    edit(cp)
    assert any(message in p for _s, p in audit_chain_report([cp]).problems)


@pytest.mark.parametrize("content", ["", "not json\n", '{"kind": "something else"}\n'])
def test_an_unreadable_checkpoint_file_is_one_line_error(
    content: str, tmp_path: Any, cli_channel: None, capsys: Any
) -> None:
    from egovpm import cli

    path = tmp_path / "cp.jsonl"
    path.write_text(content)
    assert cli.main(["audit", "verify", "--checkpoint", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err
    assert cli.main(["audit", "verify", "--checkpoint", str(tmp_path / "missing")]) == 1
    assert "cannot read" in capsys.readouterr().err


# --- upgrading a first-release trail -------------------------------------------------------------


def _legacy_trail(n: int) -> list[AuditEvent]:
    """Rows as the first release wrote them: one chain of plain SHA-256, head row id 1."""
    AuditEvent.objects.all().delete()
    AuditHead.objects.all().delete()
    prev, rows = services.GENESIS, []
    for seq in range(1, n + 1):
        event = AuditEvent(
            id=seq,
            seq=seq,
            at=dt.datetime(2026, 11, 1, 8, 0, seq, 123456, tzinfo=dt.UTC),
            actor_username="staff_a",
            channel="api",
            action="project.update",
            object_type="projects.project",
            object_id="x",
            object_repr="旧项目",
            project_id="x",
            new={"n": seq},
            prev_hash=prev,
            chain_seq=-seq,  # the old schema had no chain columns (0003 runs before they are unique)
        )
        event.hash = prev = services._legacy_digest(prev, event)
        event.save(force_insert=True)
        rows.append(event)
    AuditHead.objects.create(id=1, seq=n, hash=prev)
    return rows


def test_a_first_release_trail_is_reanchored(tamper: None, db: Any) -> None:
    _legacy_trail(5)
    summary = services.reanchor_legacy(AuditEvent, AuditHead)
    assert summary["legacy_events"] == 5 and summary["legacy_breaks"] == []
    assert audit_chain_verify() == []
    marker = AuditEvent.objects.get(action="audit.reanchor")
    assert marker.chain_seq == 6 and marker.new["legacy_events"] == 5
    # and now object_repr of the old rows is covered too
    AuditEvent.objects.filter(seq=2).update(object_repr="改过")
    assert audit_chain_verify() == [2]


def test_a_broken_first_release_trail_refuses_the_upgrade(tamper: None, db: Any, monkeypatch: Any) -> None:
    rows = _legacy_trail(5)
    AuditEvent.objects.filter(pk=rows[2].pk).update(new={"n": "edited"})
    with pytest.raises(RuntimeError, match=r"broken at event\(s\) \[3\]"):
        services.reanchor_legacy(AuditEvent, AuditHead)
    monkeypatch.setenv("EGOVPM_AUDIT_REANCHOR_BROKEN", "1")
    summary = services.reanchor_legacy(AuditEvent, AuditHead)
    assert summary["legacy_breaks"] == [3]
    assert AuditEvent.objects.get(action="audit.reanchor").new["legacy_breaks"] == [3]
    assert audit_chain_verify() == []

"""The rules engine (domain.md §12, style.md habit 4): packs are data, checks fail closed."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest

from egovpm.rules import engine
from egovpm.rules.facts import Context, ProjectFacts

EXPECTED_RULES = {
    "C1.1",
    "C2.1",
    "C3.0",
    "C3.1",
    "C3.2",
    "C3.3",
    "C3.4",
    "C3.5",
    "C3.6",
    "C4.1",
    "C4.2",
    "C5.1",
    "C5.2",
    "C6.1",
    "C6.2",
    "C6.3",
    "C7.1",
    "C7.2",
    "C8.1",
    "C8.2",
    "C9.1",
    "C9.2",
    "C9.3",
    "C10.1",
    "C10.2",
    "C11.1",
}

# domain.md §12: clause and severity of each rule (C3.1–C3.4 are "routing"; not checked here)
EXPECTED_CLAUSE_SEVERITY = {
    "C1.1": ("一", "violation"),
    "C2.1": ("二", "gate"),
    "C3.0": ("三", "gate"),
    "C3.6": ("三", "warning"),
    "C4.1": ("四", "violation"),
    "C4.2": ("四", "warning"),
    "C5.1": ("五", "info"),
    "C5.2": ("五", "warning"),
    "C6.1": ("六", "gate"),
    "C6.2": ("六", "gate"),
    "C6.3": ("六", "warning"),
    "C7.1": ("七", "gate"),
    "C7.2": ("七", "warning"),
    "C8.1": ("八", "violation"),
    "C8.2": ("八", "info"),
    "C9.1": ("九", "gate"),
    "C9.2": ("九", "violation"),
    "C9.3": ("九", "violation"),
    "C10.1": ("十", "gate"),
    "C10.2": ("十", "gate"),
    "C11.1": ("十一", "info"),
}

# domain.md §4: the gate rules of each action
EXPECTED_GATES = {
    "submit_needs_analysis": {"C2.1", "C10.2"},
    "submit_proposal": {"C10.1", "C9.1", "C6.1"},
    "approve_proposal": set(),
    "approve_feasibility": set(),
    "approve_preliminary_design": {"C3.0", "C6.1", "C9.1"},
    "start_trial_operation": set(),
    "pass_preliminary_acceptance": {"C6.2"},
    "pass_completion_acceptance": {"C7.1", "C3.5"},
    "return": set(),
    "cancel": set(),
}

FACTS = ProjectFacts(stage="draft", lead_department_kind="central")
CTX = Context(as_of=dt.date(2026, 11, 20))


def minimal_pack(*rules: dict[str, Any], regime: str = "t-regime") -> bytes:
    import yaml

    return yaml.safe_dump({"regime": regime, "version": "1", "rules": list(rules)}, allow_unicode=True).encode()


def rule(rule_id: str = "X1", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": rule_id,
        "clause": "一",
        "severity": "gate",
        "gates": ["do_it"],
        "title": {"zh": "标题", "en": "title"},
        "messages": {"pass": {"zh": "通过", "en": "passed"}, "fail": {"zh": "未通过 {what}", "en": "failed {what}"}},
    }
    data.update(extra)
    return data


@pytest.fixture
def test_regime(monkeypatch: pytest.MonkeyPatch) -> str:
    """A regime of our own whose checks vanish after the test."""
    engine.registered_checks("r2007")  # load the real checks first
    monkeypatch.setitem(engine._REGISTRY, "t-regime", {})
    return "t-regime"


# --- the r2007 pack ------------------------------------------------------------------------------


def test_r2007_pack_has_every_rule() -> None:
    pack = engine.load_pack("r2007")
    ids = [r.id for r in pack.rules]
    assert set(ids) == EXPECTED_RULES
    assert len(ids) == len(set(ids))
    assert pack.regime == "r2007"
    assert pack.version


def test_r2007_pack_identity_is_sha256_of_file_bytes() -> None:
    pack = engine.load_pack("r2007")
    content = (engine.PACK_DIR / "r2007.yaml").read_bytes()
    assert pack.sha256 == hashlib.sha256(content).hexdigest()
    assert len(pack.sha256) == 64


@pytest.mark.parametrize("rule_id", sorted(EXPECTED_RULES))
def test_every_rule_is_bilingual(rule_id: str) -> None:
    r = engine.load_pack("r2007").rule(rule_id)
    assert r.title["zh"].strip() and r.title["en"].strip()
    assert r.messages
    for key, message in r.messages.items():
        assert message["zh"].strip(), key
        assert message["en"].strip(), key


@pytest.mark.parametrize(("rule_id", "expected"), sorted(EXPECTED_CLAUSE_SEVERITY.items()))
def test_clause_and_severity_follow_the_spec(rule_id: str, expected: tuple[str, str]) -> None:
    r = engine.load_pack("r2007").rule(rule_id)
    assert (r.clause, r.severity) == expected


def test_clause_3_rules_cite_clause_3() -> None:
    pack = engine.load_pack("r2007")
    assert {pack.rule(f"C3.{i}").clause for i in range(7)} == {"三"}


@pytest.mark.parametrize(("action", "gates"), sorted(EXPECTED_GATES.items()))
def test_gates_per_action_follow_the_spec(action: str, gates: set[str]) -> None:
    assert {r.id for r in engine.load_pack("r2007").gates_for(action)} == gates


def test_every_rule_has_a_registered_check() -> None:
    assert set(engine.registered_checks("r2007")) >= EXPECTED_RULES


def test_c33_parameters_are_data() -> None:
    params = engine.load_pack("r2007").rule("C3.3").params
    assert params["limit_percent"] == 15
    assert params["cumulative"] is True


# --- fail closed ---------------------------------------------------------------------------------


def test_check_that_raises_is_error_and_blocks(test_regime: str) -> None:
    @engine.check(test_regime, "X1")
    def boom(facts: ProjectFacts, params: Any, ctx: Context) -> engine.Verdict:
        raise ZeroDivisionError("division by zero")

    pack = engine.parse_pack(minimal_pack(rule()))
    [result] = engine.evaluate_gates(pack, "do_it", FACTS, CTX)
    assert result.status == "error"
    assert result.blocks
    assert "ZeroDivisionError" in result.message_en
    assert result.message_zh


def test_rule_without_registered_check_is_error_and_blocks(test_regime: str) -> None:
    pack = engine.parse_pack(minimal_pack(rule("X2")))
    [result] = engine.evaluate(pack, FACTS, CTX)
    assert result.status == "error"
    assert result.blocks
    assert "no check" in result.message_en


def test_check_returning_fail_blocks_and_formats_message(test_regime: str) -> None:
    engine.check(test_regime, "X1")(lambda f, p, c: engine.failed(what="证据"))
    pack = engine.parse_pack(minimal_pack(rule()))
    [result] = engine.evaluate(pack, FACTS, CTX, language="en")
    assert result.status == "fail"
    assert result.blocks
    assert result.message == "failed 证据"
    assert result.message_zh == "未通过 证据"
    violation = result.as_violation()
    assert violation["rule"] == "X1"
    assert violation["clause"] == "一"
    assert violation["message"]


@pytest.mark.parametrize(("status", "blocks"), [("pass", False), ("not_applicable", False), ("fail", True)])
def test_only_fail_and_error_block(test_regime: str, status: str, blocks: bool) -> None:
    engine.check(test_regime, "X1")(lambda f, p, c: engine.Verdict(status))
    pack = engine.parse_pack(minimal_pack(rule()))
    [result] = engine.evaluate(pack, FACTS, CTX)
    assert result.status == status
    assert result.blocks is blocks


def test_check_registered_twice_is_refused(test_regime: str) -> None:
    engine.check(test_regime, "X1")(lambda f, p, c: engine.passed())
    with pytest.raises(RuntimeError):
        engine.check(test_regime, "X1")(lambda f, p, c: engine.passed())


@pytest.mark.parametrize("status", ["ok", "PASS", "", "warning", "passed"])
def test_unknown_status_is_refused(status: str) -> None:
    with pytest.raises(ValueError):
        engine.Verdict(status)


def test_check_returning_unknown_status_is_error(test_regime: str) -> None:
    engine.check(test_regime, "X1")(lambda f, p, c: engine.Verdict("maybe"))
    pack = engine.parse_pack(minimal_pack(rule()))
    [result] = engine.evaluate(pack, FACTS, CTX)
    assert result.status == "error"
    assert result.blocks


def test_gates_only_evaluate_rules_of_the_action(test_regime: str) -> None:
    engine.check(test_regime, "X1")(lambda f, p, c: engine.failed(what="x"))
    engine.check(test_regime, "X2")(lambda f, p, c: engine.failed(what="y"))
    pack = engine.parse_pack(minimal_pack(rule("X1"), rule("X2", gates=["other"], severity="violation")))
    assert [r.rule for r in engine.evaluate_gates(pack, "do_it", FACTS, CTX)] == ["X1"]
    assert engine.evaluate_gates(pack, "nothing", FACTS, CTX) == []
    assert [r.rule for r in engine.evaluate(pack, FACTS, CTX)] == ["X1", "X2"]


# --- parse_pack validation ------------------------------------------------------------------------


def test_parse_pack_identity() -> None:
    content = minimal_pack(rule())
    pack = engine.parse_pack(content)
    assert pack.sha256 == hashlib.sha256(content).hexdigest()
    assert pack.version == "1"
    assert pack.rule("X1").gates == ("do_it",)


def test_parse_pack_rejects_duplicate_ids() -> None:
    with pytest.raises(ValueError, match="twice"):
        engine.parse_pack(minimal_pack(rule("X1"), rule("X1")))


@pytest.mark.parametrize("field", ["id", "clause", "severity", "title", "messages"])
def test_parse_pack_rejects_missing_rule_field(field: str) -> None:
    r = rule()
    del r[field]
    with pytest.raises(ValueError):
        engine.parse_pack(minimal_pack(r))


@pytest.mark.parametrize("field", ["regime", "version", "rules"])
def test_parse_pack_rejects_missing_pack_field(field: str) -> None:
    import yaml

    data: dict[str, Any] = {"regime": "t", "version": "1", "rules": [rule()]}
    del data[field]
    with pytest.raises(ValueError):
        engine.parse_pack(yaml.safe_dump(data).encode())


@pytest.mark.parametrize("severity", ["blocker", "Gate", "", "error"])
def test_parse_pack_rejects_bad_severity(severity: str) -> None:
    with pytest.raises(ValueError, match="severity"):
        engine.parse_pack(minimal_pack(rule(severity=severity)))


def test_parse_pack_rejects_message_without_both_languages() -> None:
    with pytest.raises(ValueError):
        engine.parse_pack(minimal_pack(rule(messages={"pass": {"zh": "通过"}})))


def test_parse_pack_rejects_non_mapping() -> None:
    with pytest.raises(ValueError):
        engine.parse_pack(b"- just\n- a list\n")

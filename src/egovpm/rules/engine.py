"""The rules engine (style.md habit 4): packs are YAML data, checks are small pure functions
registered under a rule id. No Django here — the engine judges plain facts.

A check returns a Verdict; the engine adds the pack's bilingual message. A check that raises, or a
rule with no registered check, yields `error`, and an error blocks a gate: nothing passes by
accident (fail-closed)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from egovpm.rules.facts import Context, ProjectFacts

PACK_DIR = Path(__file__).resolve().parent / "packs"
STATUSES = ("pass", "fail", "not_applicable", "error")
SEVERITIES = ("gate", "violation", "warning", "info")
BLOCKING = frozenset({"fail", "error"})


@dataclass(frozen=True)
class Verdict:
    """What a check found. `key` picks the message in the pack (defaults to the status);
    `args` fill its {placeholders}. `until`, for a check that reads the date: the last date on
    which this verdict still holds if no record changes (None: it does not depend on the date)."""

    status: str
    key: str = ""
    args: Mapping[str, Any] = field(default_factory=dict)
    until: dt.date | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")


def holding_until(verdict: Verdict, day: dt.date | None) -> Verdict:
    """`verdict` with its `until`: the last date it holds while no record changes (None: any date)."""
    return Verdict(verdict.status, verdict.key, verdict.args, day)  # dataclasses.replace, without its overhead


def earliest(days: Iterable[dt.date | None]) -> dt.date | None:
    """The earliest of the dates given (None when there is none): the until of several limits."""
    present = [d for d in days if d is not None]
    return min(present) if present else None


def passed(key: str = "", **args: Any) -> Verdict:
    return Verdict("pass", key, args)


def failed(key: str = "", **args: Any) -> Verdict:
    return Verdict("fail", key, args)


def not_applicable(key: str = "", **args: Any) -> Verdict:
    return Verdict("not_applicable", key, args)


CheckFn = Callable[[ProjectFacts, Mapping[str, Any], Context], Verdict]
_REGISTRY: dict[str, dict[str, CheckFn]] = {}
_PLACEHOLDERS: set[tuple[str, str]] = set()


def check(regime: str, rule_id: str, *, placeholder: bool = False) -> Callable[[CheckFn], CheckFn]:
    """Register `fn` as the check of `rule_id` in `regime`.

    A placeholder (a rule whose records arrive with a later release) gives way to the real check
    whichever module is imported first; two real checks for one rule are a programming error."""

    def register(fn: CheckFn) -> CheckFn:
        checks = _REGISTRY.setdefault(regime, {})
        key = (regime, rule_id)
        if placeholder:
            if rule_id not in checks:
                checks[rule_id] = fn
                _PLACEHOLDERS.add(key)
            return fn
        if rule_id in checks and key not in _PLACEHOLDERS:
            raise RuntimeError(f"check {regime}/{rule_id} registered twice")
        checks[rule_id] = fn
        _PLACEHOLDERS.discard(key)
        return fn

    return register


def registered_checks(regime: str) -> dict[str, CheckFn]:
    _load_checks()
    return dict(_REGISTRY.get(regime, {}))


@cache
def _load_checks() -> None:
    """Import every module of egovpm.rules.checks: each registers its checks on import."""
    import importlib
    import pkgutil

    from egovpm.rules import checks

    for module in pkgutil.iter_modules(checks.__path__):
        importlib.import_module(f"{checks.__name__}.{module.name}")


@dataclass(frozen=True)
class Rule:
    id: str
    clause: str
    severity: str
    gates: tuple[str, ...]
    params: Mapping[str, Any]
    title: Mapping[str, str]
    messages: Mapping[str, Mapping[str, str]]

    def message(self, key: str, args: Mapping[str, Any], language: str) -> str:
        template = self.messages.get(key) or self.messages.get("default") or {"zh": key, "en": key}
        text = template.get(language) or template.get("en") or key
        try:
            return text.format(**args)
        except (KeyError, IndexError, ValueError):
            return text


@dataclass(frozen=True)
class Pack:
    regime: str
    version: str
    sha256: str
    rules: tuple[Rule, ...]
    data: Mapping[str, Any]

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def gates_for(self, action: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if action in r.gates)


def _validate(raw: Any, source: str) -> None:
    if not isinstance(raw, dict) or not {"regime", "version", "rules"} <= raw.keys():
        raise ValueError(f"{source}: a pack needs regime, version and rules")
    seen: set[str] = set()
    for r in raw["rules"]:
        missing = {"id", "clause", "severity", "title", "messages"} - r.keys()
        if missing:
            raise ValueError(f"{source}: rule {r.get('id')} lacks {sorted(missing)}")
        if r["id"] in seen:
            raise ValueError(f"{source}: rule {r['id']} appears twice")
        seen.add(r["id"])
        if r["severity"] not in SEVERITIES:
            raise ValueError(f"{source}: rule {r['id']} has unknown severity {r['severity']}")
        for key, msg in r["messages"].items():
            if not {"zh", "en"} <= set(msg):
                raise ValueError(f"{source}: rule {r['id']} message {key} needs zh and en")


def parse_pack(content: bytes, source: str = "<pack>") -> Pack:
    raw = yaml.safe_load(content)
    _validate(raw, source)
    rules = tuple(
        Rule(
            id=r["id"],
            clause=r["clause"],
            severity=r["severity"],
            gates=tuple(r.get("gates") or ()),
            params=dict(r.get("params") or {}),
            title=dict(r["title"]),
            messages={k: dict(v) for k, v in r["messages"].items()},
        )
        for r in raw["rules"]
    )
    return Pack(
        regime=raw["regime"],
        version=str(raw["version"]),
        sha256=hashlib.sha256(content).hexdigest(),
        rules=rules,
        data={k: v for k, v in raw.items() if k != "rules"},
    )


@cache
def load_pack(regime: str) -> Pack:
    path = PACK_DIR / f"{regime}.yaml"
    return parse_pack(path.read_bytes(), str(path))


@dataclass(frozen=True)
class Result:
    rule: str
    clause: str
    severity: str
    status: str
    message: str
    message_en: str
    message_zh: str
    key: str
    args: Mapping[str, Any]
    until: dt.date | None = None

    @property
    def blocks(self) -> bool:
        return self.status in BLOCKING

    def as_violation(self, language: str = "zh") -> dict[str, Any]:
        return {
            "rule": self.rule,
            "clause": self.clause,
            "message": self.message,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "status": self.status,
        }


def judge(pack: Pack, rule: Rule, facts: ProjectFacts, ctx: Context) -> Verdict:
    """The check's verdict on `rule`, without messages (the stored verdicts keep only this);
    `key` is filled in (the status when the check gave none)."""
    fn = registered_checks(pack.regime).get(rule.id)
    if fn is None:
        verdict = Verdict("error", "no_check", {"rule": rule.id})
    else:
        try:
            verdict = fn(facts, rule.params, ctx)
        except Exception as exc:  # fail closed: a broken check blocks, it never passes
            verdict = Verdict("error", "exception", {"error": f"{type(exc).__name__}: {exc}"})
    return Verdict(verdict.status, verdict.key or verdict.status, dict(verdict.args), verdict.until)


def judge_all(pack: Pack, facts: ProjectFacts, ctx: Context) -> list[tuple[Rule, Verdict]]:
    """Every rule of the pack with its verdict, in pack order — `evaluate` without formatting the
    bilingual messages (they are rendered with `render` only when shown)."""
    return [(r, judge(pack, r, facts, ctx)) for r in pack.rules]


# (rule, status, key, args, until): a verdict as `judge` gives it, without building it again
Judgement = tuple[Rule, str, str, Mapping[str, Any], "dt.date | None"]


def judgements(pack: Pack, facts: ProjectFacts, ctx: Context) -> list[Judgement]:
    """What `judge_all` gives, as plain tuples (the stored-verdict refresh judges every rule of
    thousands of projects a second): the same statuses, keys (the status when the check gave none),
    args and untils — the check table looked up once, no Verdict copied. `args` is the check's own
    mapping (not copied: read it, never change it)."""
    checks = registered_checks(pack.regime)
    out: list[Judgement] = []
    append = out.append
    for r in pack.rules:
        fn = checks.get(r.id)
        if fn is None:
            append((r, "error", "no_check", {"rule": r.id}, None))
            continue
        try:
            v = fn(facts, r.params, ctx)
        except Exception as exc:  # fail closed, as judge()
            append((r, "error", "exception", {"error": f"{type(exc).__name__}: {exc}"}, None))
            continue
        append((r, v.status, v.key or v.status, v.args, v.until))
    return out


def render(rule: Rule, verdict: Verdict, language: str = "zh") -> Result:
    """The Result of a verdict (its `key` filled in), with the pack's messages in both languages."""
    if verdict.status == "error":
        zh = f"规则检查出错（{verdict.args.get('error') or '未注册检查函数'}），按未通过处理"
        en = f"the check failed to run ({verdict.args.get('error') or 'no check registered'}); treated as blocking"
    else:
        zh = rule.message(verdict.key, verdict.args, "zh")
        en = rule.message(verdict.key, verdict.args, "en")
    return Result(
        rule=rule.id,
        clause=rule.clause,
        severity=rule.severity,
        status=verdict.status,
        message=en if language.startswith("en") else zh,
        message_en=en,
        message_zh=zh,
        key=verdict.key,
        args=dict(verdict.args),
        until=verdict.until,
    )


def evaluate_rule(pack: Pack, rule: Rule, facts: ProjectFacts, ctx: Context, language: str = "zh") -> Result:
    return render(rule, judge(pack, rule, facts, ctx), language)


def evaluate(pack: Pack, facts: ProjectFacts, ctx: Context, language: str = "zh") -> list[Result]:
    """Every rule of the pack, in pack order."""
    return [evaluate_rule(pack, r, facts, ctx, language) for r in pack.rules]


def evaluate_gates(pack: Pack, action: str, facts: ProjectFacts, ctx: Context, language: str = "zh") -> list[Result]:
    """The gate rules of `action`; the caller blocks on any result whose `blocks` is true."""
    return [evaluate_rule(pack, r, facts, ctx, language) for r in pack.gates_for(action)]

"""The lifecycle half of `egovpm seed-synthetic` (ops/synthetic.py): which stage each synthetic
project reaches, the stage events that take it there (projects/choices.py TRANSITIONS, effective
dates in order, an approval number on every NDRC approval but a few), its code and its name.

Pure planning over a seeded `random.Random`: the same seed gives the same projects."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from egovpm.projects.choices import ACTIVE, TRANSITIONS, Action, Stage

# Share of the portfolio per final stage: most projects are being built or run, a few are drafts
# or early, some were cancelled (issue 13: "every stage in plausible proportions").
STAGE_WEIGHTS: tuple[tuple[str, int], ...] = (
    (Stage.DRAFT, 4),
    (Stage.NEEDS_ANALYSIS, 4),
    (Stage.PROPOSAL, 4),
    (Stage.FEASIBILITY_STUDY, 5),
    (Stage.PRELIMINARY_DESIGN, 6),
    (Stage.CONSTRUCTION, 26),
    (Stage.TRIAL_OPERATION, 10),
    (Stage.ACCEPTANCE, 6),
    (Stage.IN_OPERATION, 28),
    (Stage.CANCELLED, 7),
)

# The forward path, read from the transition table (one forward action per source stage).
FORWARD: tuple[tuple[str, str, str], ...] = tuple(
    (t.action, t.sources[0], t.target)
    for t in TRANSITIONS.values()
    if t.target is not None and t.action != Action.CANCEL and len(t.sources) == 1
)
ORDER = (Stage.DRAFT, *(target for _, _, target in FORWARD))

# Days an action takes after the previous event (low, high).
GAP_DAYS: dict[str, tuple[int, int]] = {
    Action.SUBMIT_NEEDS_ANALYSIS: (20, 120),
    Action.SUBMIT_PROPOSAL: (40, 150),
    Action.APPROVE_PROPOSAL: (30, 180),
    Action.APPROVE_FEASIBILITY: (60, 240),
    Action.APPROVE_PRELIMINARY_DESIGN: (60, 240),
    Action.START_TRIAL_OPERATION: (240, 900),
    Action.PASS_PRELIMINARY_ACCEPTANCE: (120, 360),
    Action.PASS_COMPLETION_ACCEPTANCE: (60, 360),
    Action.RETURN: (10, 60),
    Action.CANCEL: (30, 400),
}
# Extra days spent in the final stage (so that construction lasts years for some).
SLACK_DAYS: dict[str, int] = {
    Stage.CONSTRUCTION: 1100,
    Stage.TRIAL_OPERATION: 300,
    Stage.ACCEPTANCE: 200,
    Stage.IN_OPERATION: 2200,
    Stage.CANCELLED: 900,
}
EARLIEST = dt.date(2012, 1, 1)

TOPICS = (
    "政务服务一体化平台",
    "大数据中心",
    "业务协同系统",
    "监测预警平台",
    "信用信息共享平台",
    "电子证照系统",
    "应急指挥信息系统",
    "公共资源交易平台",
    "综合执法信息系统",
    "数据资源目录系统",
    "统计分析决策支持系统",
    "移动办公平台",
    "网络安全态势感知平台",
    "视频会议系统",
    "档案数字化系统",
    "行政审批管理系统",
    "公众服务门户",
    "监管信息平台",
)
PHASES = ("", "", "（一期）", "（二期）", "（三期）", "升级改造工程", "建设工程")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
TITLES = ("副部长", "副局长", "副主任", "党组成员、副局长", "副厅长", "副秘书长")
RETURN_COMMENT = "需求分析不充分，请补充业务需求和建设必要性论证后重新报送。"
CANCEL_COMMENT = "建设任务已由其他项目承担，经研究撤销本项目。"


@dataclass
class EventPlan:
    action: str
    from_stage: str
    to_stage: str
    day: dt.date
    approval_reference: str = ""
    entrusted: bool = False


@dataclass
class ProjectPlan:
    index: int
    lead: int  # index into the synthetic departments
    stage: str
    created: dt.date
    events: list[EventPlan] = field(default_factory=list)
    joint: bool = False
    participants: list[int] = field(default_factory=list)

    def day_of(self, action: str) -> dt.date | None:
        """Effective date of the last event of this action, None when it never happened."""
        days = [e.day for e in self.events if e.action == action]
        return days[-1] if days else None

    def reached(self, stage: str) -> bool:
        """Whether the project entered `stage` at some point (a cancelled project keeps its past)."""
        return any(e.to_stage == stage for e in self.events) or stage == Stage.DRAFT

    @property
    def last_day(self) -> dt.date:
        return self.events[-1].day if self.events else self.created


def pick_stage(rng: random.Random) -> str:
    stages, weights = zip(*STAGE_WEIGHTS, strict=True)
    return rng.choices(stages, weights=weights)[0]


def _path(rng: random.Random, stage: str) -> list[tuple[str, str, str]]:
    """(action, from, to) from the draft to `stage`, with the occasional return for revision."""
    stop = stage
    if stage == Stage.CANCELLED:
        active = [s for s in ORDER if s in ACTIVE]
        stop = rng.choices(active, weights=[4, 3, 3, 3, 3, 4, 1, 1][: len(active)])[0]
    steps: list[tuple[str, str, str]] = []
    for action, source, target in FORWARD:
        if ORDER.index(source) >= ORDER.index(stop):
            break
        steps.append((action, source, target))
        if action == Action.SUBMIT_PROPOSAL and rng.random() < 0.08:  # NDRC sends the proposal back
            steps += [(Action.RETURN, Stage.PROPOSAL, Stage.NEEDS_ANALYSIS), (action, source, target)]
    if stage == Stage.CANCELLED:
        steps.append((Action.CANCEL, stop, Stage.CANCELLED))
    return steps


def approval_reference(rng: random.Random, year: int) -> str:
    return f"发改高技〔{year}〕{rng.randint(100, 2999)}号"


def plan_project(rng: random.Random, index: int, lead: int, end: dt.date) -> ProjectPlan:
    """One project's stage and events, all effective on or before `end`."""
    stage = pick_stage(rng)
    steps = _path(rng, stage)
    gaps = [rng.randint(*GAP_DAYS[action]) for action, _, _ in steps]
    slack = rng.randint(0, SLACK_DAYS.get(stage, 150))
    created = end - dt.timedelta(days=sum(gaps) + slack)
    if created < EARLIEST:  # keep the portfolio within the years the platform has existed
        created = EARLIEST + dt.timedelta(days=rng.randint(0, 400))
    plan = ProjectPlan(index=index, lead=lead, stage=stage, created=created)
    day = created
    for (action, source, target), gap in zip(steps, gaps, strict=True):
        day = min(day + dt.timedelta(days=gap), end)
        ref = ""
        if TRANSITIONS[action].ndrc_approval and rng.random() < 0.985:  # a few lack 批复文号 (C1.1)
            ref = approval_reference(rng, day.year)
        entrusted = action == Action.PASS_COMPLETION_ACCEPTANCE and rng.random() < 0.25
        plan.events.append(EventPlan(action, source, target, day, ref, entrusted))
    return plan


def project_name(rng: random.Random, department_name: str) -> str:
    short = department_name.removeprefix("国家").removesuffix("部").removesuffix("局").removesuffix("委员会")
    return f"{short}{rng.choice(TOPICS)}{rng.choice(PHASES)}"[:200]


def leader(rng: random.Random) -> tuple[str, str]:
    return rng.choice(SURNAMES) + rng.choice("建国明华立新伟静涛敏海江川浩"), rng.choice(TITLES)


def comment_for(action: str) -> str:
    comments: dict[str, str] = {Action.RETURN: RETURN_COMMENT, Action.CANCEL: CANCEL_COMMENT}
    return comments.get(action, "")

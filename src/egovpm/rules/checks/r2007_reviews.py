"""Checks of clause 十 (C10.1, C10.2) over the reviews app's facts (rules/facts_reviews.py).

C2.1 (clause 二) is judged by r2007.py on the project's own fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from egovpm.rules.engine import Verdict, check, failed, not_applicable, passed
from egovpm.rules.facts import Context, ProjectFacts
from egovpm.rules.facts_reviews import CoAuthorsFact, ExpertReviewFact

R = "r2007"
BEFORE_PROPOSAL = ("draft", "needs_analysis")
_CONCLUSION_ZH = {"approve": "同意", "revise": "修改后同意", "reject": "不同意"}


@check(R, "C10.1")
def proposal_attachments(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 10: 项目建议书须附需求分析报告和专家评议意见
    if facts.expert_reviews is None:
        return not_applicable("missing_records")
    reviews = cast(tuple[ExpertReviewFact, ...], facts.expert_reviews)  # set by the app\'s fact provider
    min_panel = int(params.get("min_panel_size", 3))
    categories = {d.category for d in facts.documents}
    missing_zh: list[str] = []
    missing_en: list[str] = []
    if "needs_analysis_report" not in categories:
        missing_zh.append("需求分析报告（文件类别 needs_analysis_report）")
        missing_en.append("the needs-analysis report (document category needs_analysis_report)")
    if "project_proposal" not in categories:
        missing_zh.append("项目建议书（文件类别 project_proposal）")
        missing_en.append("the project proposal (document category project_proposal)")
    concluded = sorted((r for r in reviews if r.concluded), key=lambda r: r.concluded_on or r.formed_on)
    if not reviews:
        missing_zh.append("专家评议（发改委尚未组织专家组）")
        missing_en.append("an expert review (NDRC has not formed a panel yet)")
    elif not concluded:
        missing_zh.append("专家评议结论（专家组尚未形成结论）")
        missing_en.append("the expert panel's conclusion (the review is not concluded yet)")
    else:
        latest = concluded[-1]
        if latest.panel_size < min_panel:
            missing_zh.append(f"不少于 {min_panel} 名专家的评议（最近一次评议仅 {latest.panel_size} 名专家）")
            missing_en.append(f"a review by at least {min_panel} experts (the latest had {latest.panel_size})")
        if params.get("require_non_reject_conclusion", True) and latest.conclusion == "reject":
            # this product's policy (pack parameter), not the notice's words
            missing_zh.append("非“不同意”的专家评议结论（最近一次评议结论为不同意，需重新组织评议）")
            missing_en.append("an expert conclusion other than reject (the latest review concluded reject)")
    if ctx.action is None and facts.stage in BEFORE_PROPOSAL:
        # compliance of a project that has not reached the proposal yet: say what is still to do
        if missing_zh:
            return not_applicable("not_yet", missing="；".join(missing_zh), missing_en="; ".join(missing_en))
        return not_applicable("ready")
    if missing_zh:
        return failed(missing="；".join(missing_zh), missing_en="; ".join(missing_en))
    latest = concluded[-1]
    return passed(
        conclusion=_CONCLUSION_ZH.get(latest.conclusion, latest.conclusion),
        conclusion_en=latest.conclusion,
        date=str(latest.concluded_on),
        size=latest.panel_size,
    )


@check(R, "C10.2")
def joint_project_coauthors(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 10: 中央和地方共建的项目，由中央部门牵头，地方部门共同编制需求分析报告
    if not facts.joint_central_local:
        return not_applicable("not_joint")
    problems_zh, problems_en = [], []
    if facts.lead_department_kind != "central":
        problems_zh.append("牵头部门应为中央部门")
        problems_en.append("the lead department must be a central department")
    if "local" not in facts.participating_department_kinds:
        problems_zh.append("至少需要一个地方参与部门")
        problems_en.append("at least one local participating department is needed")
    if facts.co_authors is None:
        if problems_zh:
            return failed(problems="；".join(problems_zh), problems_en="; ".join(problems_en))
        return not_applicable("missing_records")
    record = cast(CoAuthorsFact, facts.co_authors)  # set by the app\'s fact provider
    absent = [(code, name) for code, name in record.local_participants if code not in record.co_authors]
    if absent:
        problems_zh.append("以下地方参与部门尚未记录为需求分析报告的共同编制单位：" + "、".join(n for _, n in absent))
        problems_en.append(
            "these local participants are not recorded as co-authors of the needs-analysis report: "
            + ", ".join(c for c, _ in absent)
        )
    if problems_zh:
        return failed(problems="；".join(problems_zh), problems_en="; ".join(problems_en))
    return passed(co_authors="、".join(n for _, n in record.local_participants))

"""Check of clause 八's post-evaluation (C8.2) over the evaluations app's facts
(rules/facts_evaluations.py). It replaces the placeholder of r2007.py."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from egovpm.rules.engine import Verdict, check, failed, holding_until, not_applicable, passed
from egovpm.rules.facts import Context, ProjectFacts
from egovpm.rules.facts_evaluations import PostEvaluationFact, due_date, in_operation_since

R = "r2007"


@check(R, "C8.2")
def post_evaluation(facts: ProjectFacts, params: Mapping[str, Any], ctx: Context) -> Verdict:
    # clause 8: 国家发展改革委会同有关部门……组织专家或委托相关机构对项目运行效率、使用效果等进行后评价
    if facts.evaluations is None:
        return not_applicable("missing_records")
    since = in_operation_since(facts.events)
    if facts.stage != "in_operation" or since is None:
        return not_applicable("not_in_operation")
    evaluations = cast(tuple[PostEvaluationFact, ...], facts.evaluations)  # set by the app's fact provider
    complete = [e for e in evaluations if e.rates_all_goals]
    if complete:
        return passed(date=complete[-1].evaluated_on.isoformat())
    due = due_date(since, int(params.get("months_after_completion", 12)))
    args = {"since": since.isoformat(), "due": due.isoformat()}
    if ctx.as_of > due:
        return failed(**args)
    # not yet due: nothing is missing yet, and never `pass` without the record; this holds up to
    # and including the due date, failing from the day after
    return holding_until(not_applicable("not_due", **args), due)

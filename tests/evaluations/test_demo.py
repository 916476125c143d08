"""The demo has an indicator template and one post-evaluation of a project in operation."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_demo_post_evaluation_and_template() -> None:
    from egovpm import demo
    from egovpm.evaluations import scoring
    from egovpm.evaluations.models import EvaluationTemplate, PostEvaluation
    from egovpm.projects.selectors import project_compliance

    demo.load()
    demo.load()  # idempotent
    template = EvaluationTemplate.objects.get()
    assert len(template.tree) == 5
    assert all(node.get("children") for node in template.tree)
    evaluation = PostEvaluation.objects.select_related("project", "template").get()
    assert evaluation.project.stage == "in_operation"
    assert evaluation.template == template
    assert evaluation.report.category == "post_evaluation_report"
    assert evaluation.ratings.count() == len(evaluation.approved_goals.goals) >= 1
    assert scoring.display(evaluation.total_score)  # computed from the leaf scores
    c82 = next(r for r in project_compliance(project=evaluation.project)["results"] if r.rule == "C8.2")
    assert c82.status == "pass"

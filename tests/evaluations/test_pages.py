"""The 后评价 tab and the template pages as people use them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from .conftest import APPROVED

pytestmark = pytest.mark.django_db

TREE = (
    "运行效率 | 40 | efficiency\n  系统可用性 | 70\n  响应时间 | 30\n"
    "应用效果 | 60 | effect\n  用户满意度 | 50\n  业务覆盖 | 50\n"
)


def _login(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


def test_tab_shows_goals_and_the_form_for_the_evaluator(
    client: Any, operating: Any, report: Any, personas: Any
) -> None:
    from django.urls import reverse

    _login(client, personas["inspector_assigned"])
    r = client.get(reverse("web:project_evaluations", kwargs={"pk": operating.pk}))
    assert r.status_code == 200
    html = r.content.decode()
    for goal in APPROVED:
        assert goal in html
    assert 'id="evaluation-form"' in html
    assert 'class="procurement-shares"' in html  # the project's 自主可控 shares beside the evaluation
    _login(client, personas["staff_a"])
    html = client.get(reverse("web:project_evaluations", kwargs={"pk": operating.pk})).content.decode()
    assert APPROVED[0] in html and 'id="evaluation-form"' not in html


def test_record_from_the_form_without_template(client: Any, operating: Any, report: Any, personas: Any) -> None:
    from django.urls import reverse

    from egovpm.evaluations.models import PostEvaluation

    _login(client, personas["inspector_assigned"])
    data = {
        "evaluated_on": "2026-11-10",
        "organisation": "某咨询机构",
        "conclusion": "successful",
        "report": str(report.pk),
        "efficiency_score": "90",
        "effect_score": "80",
    }
    for i in range(3):
        data[f"goal_{i}_rating"] = "achieved"
        data[f"goal_{i}_evidence"] = "见报告"
    bad = {**data, "effect_score": "80.5"}
    r = client.post(reverse("web:evaluations_add", kwargs={"pk": operating.pk}), bad)
    assert r.status_code == 400
    assert not PostEvaluation.objects.exists()
    assert "80.5" in r.content.decode()  # what was typed stays
    r = client.post(reverse("web:evaluations_add", kwargs={"pk": operating.pk}), data)
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "成功" in page or "Successful" in page
    assert PostEvaluation.objects.get().effect_score == 80


def test_ndrc_adds_a_template_and_scores_with_it(client: Any, operating: Any, report: Any, personas: Any) -> None:
    from django.urls import reverse

    from egovpm.evaluations.models import EvaluationTemplate, PostEvaluation

    _login(client, personas["ndrc"])
    bad = client.post(reverse("web:evaluation_templates"), {"name": "指标", "tree": TREE.replace("| 30", "| 20")})
    assert bad.status_code == 400
    assert not EvaluationTemplate.objects.exists()
    r = client.post(reverse("web:evaluation_templates"), {"name": "指标", "tree": TREE})
    assert r.status_code == 302
    template = EvaluationTemplate.objects.get()
    detail = client.get(r["Location"]).content.decode()
    assert "系统可用性" in detail and "70" in detail
    tab = reverse("web:project_evaluations", kwargs={"pk": operating.pk})
    html = client.get(tab, {"template": str(template.pk)}).content.decode()
    assert 'name="leaf_1_1"' in html
    data = {
        "template": str(template.pk),
        "evaluated_on": "2026-11-10",
        "organisation": "国家发展改革委",
        "conclusion": "mostly_successful",
        "report": str(report.pk),
        "leaf_1_1": "90",
        "leaf_1_2": "75",
        "leaf_2_1": "81",
        "leaf_2_2": "66",
    }
    for i in range(3):
        data[f"goal_{i}_rating"] = "partly_achieved"
    r = client.post(reverse("web:evaluations_add", kwargs={"pk": operating.pk}), data, follow=True)
    assert r.status_code == 200
    html = r.content.decode()
    assert "78.3" in html and "85.5" in html and "73.5" in html
    assert PostEvaluation.objects.get().total_score == Decimal("78.3")
    assert "指标 v1" in html


def test_evaluator_inbox_until_recorded(client: Any, operating: Any, report: Any, personas: Any) -> None:
    from django.urls import reverse

    from egovpm.evaluations.services import post_evaluation_add

    from .conftest import body

    _login(client, personas["inspector_assigned"])
    tab = reverse("web:project_evaluations", kwargs={"pk": operating.pk})
    assert tab in client.get(reverse("web:inbox")).content.decode()
    post_evaluation_add(actor=personas["ndrc"], project_id=operating.pk, **body(report))
    assert tab not in client.get(reverse("web:inbox")).content.decode()
    _login(client, personas["inspector_other"])
    assert tab not in client.get(reverse("web:inbox")).content.decode()


def test_form_before_in_operation_says_409(client: Any, project: Any, personas: Any) -> None:
    from django.urls import reverse

    from egovpm.evaluations.models import PostEvaluation

    from .conftest import upload

    document = upload(personas, project)
    _login(client, personas["ndrc"])
    data = {
        "evaluated_on": "2026-11-10",
        "organisation": "发改委",
        "conclusion": "successful",
        "report": str(document.pk),
        "efficiency_score": "80",
        "effect_score": "80",
    }
    r = client.post(reverse("web:evaluations_add", kwargs={"pk": project.pk}), data)
    assert r.status_code == 409
    assert 'id="evaluation-form"' in r.content.decode()
    assert not PostEvaluation.objects.exists()


def test_ndrc_is_asked_to_organise_the_post_evaluation_until_an_evaluator_is_assigned(
    client: Any, personas: Any
) -> None:
    """Clause 8: NDRC organises post-evaluation. A project in operation with neither a
    post-evaluation nor an evaluator is in NDRC's 待办; assigning an evaluator hands it over."""
    from django.urls import reverse

    from conftest import advance, make_project
    from egovpm.projects.services import assignment_add

    project = advance(make_project(personas["staff_a"], construction_goals="目标一"), personas, "in_operation")
    draft = make_project(personas["staff_a"], name="尚未运行的项目")
    _login(client, personas["ndrc"])
    page = client.get(reverse("web:inbox")).content.decode()
    tab = reverse("web:project_evaluations", kwargs={"pk": project.pk})
    assert tab in page and "组织后评价" in page
    assert reverse("web:project_evaluations", kwargs={"pk": draft.pk}) not in page
    assignment_add(actor=personas["ndrc"], project_id=project.pk, username="inspector_assigned", task="evaluator")
    assert tab not in client.get(reverse("web:inbox")).content.decode()
    # the department is not asked to organise anything
    _login(client, personas["staff_a"])
    assert "组织后评价" not in client.get(reverse("web:inbox")).content.decode()

"""Hand-offs (issue 15 item 2): NDRC is asked in its 待办 to form the panel of a project waiting in
needs analysis; the department reads who acts next instead of an empty box; 已办 lists every kind
of thing the user did, newest first."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD

from .conftest import form_panel

pytestmark = pytest.mark.django_db


def _client(persona: Any) -> Client:
    c = Client()
    assert c.login(username=persona.username, password=PASSWORD)
    return c


def test_ndrc_is_asked_to_form_the_panel_until_it_does(na_project: Any, personas: Any, experts: Any, api: Any) -> None:
    ndrc = _client(personas["ndrc"])
    page = ndrc.get(reverse("web:inbox")).content.decode()
    panel_url = reverse("web:project_reviews", kwargs={"pk": na_project.pk})
    assert "组织专家组" in page and panel_url in page and na_project.name in page
    # the department is not asked: it is not theirs to do
    assert panel_url not in _client(personas["staff_a"]).get(reverse("web:inbox")).content.decode()
    form_panel(api, na_project)
    page = ndrc.get(reverse("web:inbox")).content.decode()
    assert "组织专家组" not in page


def test_the_department_reads_who_acts_next(na_project: Any, personas: Any, experts: Any, api: Any) -> None:
    staff = _client(personas["staff_a"])
    url = reverse("web:project_detail", kwargs={"pk": na_project.pk})
    page = staff.get(url).content.decode()
    assert "等待发改委：组织专家组" in page
    review = form_panel(api, na_project)
    page = staff.get(url).content.decode()
    assert "等待专家组：专家评议意见（已提交 0/3 份" in page
    for expert in ("ex.a", "ex.b", "ex.c"):
        c = Client()
        assert c.login(username=expert, password=PASSWORD)
        r = c.post(
            reverse("web:review_opinion", kwargs={"pk": review["id"]}), {"recommendation": "approve", "text": "同意"}
        )
        assert r.status_code == 302, r.content
    page = staff.get(url).content.decode()
    assert "等待发改委：形成专家组评议结论" in page
    # NDRC itself is not told to wait for itself, and gets a 催办 button where others act
    assert "等待发改委" not in _client(personas["ndrc"]).get(url).content.decode()


def test_later_stages_name_ndrc_and_the_department(project: Any, personas: Any) -> None:
    from conftest import advance

    p = advance(project, personas, "feasibility_study")
    url = reverse("web:project_detail", kwargs={"pk": p.pk})
    page = _client(personas["staff_a"]).get(url).content.decode()
    assert "等待发改委：批复可行性研究报告" in page
    assert "您目前在本项目没有可办理的阶段操作" not in page
    ndrc_page = _client(personas["ndrc"]).get(url).content.decode()
    assert "等待发改委" not in ndrc_page
    from conftest import make_project

    p = advance(make_project(personas["staff_a"], name="建设中项目"), personas, "construction")
    url = reverse("web:project_detail", kwargs={"pk": p.pk})
    ndrc_page = _client(personas["ndrc"]).get(url).content.decode()
    assert "等待甲部委：开始试运行" in ndrc_page
    assert reverse("web:project_chase", kwargs={"pk": p.pk}) in ndrc_page


def test_done_lists_opinions_acknowledgements_and_decisions(
    na_project: Any, personas: Any, experts: Any, api: Any
) -> None:
    review = form_panel(api, na_project)
    expert = Client()
    assert expert.login(username="ex.a", password=PASSWORD)
    expert.post(
        reverse("web:review_opinion", kwargs={"pk": review["id"]}), {"recommendation": "approve", "text": "同意"}
    )
    page = expert.get(reverse("web:inbox")).content.decode()
    done = page.split('id="done-h"')[1]
    assert "提交评审意见" in done and na_project.name in done
    ndrc_done = _client(personas["ndrc"]).get(reverse("web:inbox")).content.decode().split('id="done-h"')[1]
    assert "组建专家组" in ndrc_done
    # the department's stage action is there too, and the full list pages
    staff = _client(personas["staff_a"])
    assert "提交需求分析" in staff.get(reverse("web:inbox")).content.decode().split('id="done-h"')[1]
    assert "提交需求分析" in staff.get(reverse("web:done")).content.decode()


def test_done_is_newest_first_and_paged(personas: Any) -> None:
    from conftest import make_project

    for i in range(23):
        make_project(personas["staff_a"], name=f"已办项目{i:02d}")
    staff = _client(personas["staff_a"])
    inbox = staff.get(reverse("web:inbox")).content.decode().split('id="done-h"')[1]
    assert inbox.index("已办项目22") < inbox.index("已办项目21")
    assert "已办项目02" not in inbox  # the 20 newest only, with a link to the rest
    assert reverse("web:done") + "?page=2" in inbox
    second = staff.get(reverse("web:done") + "?page=2").content.decode()
    assert "已办项目02" in second and "已办项目00" in second and "已办项目22" not in second


def test_done_names_the_record_by_its_type_and_name_never_model_object(
    na_project: Any, personas: Any, experts: Any, api: Any
) -> None:
    """已办's 记录 column: the record's type label and its own name, or the project's for a record
    without a name — never Django's "Model object (id)" (issue 15 item 4)."""
    form_panel(api, na_project)
    page = _client(personas["ndrc"]).get(reverse("web:done")).content.decode()
    body = page.split("<tbody")[1]
    assert " object (" not in body
    assert f"：{na_project.name}" in body

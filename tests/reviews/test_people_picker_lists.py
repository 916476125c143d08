"""Lists of people to tick read as people (issue 15 item 4): the experts NDRC names for a panel and
an inspection's inspectors show name, department and role, with a search by name, department or
role that keeps the ticked people; only who may choose searches (403), at a constant query cost."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

NAMES = {
    "ex.a": "赵一",
    "ex.b": "钱二",
    "ex.c": "孙三",
    "ex.d": "李四",
    "ex.e": "周五",
    "ex.lead": "吴六",
    "ex.part": "郑七",
}


@pytest.fixture
def named_pool(pool: dict[str, Any]) -> dict[str, Any]:
    for username, user in pool.items():
        user.display_name = NAMES[username]
        user.save(update_fields=["display_name"])
    return pool


def _client(personas: dict[str, Any], persona: str) -> Client:
    c = Client()
    c.force_login(personas[persona])
    return c


def _text(html: str) -> str:
    return re.sub(r"<[^>]*>", " ", html)


def _choices(c: Client, source: str, **params: Any) -> Any:
    return c.get(reverse("web:people_choices", kwargs={"source": source}), params, HTTP_HX_REQUEST="true")


def test_panel_form_lists_experts_by_name_department_and_role(
    named_pool: dict[str, Any], na_project: Any, personas: dict[str, Any]
) -> None:
    html = _client(personas, "ndrc").get(reverse("web:project_reviews", kwargs={"pk": na_project.pk})).content.decode()
    picker = html.split('id="id_experts-options"', 1)[1].split("</div>", 1)[0]
    text = _text(picker)
    agency = named_pool["ex.a"].department.name
    assert f"赵一（{agency}）" in text and "专家" in text  # name, department, role
    assert 'class="people-search"' in html and "按姓名、单位或角色搜索" in html
    for username in NAMES:
        assert username not in text  # the login name only as the checkbox's value


def test_search_narrows_by_name_department_or_role_and_keeps_the_ticked(
    named_pool: dict[str, Any], personas: dict[str, Any]
) -> None:
    c = _client(personas, "ndrc")
    by_name = _text(_choices(c, "expert_pool", field="experts", q="钱").content.decode())
    assert "钱二" in by_name and "赵一" not in by_name
    kept = _choices(c, "expert_pool", field="experts", q="钱", experts=["ex.c"]).content.decode()
    assert "钱二" in _text(kept) and "孙三" in _text(kept)  # the ticked one stays, still ticked
    assert re.search(r'name="experts" value="ex\.c" checked', kept)
    assert not re.search(r'value="ex\.b" checked', kept)
    mob = named_pool["ex.e"].department.name
    assert _text(_choices(c, "expert_pool", field="experts", q=mob).content.decode()).count("（") == 1
    assert "郑七" in _text(_choices(c, "expert_pool", field="experts", q="专家").content.decode())  # by role
    assert "没有匹配" in _choices(c, "expert_pool", field="experts", q="不存在的人").content.decode()


def test_only_who_may_choose_searches(named_pool: dict[str, Any], personas: dict[str, Any]) -> None:
    for persona in ("staff_a", "leader_a", "mof", "expert_assigned", "inspector_assigned", "sys_admin"):
        c = _client(personas, persona)
        for source in ("expert_pool", "inspectors"):
            r = _choices(c, source, field="x", q="a")
            assert r.status_code == 403, (persona, source)
            assert "checkbox" not in r.content.decode()
    assert _choices(_client(personas, "ndrc"), "nobody", field="x").status_code == 404
    assert _choices(Client(), "expert_pool", field="x").status_code == 302  # to the login page


def test_search_costs_the_same_queries_with_more_experts(named_pool: dict[str, Any], personas: dict[str, Any]) -> None:
    from conftest import PASSWORD
    from egovpm.accounts.services import user_add
    from egovpm.reviews.services import expert_profile_set

    c = _client(personas, "ndrc")

    def count() -> int:
        _choices(c, "expert_pool", field="experts", q="专家", experts=["ex.a", "ex.b"])
        with CaptureQueriesContext(connection) as ctx:
            assert _choices(c, "expert_pool", field="experts", q="专家", experts=["ex.a", "ex.b"]).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(8):
        user_add(actor=None, username=f"ex.more{i}", department_code="agency", roles=["expert"], password=PASSWORD)
        expert_profile_set(actor=personas["ndrc"], username=f"ex.more{i}", specialties=["gov_apps"], title="")
    assert count() == before


def test_naming_experts_through_the_picker_forms_the_panel(
    named_pool: dict[str, Any], na_project: Any, personas: dict[str, Any]
) -> None:
    from egovpm.reviews.models import ExpertReview

    url = reverse("web:review_form", kwargs={"pk": na_project.pk})
    r = _client(personas, "ndrc").post(url, {"mode": "named", "experts": ["ex.a", "ex.b", "ex.c"], "q": "赵"})
    assert r.status_code == 302, r.content.decode()[:1500]
    review = ExpertReview.objects.get(project=na_project)
    assert sorted(m.expert.username for m in review.members.all()) == ["ex.a", "ex.b", "ex.c"]


def test_inspectors_are_listed_and_searched_by_name(personas: dict[str, Any], project: Any) -> None:
    inspector = personas["inspector_other"]
    inspector.display_name = "王检查"
    inspector.save(update_fields=["display_name"])
    c = _client(personas, "ndrc")
    html = c.get(reverse("web:project_inspections", kwargs={"pk": project.pk})).content.decode()
    picker = _text(html.split('id="id_inspectors-options"', 1)[1].split("</div>", 1)[0])
    assert f"王检查（{inspector.department.name}）" in picker and "检查" in picker
    assert inspector.username not in picker
    found = _text(_choices(c, "inspectors", field="inspectors", q="王").content.decode())
    assert "王检查" in found and inspector.username not in found


def test_the_pool_form_takes_an_expert_by_name(personas: dict[str, Any]) -> None:
    from conftest import PASSWORD
    from egovpm.accounts.services import user_add
    from egovpm.reviews.models import ExpertProfile

    newcomer = user_add(actor=None, username="ex.new", department_code="agency", roles=["expert"], password=PASSWORD)
    newcomer.display_name = "冯新"
    newcomer.save(update_fields=["display_name"])
    c = _client(personas, "ndrc")
    html = c.get(reverse("web:review_pool")).content.decode()
    field = html.split('name="user"', 1)[1].split(">", 1)[0]
    assert 'list="expert-options"' in field and "role=expert" in field  # the search picker, not a list of logins
    assert '<datalist id="expert-options">' in html
    found = c.get(reverse("web:people_search"), {"role": "expert", "q": "冯"}).content.decode()
    assert f'value="冯新（{newcomer.department.name}）"' in found and "ex.new" not in found
    r = c.post(
        reverse("web:review_pool_expert"),
        {"user": f"冯新（{newcomer.department.name}）", "specialties": ["gov_apps"], "title": "", "active": "on"},
    )
    assert r.status_code == 302, r.content.decode()[:1500]
    assert ExpertProfile.objects.filter(user=newcomer, active=True).exists()
    bad = c.post(reverse("web:review_pool_expert"), {"user": "无此人", "specialties": ["gov_apps"], "active": "on"})
    assert bad.status_code == 400 and "无此人" in bad.content.decode()


def test_a_refused_expert_is_named_by_name(
    named_pool: dict[str, Any], na_project: Any, personas: dict[str, Any]
) -> None:
    url = reverse("web:review_form", kwargs={"pk": na_project.pk})
    r = _client(personas, "ndrc").post(url, {"mode": "named", "experts": ["ex.a", "ex.b", "ex.lead"]})
    assert r.status_code == 400
    errorbox = r.content.decode().split('class="errorbox"', 1)[1].split("</div>", 1)[0]
    assert f"吴六（{named_pool['ex.lead'].department.name}）：" in errorbox and "利益冲突" in errorbox
    assert "ex.lead" not in errorbox


def test_the_draw_record_names_people(named_pool: dict[str, Any], na_project: Any, personas: dict[str, Any]) -> None:
    """The draw record lists the candidates, the excluded and the replay by name; the login name (the
    replay's input) is on hover only."""
    c = _client(personas, "ndrc")
    r = c.post(
        reverse("web:review_form", kwargs={"pk": na_project.pk}),
        {"mode": "draw", "size": "3", "specialties": ["gov_apps"]},
    )
    assert r.status_code == 302, r.content.decode()[:1500]
    html = c.get(r.url).content.decode()
    record = html.split("抽取记录", 1)[1].split("</details>", 1)[0]
    text = _text(record)
    assert "赵一" in text and "吴六" in text  # a candidate; the lead department's expert, excluded
    assert 'title="ex.a"' in record
    for username in NAMES:
        assert username not in text

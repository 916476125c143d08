"""Project registry over the API (api.md "Projects and lifecycle"; domain.md §2, §3, §9)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import advance, make_project
from egovpm.projects.models import Project

CODE_RE = re.compile(r"^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$")
PROJECTS = "/api/v1/projects"


def new_project(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "农业农村大数据平台",
        "lead_department": "moa",
        "participating_departments": ["prov"],
        "joint_central_local": True,
        "responsible_leader": {"name": "李四", "title": "部长"},
        "business_unit": "市场司",
        "technical_unit": "信息中心",
        "construction_goals": "建成全国农业数据共享平台",
    }
    data.update(extra)
    return data


def test_create_issues_code_and_returns_project(api: Any) -> None:
    r = api("staff_a").post(PROJECTS, new_project(), format="json")
    assert r.status_code == 201, r.json()
    data = r.json()
    assert CODE_RE.match(data["code"])
    assert data["code"].startswith("2026-000000-31-")  # year of the clock, moa's division and number
    assert data["stage"] == "draft"
    assert data["regime"] == "r2007"
    assert data["lead_department"] == "moa"
    assert data["participating_departments"] == ["prov"]
    assert data["joint_central_local"] is True
    assert data["responsible_leader"] == {"name": "李四", "title": "部长"}
    assert data["business_unit"] == "市场司"
    assert data["id"]
    assert Project.objects.filter(pk=data["id"], code=data["code"]).exists()
    # readable afterwards by its id
    assert api("staff_a").get(f"{PROJECTS}/{data['id']}").json()["code"] == data["code"]


def test_a_draft_may_lack_what_c21_requires(api: Any) -> None:
    r = api("staff_a").post(PROJECTS, {"name": "草稿项目", "lead_department": "moa"}, format="json")
    assert r.status_code == 201
    assert r.json()["business_unit"] == ""


def test_leader_may_create_too(api: Any) -> None:
    assert api("leader_a").post(PROJECTS, new_project(), format="json").status_code == 201


def test_lead_must_be_own_department(api: Any) -> None:
    r = api("staff_a").post(PROJECTS, new_project(lead_department="mob"), format="json")
    assert r.status_code == 403
    assert Project.objects.count() == 0


@pytest.mark.parametrize("persona", ["ndrc", "mof", "expert_assigned", "sys_admin", "audit_admin"])
def test_non_department_roles_cannot_create(persona: str, api: Any, personas: dict[str, Any]) -> None:
    lead = personas[persona].department.code
    r = api(persona).post(PROJECTS, new_project(lead_department=lead, participating_departments=[]), format="json")
    assert r.status_code == 403
    assert Project.objects.count() == 0


def test_anonymous_is_401(api: Any) -> None:
    assert api(None).post(PROJECTS, new_project(), format="json").status_code == 401
    assert api(None).get(PROJECTS).status_code == 401


def test_unknown_participant_is_400(api: Any) -> None:
    r = api("staff_a").post(PROJECTS, new_project(participating_departments=["prov", "nowhere"]), format="json")
    assert r.status_code == 400
    assert "participating_departments" in r.json()["details"]
    assert Project.objects.count() == 0


def test_missing_name_is_400(api: Any) -> None:
    r = api("staff_a").post(PROJECTS, new_project(name=""), format="json")
    assert r.status_code == 400
    assert "name" in r.json()["details"]


def test_given_valid_code_is_accepted(api: Any) -> None:
    r = api("staff_a").post(PROJECTS, new_project(code="2019-110000-31-02-000777"), format="json")
    assert r.status_code == 201
    assert r.json()["code"] == "2019-110000-31-02-000777"


@pytest.mark.parametrize(
    "code",
    [
        "2019-110000-31-02-77",
        "2019-11000-31-02-000777",
        "19-110000-31-02-000777",
        "2019_110000_31_02_000777",
        "abcd-110000-31-02-000777",
        "２０１９-110000-31-02-000777",  # full-width digits
        "2019-110000-31-02-0007770",
    ],
)
def test_invalid_code_format_is_400(code: str, api: Any) -> None:
    r = api("staff_a").post(PROJECTS, new_project(code=code), format="json")
    assert r.status_code == 400, code
    assert Project.objects.count() == 0


def test_duplicate_code_is_409(api: Any) -> None:
    assert api("staff_a").post(PROJECTS, new_project(code="2019-110000-31-02-000777"), format="json").status_code == 201
    r = api("staff_a").post(PROJECTS, new_project(code="2019-110000-31-02-000777", name="另一个"), format="json")
    assert r.status_code == 409
    assert Project.objects.count() == 1
    # even from another department
    r = api("staff_b").post(
        PROJECTS,
        new_project(code="2019-110000-31-02-000777", lead_department="mob", participating_departments=[]),
        format="json",
    )
    assert r.status_code == 409


def test_error_body_shape(api: Any) -> None:
    r = api("staff_a").post(PROJECTS, new_project(code="bad"), format="json")
    assert set(r.json()) >= {"code", "message", "details"}
    assert r.json()["code"] == "invalid"


# --- visibility ---------------------------------------------------------------------------------


def test_participants_see_project_other_departments_do_not(project: Any, other_project: Any, api: Any) -> None:
    for persona in ("staff_a", "leader_a", "staff_p", "ndrc", "mof", "expert_assigned", "archivist_assigned"):
        assert api(persona).get(f"{PROJECTS}/{project.pk}").status_code == 200, persona
    for persona in ("staff_b", "leader_b", "expert_other", "archivist_other", "inspector_other"):
        r = api(persona).get(f"{PROJECTS}/{project.pk}")
        assert r.status_code == 404, persona
        assert r.json()["code"] == "not_found"
    for persona in ("staff_a", "staff_p"):
        assert api(persona).get(f"{PROJECTS}/{other_project.pk}").status_code == 404


def test_missing_and_malformed_ids_are_404(api: Any, personas: dict[str, Any]) -> None:
    assert api("ndrc").get(f"{PROJECTS}/00000000-0000-0000-0000-000000000000").status_code == 404
    assert api("ndrc").get(f"{PROJECTS}/not-a-uuid").status_code == 404


def ids(response: Any) -> set[str]:
    data = response.json()
    assert response.status_code == 200
    assert set(data) >= {"count", "results", "next", "previous"}
    return {p["id"] for p in data["results"]}


def test_list_is_scoped(project: Any, other_project: Any, api: Any) -> None:
    assert ids(api("staff_a").get(PROJECTS)) == {str(project.pk)}
    assert ids(api("staff_p").get(PROJECTS)) == {str(project.pk)}
    assert ids(api("staff_b").get(PROJECTS)) == {str(other_project.pk)}
    assert ids(api("ndrc").get(PROJECTS)) == {str(project.pk), str(other_project.pk)}
    assert ids(api("mof").get(PROJECTS)) == {str(project.pk), str(other_project.pk)}
    assert ids(api("expert_assigned").get(PROJECTS)) == {str(project.pk)}
    assert ids(api("expert_other").get(PROJECTS)) == set()
    assert api("staff_a").get(PROJECTS).json()["count"] == 1


def test_list_filters(project: Any, other_project: Any, personas: dict[str, Any], api: Any) -> None:
    second = make_project(personas["staff_a"], name="政务外网改造工程", code="2018-000000-31-01-000042")
    advance(second, personas, "proposal")
    ndrc = api("ndrc")

    assert ids(ndrc.get(PROJECTS, {"stage": "draft"})) == {str(project.pk), str(other_project.pk)}
    assert ids(ndrc.get(PROJECTS, {"stage": "proposal"})) == {str(second.pk)}
    assert ids(ndrc.get(PROJECTS, {"stage": "draft,proposal"})) == {
        str(project.pk),
        str(other_project.pk),
        str(second.pk),
    }
    assert ndrc.get(PROJECTS, {"stage": "bogus"}).status_code == 400

    assert ids(ndrc.get(PROJECTS, {"department": "moa"})) == {str(project.pk), str(second.pk)}
    assert ids(ndrc.get(PROJECTS, {"department": "mob"})) == {str(other_project.pk)}
    assert ids(ndrc.get(PROJECTS, {"department": "prov"})) == {str(project.pk)}  # as participant

    assert ids(ndrc.get(PROJECTS, {"q": "外网"})) == {str(second.pk)}
    assert ids(ndrc.get(PROJECTS, {"q": "乙部委"})) == {str(other_project.pk)}
    assert ids(ndrc.get(PROJECTS, {"q": "000042"})) == {str(second.pk)}
    assert ids(ndrc.get(PROJECTS, {"q": project.code})) == {str(project.pk)}
    assert ids(ndrc.get(PROJECTS, {"q": "不存在的名称"})) == set()


def test_filters_never_widen_scope(project: Any, other_project: Any, api: Any) -> None:
    assert ids(api("staff_a").get(PROJECTS, {"department": "mob"})) == set()
    assert ids(api("staff_a").get(PROJECTS, {"q": other_project.code})) == set()
    assert ids(api("staff_p").get(PROJECTS, {"q": "乙部委"})) == set()


# --- editing ------------------------------------------------------------------------------------


def test_patch_fields(project: Any, api: Any) -> None:
    r = api("staff_a").patch(
        f"{PROJECTS}/{project.pk}",
        {
            "name": "改名后的项目",
            "business_unit": "新业务司",
            "responsible_leader": {"name": "王五", "title": "副部长"},
            "participating_departments": [],
            "service_outsourcing": False,  # the current value: accepted (see below for a change)
        },
        format="json",
    )
    assert r.status_code == 200, r.json()
    data = api("staff_a").get(f"{PROJECTS}/{project.pk}").json()
    assert data["name"] == "改名后的项目"
    assert data["business_unit"] == "新业务司"
    assert data["responsible_leader"] == {"name": "王五", "title": "副部长"}
    assert data["participating_departments"] == []
    assert data["service_outsourcing"] is False
    assert data["code"] == project.code
    # prov no longer participates: it no longer sees the project
    assert api("staff_p").get(f"{PROJECTS}/{project.pk}").status_code == 404


@pytest.mark.parametrize("field", ["code", "lead_department", "regime"])
def test_patch_of_read_only_fields_is_400(field: str, project: Any, api: Any) -> None:
    value = {"code": "2019-110000-31-02-000777", "lead_department": "mob", "regime": "r2019"}[field]
    r = api("staff_a").patch(f"{PROJECTS}/{project.pk}", {field: value}, format="json")
    assert r.status_code == 400
    project.refresh_from_db()
    assert (project.code, project.lead_department.code, project.regime)[
        ["code", "lead_department", "regime"].index(field)
    ] != value


@pytest.mark.parametrize("field", ["service_outsourcing", "data_hosting"])
def test_delivery_mode_flags_follow_the_recorded_modes(project: Any, api: Any, field: str) -> None:
    """A PATCH cannot set the flags against the recorded delivery modes: 400 naming the field and
    pointing to delivery-modes, nothing changes; recording a mode sets the flag, and repeating the
    current value in a PATCH is accepted."""
    client = api("staff_a")
    version = client.get(f"{PROJECTS}/{project.pk}").json()["version"]
    r = client.patch(f"{PROJECTS}/{project.pk}", {"name": "改名", field: True}, format="json")
    assert r.status_code == 400, r.json()
    assert "delivery-modes" in r.json()["details"][field]
    after = client.get(f"{PROJECTS}/{project.pk}").json()
    assert (after[field], after["name"], after["version"]) == (False, "测试电子政务项目", version)
    modes = {"modes": [{"mode": field, "provider": "某服务商", "scope": "运维"}]}
    assert client.put(f"{PROJECTS}/{project.pk}/delivery-modes", modes, format="json").status_code == 200
    assert client.get(f"{PROJECTS}/{project.pk}").json()[field] is True
    assert client.patch(f"{PROJECTS}/{project.pk}", {field: True}, format="json").status_code == 200
    r = client.patch(f"{PROJECTS}/{project.pk}", {field: False}, format="json")
    assert r.status_code == 400 and field in r.json()["details"]
    assert client.get(f"{PROJECTS}/{project.pk}").json()[field] is True


def test_patch_empty_name_is_400(project: Any, api: Any) -> None:
    r = api("staff_a").patch(f"{PROJECTS}/{project.pk}", {"name": "  "}, format="json")
    assert r.status_code == 400
    assert Project.objects.get(pk=project.pk).name == "测试电子政务项目"


def test_patch_by_participant_is_403_by_other_department_404(project: Any, api: Any) -> None:
    r = api("staff_p").patch(f"{PROJECTS}/{project.pk}", {"name": "参与方改名"}, format="json")
    assert r.status_code == 403
    r = api("staff_b").patch(f"{PROJECTS}/{project.pk}", {"name": "他部门改名"}, format="json")
    assert r.status_code == 404
    r = api("ndrc").patch(f"{PROJECTS}/{project.pk}", {"name": "发改委改名"}, format="json")
    assert r.status_code == 403
    assert Project.objects.get(pk=project.pk).name == "测试电子政务项目"


def test_stale_version_is_409(project: Any, api: Any) -> None:
    client = api("staff_a")
    version = client.get(f"{PROJECTS}/{project.pk}").json()["version"]
    r = client.patch(f"{PROJECTS}/{project.pk}", {"name": "第一次修改", "version": version}, format="json")
    assert r.status_code == 200
    assert r.json()["version"] == version + 1
    # a second editor still holding the old version
    r = api("leader_a").patch(f"{PROJECTS}/{project.pk}", {"name": "第二次修改", "version": version}, format="json")
    assert r.status_code == 409
    assert Project.objects.get(pk=project.pk).name == "第一次修改"
    r = api("leader_a").patch(f"{PROJECTS}/{project.pk}", {"name": "第二次修改", "version": version + 1}, format="json")
    assert r.status_code == 200
    assert Project.objects.get(pk=project.pk).name == "第二次修改"

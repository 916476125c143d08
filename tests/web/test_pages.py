"""The web UI through Django's test client, with the shared personas (tests/conftest.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, make_project
from egovpm.web.registry import TABS

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(personas: dict[str, Any]) -> Any:
    """browser(persona) -> a test Client logged in as that persona."""

    def client(persona: str) -> Client:
        c = Client()
        c.force_login(personas[persona])
        return c

    return client


def test_login_page_and_login(personas: dict[str, Any]) -> None:
    c = Client()
    page = c.get(reverse("web:login"))
    assert page.status_code == 200
    assert "登录" in page.content.decode()
    response = c.post(reverse("web:login"), {"username": "staff_a", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("web:inbox")


def test_wrong_password_shows_error(personas: dict[str, Any]) -> None:
    response = Client().post(reverse("web:login"), {"username": "staff_a", "password": "wrong-password"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_lockout_message_after_five_failures(personas: dict[str, Any]) -> None:
    c = Client()
    for _ in range(5):
        c.post(reverse("web:login"), {"username": "staff_a", "password": "wrong-password"})
    # Even the right password is refused now, with a message saying why.
    response = c.post(reverse("web:login"), {"username": "staff_a", "password": PASSWORD})
    assert response.status_code == 200
    body = response.content.decode()
    assert "登录失败次数过多" in body and "锁定" in body
    assert "_auth_user_id" not in c.session


def test_anonymous_is_sent_to_login(db: Any) -> None:
    response = Client().get(reverse("web:project_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("web:login"))


def test_inbox_lists_the_draft_for_staff_a(browser: Any, project: Any) -> None:
    body = browser("staff_a").get(reverse("web:inbox")).content.decode()
    assert project.name in body
    assert "提交需求分析" in body  # the action, in Chinese
    assert reverse("web:project_detail", kwargs={"pk": project.pk}) in body


@pytest.mark.kept
def test_inbox_stage_actions_are_kept_only_while_no_record_changes(browser: Any, project: Any, personas: Any) -> None:
    """待办's stage actions are kept between requests (issue 13: NDRC's sorts ~20,000 projects),
    and any write ends what was kept: the draft submitted, it leaves staff_a's 待办 at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from egovpm.projects.services import project_transition

    client = browser("staff_a")
    path = reverse("web:inbox")
    button = f'href="{reverse("web:project_detail", kwargs={"pk": project.pk})}#actions">提交需求分析</a>'
    with CaptureQueriesContext(connection) as first:
        assert button in client.get(path).content.decode()
    with CaptureQueriesContext(connection) as again:
        assert button in client.get(path).content.decode()
    assert len(again.captured_queries) < len(first.captured_queries)  # the kept answer, read again
    project_transition(actor=personas["staff_a"], project_id=project.pk, action="submit_needs_analysis")
    body = client.get(path).content.decode()
    assert button not in body  # submitted: nothing left for staff_a to do on it


def test_inbox_done_lists_my_stage_events(browser: Any, project: Any, personas: dict[str, Any]) -> None:
    from egovpm.projects.services import project_transition

    project_transition(actor=personas["staff_a"], project_id=project.pk, action="submit_needs_analysis")
    body = browser("staff_a").get(reverse("web:inbox")).content.decode()
    assert "已办" in body and "2026年11月20日" in body


def test_project_list_shows_own_projects_only(browser: Any, project: Any, other_project: Any) -> None:
    body = browser("staff_a").get(reverse("web:project_list")).content.decode()
    assert project.code in body
    assert other_project.code not in body and other_project.name not in body
    ndrc = browser("ndrc").get(reverse("web:project_list")).content.decode()
    assert project.code in ndrc and other_project.code in ndrc


def test_project_list_filters_and_htmx_partial(browser: Any, project: Any, other_project: Any) -> None:
    c = browser("ndrc")
    body = c.get(reverse("web:project_list"), {"q": "乙部委"}).content.decode()
    assert other_project.code in body and project.code not in body
    partial = c.get(reverse("web:project_list"), {"stage": "draft"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert project.code in partial
    assert c.get(reverse("web:project_list"), {"stage": "construction"}).content.decode().count(project.code) == 0


def test_other_departments_project_is_404(browser: Any, other_project: Any) -> None:
    c = browser("staff_a")
    for name in ("web:project_detail", "web:project_edit"):
        response = c.get(reverse(name, kwargs={"pk": other_project.pk}))
        assert response.status_code == 404
        assert other_project.name not in response.content.decode()
    response = c.get(reverse("web:project_compliance", kwargs={"pk": other_project.pk}))
    assert response.status_code == 404
    response = c.post(
        reverse("web:project_transition", kwargs={"pk": other_project.pk}), {"action": "submit_needs_analysis"}
    )
    assert response.status_code == 404


def test_404_page_is_chinese(browser: Any, other_project: Any) -> None:
    body = browser("staff_a").get(reverse("web:project_detail", kwargs={"pk": other_project.pk})).content.decode()
    assert "未找到" in body


def test_blocked_action_names_rule_and_clause(browser: Any, personas: dict[str, Any]) -> None:
    p = make_project(personas["staff_a"], name="缺负责人项目", responsible_leader_name="")
    body = browser("staff_a").get(reverse("web:project_detail", kwargs={"pk": p.pk})).content.decode()
    assert "C2.1" in body
    assert "第二条" in body
    assert "disabled" in body
    assert reverse("web:project_edit", kwargs={"pk": p.pk}) in body  # where to fix it


def test_allowed_action_offers_a_confirm_form(browser: Any, project: Any) -> None:
    body = browser("staff_a").get(reverse("web:project_detail", kwargs={"pk": project.pk})).content.decode()
    assert "此操作不可撤销" in body
    assert reverse("web:project_transition", kwargs={"pk": project.pk}) in body


def test_create_project_via_form(browser: Any, personas: dict[str, Any]) -> None:
    from egovpm.projects.models import Project

    c = browser("staff_a")
    assert c.get(reverse("web:project_create")).status_code == 200
    response = c.post(
        reverse("web:project_create"),
        {
            "name": "网页创建的项目",
            "participating_departments": ["prov"],
            "responsible_leader_name": "李四",
            "responsible_leader_title": "部长",
            "business_unit": "业务司",
            "technical_unit": "信息中心",
            "construction_goals": "目标",
            "service_outsourcing": "on",
        },
    )
    assert response.status_code == 302
    created = Project.objects.get(name="网页创建的项目")
    assert created.lead_department.code == "moa"
    assert created.service_outsourcing is True
    assert [d.code for d in created.participating_departments.all()] == ["prov"]
    assert response.url == reverse("web:project_detail", kwargs={"pk": created.pk})


def test_create_form_keeps_input_on_error(browser: Any) -> None:
    response = browser("staff_a").post(reverse("web:project_create"), {"name": "", "business_unit": "保留的业务单位"})
    assert response.status_code == 400
    assert "保留的业务单位" in response.content.decode()


def test_only_department_roles_create(browser: Any) -> None:
    assert browser("ndrc").get(reverse("web:project_create")).status_code == 403


def test_edit_project(browser: Any, project: Any) -> None:
    c = browser("staff_a")
    form = c.get(reverse("web:project_edit", kwargs={"pk": project.pk}))
    assert form.status_code == 200
    response = c.post(
        reverse("web:project_edit", kwargs={"pk": project.pk}),
        {
            "name": "改名后的项目",
            "participating_departments": ["prov"],
            "responsible_leader_name": "张三",
            "business_unit": "业务司",
            "technical_unit": "信息中心",
            "version": project.version,
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "改名后的项目"
    assert browser("leader_b").get(reverse("web:project_edit", kwargs={"pk": project.pk})).status_code == 404
    assert browser("staff_p").get(reverse("web:project_edit", kwargs={"pk": project.pk})).status_code == 403


def test_transition_via_form(browser: Any, project: Any) -> None:
    response = browser("staff_a").post(
        reverse("web:project_transition", kwargs={"pk": project.pk}),
        {"action": "submit_needs_analysis", "effective_date": "2026-11-19", "comment": "提交"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == "needs_analysis"
    event = project.events.get()
    assert str(event.effective_date) == "2026-11-19" and event.comment == "提交"


def test_refused_transition_keeps_input(browser: Any, project: Any) -> None:
    response = browser("staff_a").post(
        reverse("web:project_transition", kwargs={"pk": project.pk}),
        {"action": "submit_needs_analysis", "effective_date": "2030-01-01", "comment": "我写的说明"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "日期不能晚于今天" in body  # on the effective-date field, from the code date_in_future
    assert "我写的说明" in body
    project.refresh_from_db()
    assert project.stage == "draft"


def test_gate_refusal_lists_rules(browser: Any, personas: dict[str, Any]) -> None:
    p = make_project(personas["staff_a"], name="缺负责人项目", responsible_leader_name="")
    response = browser("staff_a").post(
        reverse("web:project_transition", kwargs={"pk": p.pk}), {"action": "submit_needs_analysis"}
    )
    assert response.status_code == 409
    assert "C2.1" in response.content.decode()


def test_role_without_the_action_gets_403(browser: Any, project: Any) -> None:
    response = browser("staff_p").post(
        reverse("web:project_transition", kwargs={"pk": project.pk}), {"action": "submit_needs_analysis"}
    )
    assert response.status_code == 403


def test_compliance_panel_shows_every_rule(browser: Any, project: Any) -> None:
    from egovpm.rules.engine import load_pack

    c = browser("staff_a")
    url = reverse("web:project_compliance", kwargs={"pk": project.pk})
    body = c.get(url).content.decode()
    for rule in load_pack("r2007").rules:
        assert f">{rule.id}<" in body, rule.id
    for clause in ("第一条", "第二条", "第十一条"):
        assert clause in body
    dated = c.get(url, {"as_of": "2025-01-01"}).content.decode()
    assert "2025年1月1日" in dated
    full = c.get(reverse("web:project_detail", kwargs={"pk": project.pk}), {"tab": "compliance"}, follow=True)
    assert full.redirect_chain == [(url + "#tabs", 302)]  # the first release's ?tab= URL leads to the tab
    full = full.content.decode()
    assert ">C11.1<" in full


def test_documents_tab_upload_and_list(browser: Any, project: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = browser("staff_p")  # a participating department adds documents
    response = c.post(
        reverse("web:project_documents", kwargs={"pk": project.pk}),
        {
            "file": SimpleUploadedFile("need.pdf", b"%PDF-1.4 needs", content_type="application/pdf"),
            "stage": "needs_analysis",
            "category": "needs_analysis_report",
            "title": "需求分析报告",
        },
    )
    assert response.status_code == 302
    body = c.get(reverse("web:project_documents", kwargs={"pk": project.pk})).content.decode()
    assert "需求分析报告" in body
    assert "/api/v1/documents/" in body
    doc_id = body.split("/api/v1/documents/")[1].split("/")[0]
    download = c.get(f"/api/v1/documents/{doc_id}/content")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 needs"
    # the MoF reads but does not upload
    mof = browser("mof").get(reverse("web:project_documents", kwargs={"pk": project.pk}))
    assert "需求分析报告" in mof.content.decode() and 'name="file"' not in mof.content.decode()


def test_ndrc_assigns_a_user(browser: Any, project: Any, personas: dict[str, Any]) -> None:
    c = browser("ndrc")
    response = c.post(
        reverse("web:project_assignments", kwargs={"pk": project.pk}),
        {"username": "inspector_other", "task": "inspector"},
    )
    assert response.status_code == 302
    assert project.assignments.filter(user__username="inspector_other").exists()
    duplicate = c.post(
        reverse("web:project_assignments", kwargs={"pk": project.pk}),
        {"username": "inspector_other", "task": "inspector"},
    )
    assert duplicate.status_code == 409
    assert "已指派" in duplicate.content.decode()
    assert (
        browser("staff_a")
        .post(reverse("web:project_assignments", kwargs={"pk": project.pk}), {"username": "x", "task": "inspector"})
        .status_code
        == 403
    )


def test_audit_page_only_for_audit_admin(browser: Any, project: Any) -> None:
    for persona in ("staff_a", "ndrc", "sys_admin"):
        response = browser(persona).get(reverse("web:audit"))
        assert response.status_code == 403
        assert "无权访问" in response.content.decode()
    c = browser("audit_admin")
    response = c.get(reverse("web:audit"))
    assert response.status_code == 200
    assert "project.create" in response.content.decode()
    filtered = c.get(reverse("web:audit"), {"actor": "ndrc"}).content.decode()
    assert "assignment.add" in filtered and "project.create" not in filtered
    export = c.get(reverse("web:audit_export"), {"actor": "ndrc"})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert browser("staff_a").get(reverse("web:audit_export")).status_code == 403


def test_csrf_is_enforced(personas: dict[str, Any], project: Any) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(personas["staff_a"])
    response = c.post(reverse("web:project_transition", kwargs={"pk": project.pk}), {"action": "submit_needs_analysis"})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.stage == "draft"
    # with the token from the page, the same post goes through
    page = c.get(reverse("web:project_detail", kwargs={"pk": project.pk}))
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = c.post(
        reverse("web:project_transition", kwargs={"pk": project.pk}),
        {"action": "submit_needs_analysis", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_english_switch_shows_english_labels(browser: Any, project: Any) -> None:
    c = browser("staff_a")
    assert "待办" in c.get(reverse("web:inbox")).content.decode()
    response = c.post("/i18n/setlang/", {"language": "en", "next": reverse("web:inbox")})
    assert response.status_code == 302
    body = c.get(reverse("web:inbox")).content.decode()
    assert "To do" in body and "Submit needs analysis" in body
    assert "待办" not in body
    detail = c.get(reverse("web:project_detail", kwargs={"pk": project.pk})).content.decode()
    assert "Stage timeline" in detail and "Draft" in detail
    c.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "待办" in c.get(reverse("web:inbox")).content.decode()


def test_logout_is_post(browser: Any) -> None:
    c = browser("staff_a")
    assert c.post(reverse("web:logout")).status_code == 302
    assert c.get(reverse("web:inbox")).status_code == 302


def test_every_choice_label_has_a_chinese_translation() -> None:
    from django.utils import translation

    from egovpm.accounts.choices import DepartmentKind, Role
    from egovpm.documents.choices import Category, Retention
    from egovpm.projects.choices import Action, AssignmentTask, Stage

    with translation.override("zh-hans"):
        for choices in (Stage, Action, Role, DepartmentKind, Category, Retention, AssignmentTask):
            for member in choices:
                label = str(member.label)
                assert any("\u4e00" <= ch <= "\u9fff" for ch in label), f"{choices.__name__}.{member.name}: {label}"


def test_po_file_is_complete() -> None:
    from pathlib import Path

    import egovpm

    po = (Path(egovpm.__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]
    assert "#, fuzzy" not in po
    for entry in entries:
        if "msgid" not in entry:
            continue
        # msgstr may wrap over several lines ('msgstr ""' then quoted continuation lines)
        translation = "".join(re.findall(r'"(.*)"', entry.split("msgstr", 1)[1]))
        assert translation, entry


def test_expert_sees_summary_documents_and_review_tabs_only(project: Any, personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["expert_assigned"])
    page = client.get(reverse("web:project_detail", kwargs={"pk": project.pk}))
    assert page.status_code == 200
    tabs = re.findall(r'role="tab" href="[^"]*" [^>]*data-tab="(\w+)"', page.content.decode())
    assert set(tabs) == {"info", "documents", "reviews"}
    for hidden in ("budgets", "security", "archives", "compliance", "assignments"):
        url = TABS[hidden].url(project)
        assert client.get(url).status_code == 404, hidden


def test_project_list_ui_and_api_share_one_filterset(
    browser: Any, api: Any, project: Any, other_project: Any, personas: dict[str, Any]
) -> None:
    """The UI list and GET /api/v1/projects answer the same filters with the same projects (one
    FilterSet, projects/filters.py, applied in the selector), and refuse the same bad value."""
    from egovpm.projects.services import project_transition

    project_transition(actor=personas["staff_a"], project_id=project.pk, action="submit_needs_analysis")
    ui, rest = browser("ndrc"), api("ndrc")
    everyone = {project.code, other_project.code}
    for params in (
        {"department": "prov"},  # a participating department finds the project it takes part in
        {"department": "mob"},
        {"stage": "needs_analysis,draft"},  # several stages, comma-separated, in both
        {"stage": "draft"},
        {"q": other_project.code[-4:]},
    ):
        page = ui.get(reverse("web:project_list"), params)
        assert page.status_code == 200, params
        shown = {code for code in everyone if code in page.content.decode()}
        listed = {row["code"] for row in rest.get("/api/v1/projects", params).json()["results"]}
        assert shown == listed & everyone, (params, shown, listed)
    both = ui.get(reverse("web:project_list"), {"stage": "needs_analysis,draft"}).content.decode()
    assert project.code in both and other_project.code in both
    for bad in ({"stage": "no_such_stage"}, {"stage": "draft,bogus"}):
        assert ui.get(reverse("web:project_list"), bad).status_code == 400, bad
        assert rest.get("/api/v1/projects", bad).status_code == 400, bad


def test_audit_page_and_api_share_one_filterset(
    browser: Any, api: Any, project: Any, other_project: Any, personas: dict[str, Any]
) -> None:
    """The audit page, its CSV export and GET /api/v1/audit select the same events for the same
    filters (audit/filters.py, applied in the selector); a refused value shows no events and says
    why, it is never silently dropped."""
    import csv
    import io

    from egovpm.audit.models import AuditEvent

    ui, rest = browser("audit_admin"), api("audit_admin")
    for params in (
        {"actor": "staff_b"},
        {"action": "project."},
        {"object_type": "projects.assignment"},
        {"project_id": str(project.pk)},
        {"date_from": "2026-01-01", "date_to": "2026-12-31", "actor": "ndrc"},
    ):
        listed = {row["seq"] for row in rest.get("/api/v1/audit", {**params, "page_size": 100}).json()["results"]}
        assert listed, params  # the filter selects something, so the comparison means something
        rows = list(csv.reader(io.StringIO(ui.get(reverse("web:audit_export"), params).content.decode("utf-8-sig"))))
        exported = {int(r[0]) for r in rows[1:]}
        assert exported == listed, params
        page = ui.get(reverse("web:audit"), params).content.decode()
        shown = {int(s) for s in re.findall(r'<td class="mono">(\d+)</td>', page)}
        assert shown == listed, params
    everything = AuditEvent.objects.count()
    refused = ui.get(reverse("web:audit"), {"date_from": "2026-1-5"})
    assert refused.status_code == 400 and "YYYY-MM-DD" in refused.content.decode()
    assert not re.findall(r'<td class="mono">(\d+)</td>', refused.content.decode()), "a refused filter shows events"
    assert everything == AuditEvent.objects.count()


def test_review_list_ui_and_api_share_one_filterset(
    browser: Any, api: Any, project: Any, personas: dict[str, Any]
) -> None:
    """The 专家评议 page and GET /api/v1/expert-reviews filter by status through one FilterSet
    (reviews/filters.py, applied in the selector): the same reviews, and the same 400 for a status
    that does not exist (the API used to ignore the filter, the page to drop a bad value)."""
    from conftest import advance
    from egovpm.reviews.models import ExpertReview

    advance(project, personas, "proposal")  # the needs analysis is reviewed and concluded
    review = ExpertReview.objects.get(project=project)
    ui, rest = browser("ndrc"), api("ndrc")
    for status, expected in (("concluded", {str(review.pk)}), ("open", set()), ("", {str(review.pk)})):
        listed = {r["id"] for r in rest.get("/api/v1/expert-reviews", {"status": status}).json()["results"]}
        assert listed == expected, status
        page = ui.get(reverse("web:review_list"), {"status": status})
        assert page.status_code == 200
        shown = (
            {str(review.pk)}
            if reverse("web:review_detail", kwargs={"pk": review.pk}) in page.content.decode()
            else set()
        )
        assert shown == expected, status
    assert ui.get(reverse("web:review_list"), {"status": "bogus"}).status_code == 400
    assert rest.get("/api/v1/expert-reviews", {"status": "bogus"}).status_code == 400

"""Notifications (issue 15 item 3): a notice is made inside the change's transaction, e-mailed after
the commit to those who want it, read in the message centre (the header counts the unread ones);
NDRC's chase is audited and reaches its recipients; `egovpm remind` adds the 15/7/1-day notices."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD

from .conftest import form_panel

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def test_panel_formed_reaches_each_expert_in_app_and_by_email(
    na_project: Any, experts: Any, api: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from egovpm.notifications.models import Message

    with django_capture_on_commit_callbacks(execute=True):
        review = form_panel(api, na_project)
    assert sorted(m.recipient.username for m in Message.objects.filter(kind="panel_formed")) == ["ex.a", "ex.b", "ex.c"]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ex.a@example.invalid",
        "ex.b@example.invalid",
        "ex.c@example.invalid",
    ]
    assert na_project.name in mail.outbox[0].subject and "2026-12-01" in mail.outbox[0].body
    # the expert sees it counted in the header, opens it and lands on the review; the count drops
    expert = _client("ex.a")
    page = expert.get(reverse("web:messages")).content.decode()
    assert 'id="unread-count"' in page and f"您已被选入{na_project.name}的专家组" in page
    message = Message.objects.get(recipient__username="ex.a")
    r = expert.post(reverse("web:message_read", kwargs={"pk": message.pk}), {"open": "1"})
    assert r.status_code == 302 and r["Location"] == reverse("web:review_detail", kwargs={"pk": review["id"]})
    assert 'id="unread-count"' not in expert.get(reverse("web:messages")).content.decode()
    # someone else's message is not there for them
    other = Message.objects.get(recipient__username="ex.b")
    assert expert.post(reverse("web:message_read", kwargs={"pk": other.pk})).status_code == 404
    assert Message.objects.get(pk=other.pk).read_at is None


def test_a_rolled_back_change_leaves_no_message_and_sends_no_mail(na_project: Any, experts: Any, api: Any) -> None:
    from egovpm.notifications.models import Message

    r = api("ndrc").post(
        f"/api/v1/projects/{na_project.pk}/expert-reviews", {"experts": ["ex.a", "ex.a", "nobody"]}, format="json"
    )
    assert r.status_code == 400
    assert not Message.objects.exists() and mail.outbox == []


def test_email_choices_are_obeyed(
    na_project: Any, experts: Any, api: Any, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    expert = _client("ex.a")
    page = expert.get(reverse("web:notification_preferences")).content.decode()
    assert "被选入专家组" in page
    r = expert.post(reverse("web:notification_preferences"), {"opinion_due": "on", "chase": "on"})  # panel_formed off
    assert r.status_code == 302
    assert api("staff_a").get("/api/v1/notification-preferences").json()["email"]["panel_formed"] is True
    with django_capture_on_commit_callbacks(execute=True):
        form_panel(api, na_project)
    assert sorted(m.to[0] for m in mail.outbox) == ["ex.b@example.invalid", "ex.c@example.invalid"]
    # the message itself still arrives
    assert "您已被选入" in expert.get(reverse("web:messages")).content.decode()
    # the API refuses an unknown kind or a non-boolean, and changes nothing
    token = api("staff_a")
    r = token.put("/api/v1/notification-preferences", {"email": {"report_due": "no", "weather": True}}, format="json")
    assert r.status_code == 400 and set(r.json()["details"]) == {"report_due", "weather"}
    assert token.get("/api/v1/notification-preferences").json()["email"]["report_due"] is True
    r = token.put("/api/v1/notification-preferences", {"email": {"report_due": False}}, format="json")
    assert r.status_code == 200 and r.json()["email"]["report_due"] is False


def test_chase_is_audited_and_seen_by_the_department(
    project: Any, personas: Any, api: Any, emails: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from egovpm.audit.models import AuditEvent

    with django_capture_on_commit_callbacks(execute=True):
        r = api("ndrc").post(
            f"/api/v1/projects/{project.pk}/chase", {"to": "department", "text": "请尽快提交需求分析"}, format="json"
        )
    assert r.status_code == 201 and sorted(r.json()["recipients"]) == ["leader_a", "staff_a"]
    event = AuditEvent.objects.get(action="notification.chase")
    assert event.actor_username == "ndrc" and event.project_id == str(project.pk)
    assert event.new["text"] == "请尽快提交需求分析"
    assert sorted(m.to[0] for m in mail.outbox) == ["leader_a@example.invalid", "staff_a@example.invalid"]
    page = _client("staff_a").get(reverse("web:messages")).content.decode()
    assert "发改委催办" in page and "请尽快提交需求分析" in page
    # a department may not chase (403), an empty text or a stranger is a 400 and nothing is sent
    assert (
        api("staff_a").post(f"/api/v1/projects/{project.pk}/chase", {"to": "department", "text": "x"}).status_code
        == 403
    )
    r = api("ndrc").post(f"/api/v1/projects/{project.pk}/chase", {"to": "staff_b", "text": ""}, format="json")
    assert r.status_code == 400 and set(r.json()["details"]) == {"text"}
    r = api("ndrc").post(f"/api/v1/projects/{project.pk}/chase", {"to": "staff_b", "text": "请办理"}, format="json")
    assert r.status_code == 400 and set(r.json()["details"]) == {"to"}
    assert AuditEvent.objects.filter(action="notification.chase").count() == 1


def test_chase_from_the_project_page(project: Any, personas: Any) -> None:
    ndrc = _client("ndrc")
    url = reverse("web:project_chase", kwargs={"pk": project.pk})
    assert url in ndrc.get(reverse("web:project_detail", kwargs={"pk": project.pk})).content.decode()
    r = ndrc.post(url, {"to": "staff_a", "text": "请提交需求分析"})
    assert r.status_code == 302
    assert "请提交需求分析" in _client("staff_a").get(reverse("web:messages")).content.decode()
    assert "请提交需求分析" not in _client("leader_a").get(reverse("web:messages")).content.decode()
    assert _client("staff_a").get(url).status_code == 403


def test_decisions_and_acknowledgements_reach_the_requester(project: Any, personas: Any) -> None:
    from conftest import advance
    from egovpm.notifications.models import Message

    advance(project, personas, "feasibility_study")
    titles = list(
        Message.objects.filter(recipient=personas["staff_a"], kind="decision_made").values_list("title", flat=True)
    )
    assert any("批复项目建议书" in t and project.name in t for t in titles), titles
    # NDRC does not notify itself
    assert not Message.objects.filter(recipient=personas["ndrc"]).exists()


def test_mark_all_read(project: Any, personas: Any, api: Any) -> None:
    for text in ("一", "二"):
        api("ndrc").post(f"/api/v1/projects/{project.pk}/chase", {"to": "staff_a", "text": text}, format="json")
    staff = api("staff_a")
    listed = staff.get("/api/v1/messages").json()
    assert listed["count"] == 2 and listed["results"][0]["body"] == "二"  # newest first
    assert staff.post("/api/v1/messages/read-all").json() == {"marked": 2}
    assert all(m["read_at"] for m in staff.get("/api/v1/messages").json()["results"])


def test_remind_notifies_reports_due_in_15_7_1_days_once(project: Any, personas: Any, clock: Any) -> None:
    from conftest import advance
    from egovpm.notifications.models import Message
    from egovpm.notifications.reminders import due_notices

    advance(project, personas, "construction", start=dt.date(2026, 1, 5))
    # the 2026 annual report is due on 31 January 2027
    clock.set_now(dt.datetime(2027, 1, 16, 9, 0, tzinfo=clock.BEIJING))  # 15 days before
    due_notices()
    due_notices()  # the same day again: nothing new
    notes = Message.objects.filter(kind="report_due", recipient=personas["staff_a"], title__contains="2026年度")
    assert notes.count() == 1 and "还有 15 天到期" in notes.get().title
    clock.set_now(dt.datetime(2027, 1, 24, 9, 0, tzinfo=clock.BEIJING))  # 7 days before
    due_notices()
    assert notes.count() == 2
    clock.set_now(dt.datetime(2027, 2, 2, 9, 0, tzinfo=clock.BEIJING))  # overdue
    due_notices()
    assert notes.filter(title__startswith="已逾期").exists()


def test_adjustment_decision_and_report_acknowledgement_reach_who_asked(project: Any, personas: Any, api: Any) -> None:
    from decimal import Decimal

    from conftest import advance
    from egovpm.budgets.models import EstimateLine
    from egovpm.budgets.services import LineIn, adjustment_create
    from egovpm.notifications.models import Message

    p = advance(project, personas, "construction", start=dt.date(2025, 1, 6))
    first, second = EstimateLine.objects.filter(estimate__project=p).order_by("code")[:2]
    step = (first.amount / 100).quantize(Decimal("0.01"))
    adjustment = adjustment_create(
        actor=personas["staff_a"],
        project_id=p.pk,
        items=[LineIn(first.code, "", first.amount - step), LineIn(second.code, "", second.amount + step)],
        goals_unchanged=True,
        reason="optimization",
        description="优化技术方案",
    )
    page = reverse("web:project_detail", kwargs={"pk": p.pk})
    assert (
        f"等待甲部委负责人：审批第 {adjustment.number} 号概算调整申请" in _client("staff_a").get(page).content.decode()
    )
    assert "审批第" not in _client("leader_a").get(page).content.decode()  # it is the leader's to decide
    r = api("leader_a").post(f"/api/v1/adjustments/{adjustment.pk}/decide", {"decision": "approve"}, format="json")
    assert r.status_code == 200, r.content
    decided = Message.objects.get(recipient=personas["staff_a"], kind="decision_made", title__contains="概算调整")
    assert f"第 {adjustment.number} 号概算调整申请已批准" in decided.title
    assert not Message.objects.filter(
        recipient=personas["leader_a"], kind="decision_made", title__contains="概算调整申请"
    ).exists()  # the deciding leader is not told of their own decision
    # a report submitted by staff_a and signed for by NDRC
    sections = {k: "已填写" for k in ("progress", "content", "tendering", "budget_execution", "problems")}
    url = f"/api/v1/projects/{p.pk}/reports/2025-H1"
    assert api("staff_a").post(f"{url}/submit", {"sections": sections}, format="json").status_code == 201
    waiting = _client("staff_a").get(page).content.decode()
    assert (
        "等待国家发展改革委：签收2025年上半年建设情况报告" in waiting
        or "等待发改委：签收2025年上半年建设情况报告" in waiting
    )
    assert "等待财政部：签收2025年上半年建设情况报告" in waiting
    assert api("ndrc").post(f"{url}/acknowledge").status_code == 200
    signed = Message.objects.get(recipient=personas["staff_a"], kind="acknowledged")
    assert "国家发展改革委已签收" in signed.title and "2025-H1" in signed.title
    assert signed.link == reverse("web:project_reports", kwargs={"pk": p.pk})


def test_the_recipient_reads_chinese_whatever_the_actors_language(project: Any, personas: Any) -> None:
    from django.utils import translation

    from egovpm.notifications.models import Message
    from egovpm.notifications.services import chase

    with translation.override("en"):
        chase(actor=personas["ndrc"], project_id=project.pk, to="staff_a", text="please submit")
    assert Message.objects.get(recipient=personas["staff_a"]).title == f"发改委催办：{project.name}"


def test_remind_tells_experts_without_an_opinion_that_it_is_due(
    na_project: Any, experts: Any, api: Any, clock: Any
) -> None:
    from egovpm.notifications.models import Message
    from egovpm.notifications.reminders import due_notices

    review = form_panel(api, na_project, due="2026-11-22")
    c = Client()
    assert c.login(username="ex.a", password=PASSWORD)
    c.post(reverse("web:review_opinion", kwargs={"pk": review["id"]}), {"recommendation": "approve", "text": "同意"})
    due_notices()
    due_notices()
    due = Message.objects.filter(kind="opinion_due")
    assert sorted(m.recipient.username for m in due) == ["ex.b", "ex.c"]
    assert "2026-11-22 到期" in due.first().title  # type: ignore[union-attr]


def test_egovpm_remind_also_fills_the_message_centre(project: Any, personas: Any, clock: Any, capsys: Any) -> None:
    from conftest import advance
    from egovpm import cli
    from egovpm.core.channel import current_channel
    from egovpm.notifications.models import Message

    advance(project, personas, "construction", start=dt.date(2026, 1, 5))
    clock.set_now(dt.datetime(2027, 1, 30, 9, 0, tzinfo=clock.BEIJING))  # the 2026 report due tomorrow
    token = current_channel.set("system")
    try:
        assert cli.main(["remind", "--dry-run"]) == 0
        assert not Message.objects.filter(kind="report_due").exists()  # a dry run records nothing
        assert cli.main(["remind", "--days", "14"]) == 0
    finally:
        current_channel.reset(token)
    assert "notified" in capsys.readouterr().out
    titles = list(Message.objects.filter(recipient=personas["staff_a"]).values_list("title", flat=True))
    assert any(t.startswith("还有 1 天到期") and "2026年度" in t for t in titles), titles

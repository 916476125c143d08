"""Filing (备案) of self-approvals and C3.5 at completion acceptance; the spending ledger, its
XLSX import (all or nothing) and C3.6; the clause-3 rules in the compliance report."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D
from typing import Any

import pytest
from django.urls import reverse

from .conftest import actors, advance, decide, request, upload

pytestmark = pytest.mark.django_db


def _compliance(project: Any, as_of: dt.date | None = None) -> dict[str, Any]:
    from egovpm.projects.selectors import project_compliance

    return {r.rule: r for r in project_compliance(project=project, as_of=as_of)["results"]}


def test_clause3_rules_report_in_compliance(built: Any, personas: dict[str, Any]) -> None:
    results = _compliance(built)
    assert {r: results[r].status for r in ("C3.0", "C3.1", "C3.2", "C3.3", "C3.4", "C3.5", "C3.6")} == dict.fromkeys(
        ("C3.0", "C3.1", "C3.2", "C3.3", "C3.4", "C3.5", "C3.6"), "pass"
    )
    decide(personas["leader_a"], request(personas["staff_a"], built, {"01": "480000.00", "02": "420000.00"}))
    results = _compliance(built)
    # the current cumulative ratio is shown as a percentage people read, not as 0.12… (issue 15)
    assert "12.00%" in results["C3.3"].message_zh and "0.12" not in results["C3.3"].message_zh
    assert results["C3.5"].status == "fail"
    assert "第1号" in results["C3.5"].message_zh
    # as of a date before the decision, nothing was self-approved yet
    assert _compliance(built, dt.date(2026, 11, 19))["C3.5"].status == "pass"


def test_draft_without_estimate_is_not_due(project: Any) -> None:
    results = _compliance(project)
    assert results["C3.0"].status == "not_applicable"
    assert results["C3.5"].status == "not_applicable"


def test_filing_rules_and_completion_gate(built: Any, personas: dict[str, Any], api: Any) -> None:
    from egovpm.core.errors import RuleViolation
    from egovpm.projects.services import project_transition

    staff, leader = personas["staff_a"], personas["leader_a"]
    adjustment = request(staff, built, {"01": "550000.00", "02": "350000.00"})
    decide(leader, adjustment)
    project = advance(built, actors(personas), "acceptance", start=dt.date(2026, 9, 1))
    # the C7.1 / other gates are readied; C3.5 is left open on purpose
    from conftest import ready_for

    ready_for(project, "pass_completion_acceptance")
    from egovpm.budgets.models import Adjustment

    Adjustment.objects.filter(pk=adjustment.pk).update(filed_on=None, filing_document=None)
    with pytest.raises(RuleViolation) as e:
        project_transition(actor=personas["ndrc"], project_id=project.pk, action="pass_completion_acceptance")
    assert "C3.5" in [v["rule"] for v in e.value.details["violations"]]

    url = reverse("api:adjustment-file", kwargs={"adjustment_id": str(adjustment.pk)})
    approval = upload(project, staff, "adjustment_approval", "调整批复")
    wrong = upload(project, staff, "other", "其他")
    client = api("staff_a")
    assert client.post(url, {"filed_on": "2026-11-20", "document": str(wrong.pk)}, format="json").status_code == 400
    early = client.post(url, {"filed_on": "2026-11-19", "document": str(approval.pk)}, format="json")
    assert early.status_code == 400 and "filed_on" in early.json()["details"]
    future = client.post(url, {"filed_on": "2026-11-21", "document": str(approval.pk)}, format="json")
    assert future.status_code == 400
    ok = client.post(
        url, {"filed_on": "2026-11-20", "document": str(approval.pk), "reference": "备案1号"}, format="json"
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["filed_on"] == "2026-11-20"
    again = client.post(url, {"filed_on": "2026-11-20", "document": str(approval.pk)}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_filed"
    ack = reverse("api:adjustment-acknowledge", kwargs={"adjustment_id": str(adjustment.pk)})
    assert api("ndrc").post(ack).status_code == 200
    assert api("ndrc").post(ack).status_code == 409
    project_transition(actor=personas["ndrc"], project_id=project.pk, action="pass_completion_acceptance")


def test_only_approved_self_approvals_are_filed(built: Any, personas: dict[str, Any]) -> None:
    from egovpm.budgets.services import adjustment_file
    from egovpm.core.errors import Conflict

    pending = request(personas["staff_a"], built, {"01": "590000.00", "02": "310000.00"})
    doc = upload(built, personas["staff_a"], "adjustment_approval")
    with pytest.raises(Conflict):
        adjustment_file(
            actor=personas["staff_a"], adjustment_id=pending.pk, filed_on=dt.date(2026, 11, 20), document_id=doc.pk
        )


def test_adjustment_report_document_is_attached(built: Any, personas: dict[str, Any]) -> None:
    from egovpm.core.errors import InvalidInput

    report = upload(built, personas["staff_a"], "adjustment_report", "调整报告")
    other = upload(built, personas["staff_a"], "other")
    with pytest.raises(InvalidInput):
        request(personas["staff_a"], built, {"03": "90000.00"}, report_document=str(other.pk))
    a = request(personas["staff_a"], built, {"03": "90000.00"}, report_document=str(report.pk))
    assert a.report_document_id == report.pk


def _xlsx(rows: list[list[Any]]) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["单项工程编码", "支出日期", "金额（元）", "凭证号", "备注"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("spending.xlsx", buffer.getvalue())


def test_spending_ledger_and_c36(built: Any, api: Any) -> None:
    url = reverse("api:expenditures", kwargs={"project_id": str(built.pk)})
    client = api("staff_a")
    ok = client.post(
        url,
        {"line": "03", "spent_on": "2026-10-01", "amount": "60000.00", "voucher": "记-1", "note": "预付"},
        format="json",
    )
    assert ok.status_code == 201, ok.content
    for bad in (
        {"line": "09", "spent_on": "2026-10-01", "amount": "1.00", "voucher": "记-2"},
        {"line": "03", "spent_on": "2026-12-01", "amount": "1.00", "voucher": "记-2"},
        {"line": "03", "spent_on": "2026-10-01", "amount": 1, "voucher": "记-2"},
        {"line": "03", "spent_on": "2026-10-01", "amount": "0.00", "voucher": "记-2"},
        {"line": "03", "spent_on": "2026/10/01", "amount": "1.00", "voucher": "记-2"},
    ):
        assert client.post(url, bad, format="json").status_code == 400, bad
    assert _compliance(built)["C3.6"].status == "pass"
    client.post(url, {"line": "03", "spent_on": "2026-10-02", "amount": "40000.01", "voucher": "记-3"}, format="json")
    c36 = _compliance(built)["C3.6"]
    assert (c36.status, c36.severity) == ("fail", "warning")
    assert "100,000.01" in c36.message_zh
    assert _compliance(built, dt.date(2026, 10, 1))["C3.6"].status == "pass"  # as of before the second payment
    execution = api("mof").get(reverse("api:budget-execution", kwargs={"project_id": str(built.pk)})).json()
    line3 = next(i for i in execution["items"] if i["code"] == "03")
    assert (line3["spent"], line3["execution_rate"]) == ("100000.01", "1.0000")
    assert execution["total_spent"] == "100000.01"


def test_xlsx_import_is_all_or_nothing(built: Any, api: Any) -> None:
    from egovpm.budgets.models import Expenditure

    url = reverse("api:expenditures-import", kwargs={"project_id": str(built.pk)})
    client = api("staff_a")
    bad = _xlsx(
        [
            ["01", "2026-09-01", "10000.00", "记-001", "首付"],
            ["09", "2026-09-02", "1.00", "记-002", ""],
            ["02", "2026-09-03", "1.001", "记-003", ""],
            ["02", "2026-13-03", "-5", "", ""],
        ]
    )
    response = client.post(url, {"file": bad}, format="multipart")
    assert response.status_code == 400
    rows = {r["row"]: r["errors"] for r in response.json()["details"]["rows"]}
    assert set(rows) == {3, 4, 5}
    assert "line" in rows[3] and "amount" in rows[4] and {"spent_on", "amount"} <= set(rows[5])
    assert Expenditure.objects.filter(project=built).count() == 0
    good = _xlsx(
        [
            ["01", dt.datetime(2026, 9, 1), 10000, "记-001", "首付"],
            ["02", "2026-09-02", "2500.50", "记-002", None],
            [None, None, None, None, None],
        ]
    )
    response = client.post(url, {"file": good}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["imported"] == 2
    assert sum(e.amount for e in Expenditure.objects.filter(project=built)) == D("12500.50")
    not_xlsx = client.post(url, {"file": io.BytesIO(b"not a workbook")}, format="multipart")
    assert not_xlsx.status_code == 400

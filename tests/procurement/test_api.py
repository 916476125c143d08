"""The procurement register over the API (domain.md §11.1, api.md "Procurement and delivery
modes"): recording, correcting and removing by the lead department, every bad input a 400 naming
its field with nothing changed, freezing at completion acceptance, the list's totals, the XLSX
import and template, and the delivery modes kept in step with the project's flags."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from conftest import advance
from egovpm.audit.models import AuditEvent
from egovpm.procurement import xlsx
from egovpm.procurement.models import DeliveryMode, Procurement

from .helpers import GOOD_CODE, GOOD_ROW, body, url, workbook

pytestmark = pytest.mark.django_db


def test_lead_department_records_and_lists_with_totals(api: Any, project: Any) -> None:
    r = api("staff_a").post(url(project), body(), format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["amount"] == "1200000.00" and r.json()["secure_controllable"] is True
    api("leader_a").post(
        url(project), body(amount="300000.50", secure_controllable=False, category="other"), format="json"
    )
    listing = api("ndrc").get(url(project)).json()
    assert listing["count"] == 2
    assert listing["totals"] == {"count": 2, "amount": "1500000.50", "count_secure": 1, "amount_secure": "1200000.00"}
    event = AuditEvent.objects.filter(action="procurement.add").latest("seq")
    assert event.new["subject"] == "数据库管理系统"
    # the tab reads the totals and the shares in one query: the same figures as the two reads
    from egovpm.procurement import selectors

    figures = selectors.project_figures(project=project)
    assert figures == (selectors.procurement_totals(project=project), selectors.project_shares(project=project))


BAD = [
    ("supplier_credit_code", "91350100M000100Y44"),  # wrong check character
    ("supplier_credit_code", "91350100M000100Y4"),  # 17 characters
    ("supplier_credit_code", "91350100M000100I43"),  # I is not in the alphabet
    ("category", "hardware"),
    ("method", "negotiated"),
    ("amount", 1200000),
    ("amount", "1.2e6"),
    ("amount", "-5.00"),
    ("amount", "100.001"),
    ("contract_date", "2026-11-21"),  # tomorrow in Beijing
    ("contract_date", "2026/03/15"),
    ("secure_controllable", "yes"),
    ("estimate_line", "X99"),
    ("subject", ""),
]


@pytest.mark.parametrize(("field", "value"), BAD)
def test_bad_input_names_its_field_and_records_nothing(api: Any, project: Any, field: str, value: Any) -> None:
    r = api("staff_a").post(url(project), body(**{field: value}), format="json")
    assert r.status_code == 400, r.json()
    assert field in r.json()["details"]
    assert not Procurement.objects.exists()


def test_secure_without_basis_is_refused(api: Any, project: Any) -> None:
    r = api("staff_a").post(url(project), body(secure_controllable_basis="  "), format="json")
    assert r.status_code == 400
    assert "secure_controllable_basis" in r.json()["details"]
    assert not Procurement.objects.exists()


def _document(api: Any, project: Any, category: str) -> str:
    r = api("staff_a").post(
        f"/api/v1/projects/{project.pk}/documents",
        {
            "file": SimpleUploadedFile("e.pdf", f"%PDF {category}".encode()),
            "stage": "draft",
            "category": category,
            "title": "证明",
        },
        format="multipart",
    )
    assert r.status_code == 201, r.json()
    return str(r.json()["id"])


def test_evidence_must_be_this_projects_secure_controllable_evidence(
    api: Any, project: Any, other_project: Any
) -> None:
    good = _document(api, project, "secure_controllable_evidence")
    wrong_category = _document(api, project, "contract")
    r = api("staff_b").post(
        f"/api/v1/projects/{other_project.pk}/documents",
        {
            "file": SimpleUploadedFile("o.pdf", b"%PDF other"),
            "stage": "draft",
            "category": "secure_controllable_evidence",
            "title": "x",
        },
        format="multipart",
    )
    foreign = str(r.json()["id"])
    for doc in (wrong_category, foreign, "not-a-uuid"):
        r = api("staff_a").post(url(project), body(evidence=doc), format="json")
        assert r.status_code == 400 and "evidence" in r.json()["details"], r.json()
    assert not Procurement.objects.exists()
    r = api("staff_a").post(url(project), body(evidence=good), format="json")
    assert r.status_code == 201 and r.json()["evidence"] == good


def test_correction_is_audited_with_old_and_new(api: Any, project: Any) -> None:
    pid = api("staff_a").post(url(project), body(), format="json").json()["id"]
    r = api("leader_a").patch(f"/api/v1/procurements/{pid}", {"amount": "1300000.00"}, format="json")
    assert r.status_code == 200 and r.json()["amount"] == "1300000.00"
    event = AuditEvent.objects.filter(action="procurement.set").latest("seq")
    assert event.old == {"amount": "1200000.00"} and event.new == {"amount": "1300000.00"}
    r = api("staff_a").patch(f"/api/v1/procurements/{pid}", {"secure_controllable_basis": ""}, format="json")
    assert r.status_code == 400 and "secure_controllable_basis" in r.json()["details"]
    assert Procurement.objects.get(pk=pid).secure_controllable_basis
    assert api("staff_a").delete(f"/api/v1/procurements/{pid}").status_code == 204
    assert not Procurement.objects.exists()
    assert AuditEvent.objects.filter(action="procurement.remove").latest("seq").old["amount"] == "1300000.00"


def test_other_department_does_not_see_and_readers_may_not_write(api: Any, project: Any) -> None:
    pid = api("staff_a").post(url(project), body(), format="json").json()["id"]
    assert api("staff_b").patch(f"/api/v1/procurements/{pid}", {"subject": "x"}, format="json").status_code == 404
    assert api("staff_b").post(url(project), body(), format="json").status_code == 404
    for persona in ("mof", "ndrc", "expert_assigned", "archivist_assigned", "inspector_assigned", "staff_p"):
        assert api(persona).post(url(project), body(), format="json").status_code == 403, persona
        assert api(persona).delete(f"/api/v1/procurements/{pid}").status_code == 403, persona
    assert Procurement.objects.count() == 1


def test_frozen_after_completion_acceptance(api: Any, project: Any, personas: dict[str, Any]) -> None:
    pid = api("staff_a").post(url(project), body(contract_date="2024-01-05"), format="json").json()["id"]
    advance(project, personas, "in_operation")
    before = list(Procurement.objects.values())
    r = api("staff_a").patch(f"/api/v1/procurements/{pid}", {"subject": "改"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "frozen"
    assert api("staff_a").delete(f"/api/v1/procurements/{pid}").status_code == 409
    assert api("staff_a").post(url(project), body(), format="json").status_code == 409
    f = workbook([GOOD_ROW])
    assert api("staff_a").post(url(project, "procurements/import"), {"file": f}, format="multipart").status_code == 409
    assert list(Procurement.objects.values()) == before


def test_import_good_file(api: Any, project: Any) -> None:
    rows = [
        GOOD_ROW,
        [],
        [
            "other",
            "single_source",
            "运维",
            250000,
            "某公司",
            GOOD_CODE,
            "HT-2",
            "2026-04-01",
            "",
            "否",
            "",
            "唯一供应商",
        ],
    ]
    r = api("staff_a").post(url(project, "procurements/import"), {"file": workbook(rows)}, format="multipart")
    assert r.status_code == 200, r.json()
    assert r.json() == {"created": 2}
    p = Procurement.objects.get(contract_no="HT-2")
    assert str(p.amount) == "250000.00" and p.method == "single_source" and not p.secure_controllable
    assert AuditEvent.objects.filter(action="procurement.import").exists()


def test_import_reports_every_error_of_every_bad_row_and_imports_nothing(api: Any, project: Any) -> None:
    bad3 = ["硬件", "公开招标", "", "12.345", "某公司", "91350100M000100Y44", "HT-3", "2099-01-01", "", "是", "", ""]
    bad5 = ["基础软件", "抽签", "x", "100.00", "某公司", GOOD_CODE, "HT-5", "2026-01-01", "L-9", "maybe", "", ""]
    rows = [GOOD_ROW, bad3, [None] * 12, bad5]
    r = api("staff_a").post(url(project, "procurements/import"), {"file": workbook(rows)}, format="multipart")
    assert r.status_code == 400, r.json()
    got = {row["row"]: set(row["errors"]) for row in r.json()["details"]["rows"]}
    assert got == {
        3: {"category", "subject", "amount", "supplier_credit_code", "contract_date", "secure_controllable_basis"},
        5: {"method", "estimate_line", "secure_controllable"},
    }
    assert not Procurement.objects.exists()


def test_oversized_and_non_xlsx_files_are_refused(api: Any, project: Any) -> None:
    big = io.BytesIO(b"PK" + b"\0" * (xlsx.MAX_BYTES + 1))
    big.name = "big.xlsx"
    r = api("staff_a").post(url(project, "procurements/import"), {"file": big}, format="multipart")
    assert r.status_code == 400 and "file" in r.json()["details"]
    junk = io.BytesIO(b"not a workbook")
    junk.name = "x.xlsx"
    r = api("staff_a").post(url(project, "procurements/import"), {"file": junk}, format="multipart")
    assert r.status_code == 400 and "file" in r.json()["details"]
    assert not Procurement.objects.exists()


def test_a_zip_bomb_is_refused_before_the_workbook_is_parsed(api: Any, project: Any, monkeypatch: Any) -> None:
    """The unpacked size is read from the zip directory: openpyxl never opens an oversized workbook."""
    monkeypatch.setattr(xlsx, "MAX_UNPACKED", 1000)  # a real workbook unpacks to more than this

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(xlsx, "load_workbook", never)
    r = api("staff_a").post(url(project, "procurements/import"), {"file": workbook([GOOD_ROW])}, format="multipart")
    assert r.status_code == 400 and "file" in r.json()["details"], r.json()
    assert not Procurement.objects.exists()


def test_blank_rows_and_slow_files_are_bounded_too(api: Any, project: Any, monkeypatch: Any) -> None:
    """Blank rows do not count toward the row limit but every cell looked at counts toward MAX_CELLS,
    and reading stops at MAX_SECONDS: a file of blank filler is refused, not read to its end."""
    monkeypatch.setattr(xlsx, "MAX_CELLS", 500)
    filler = [GOOD_ROW, *([[" "] * 12] * 100), GOOD_ROW]
    r = api("staff_a").post(url(project, "procurements/import"), {"file": workbook(filler)}, format="multipart")
    assert r.status_code == 400 and "file" in r.json()["details"], r.json()
    monkeypatch.setattr(xlsx, "MAX_CELLS", 200_000)
    monkeypatch.setattr(xlsx, "MAX_SECONDS", -1.0)  # already past the deadline at the first row
    r = api("staff_a").post(url(project, "procurements/import"), {"file": workbook([GOOD_ROW])}, format="multipart")
    assert r.status_code == 400 and "file" in r.json()["details"], r.json()
    assert not Procurement.objects.exists()


def test_too_many_rows_stops_early_but_blank_rows_do_not_count(api: Any, project: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    blank_heavy = [GOOD_ROW, *([[None] * 12] * 20), GOOD_ROW, GOOD_ROW]
    r = api("staff_a").post(url(project, "procurements/import"), {"file": workbook(blank_heavy)}, format="multipart")
    assert r.status_code == 200 and r.json() == {"created": 3}
    r = api("staff_a").post(url(project, "procurements/import"), {"file": workbook([GOOD_ROW] * 4)}, format="multipart")
    assert r.status_code == 400 and "file" in r.json()["details"]
    assert Procurement.objects.count() == 3


def test_template_round_trips(api: Any, project: Any) -> None:
    r = api("staff_a").get(url(project, "procurements/template"))
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == xlsx.HEADER
    content = io.BytesIO(r.content)
    content.name = "t.xlsx"
    r = api("staff_a").post(url(project, "procurements/import"), {"file": content}, format="multipart")
    assert r.status_code == 200 and r.json() == {"created": 1}


def test_delivery_modes_replace_and_keep_flags(api: Any, project: Any) -> None:
    modes = [
        {"mode": "service_outsourcing", "provider": "某服务公司", "scope": "运维", "contract_reference": "FW-1"},
        {"mode": "data_hosting", "provider": "某云", "scope": "数据托管"},
    ]
    r = api("staff_a").put(url(project, "delivery-modes"), {"modes": modes}, format="json")
    assert r.status_code == 200, r.json()
    project.refresh_from_db()
    assert project.service_outsourcing and project.data_hosting
    r = api("staff_a").put(url(project, "delivery-modes"), {"modes": modes[1:]}, format="json")
    project.refresh_from_db()
    assert not project.service_outsourcing and project.data_hosting
    assert list(DeliveryMode.objects.values_list("mode", flat=True)) == ["data_hosting"]
    r = api("staff_a").put(
        url(project, "delivery-modes"), {"modes": [{"mode": "cloud", "provider": "", "scope": "x"}]}, format="json"
    )
    assert r.status_code == 400
    assert set(r.json()["details"]) == {"modes[0].mode", "modes[0].provider"}
    assert DeliveryMode.objects.count() == 1
    assert api("mof").put(url(project, "delivery-modes"), {"modes": []}, format="json").status_code == 403


def test_shares_of_project_and_department(api: Any, project: Any) -> None:
    api("staff_a").post(url(project), body(amount="100.00"), format="json")
    api("staff_a").post(url(project), body(amount="300.00", secure_controllable=False), format="json")
    s = api("staff_a").get(url(project, "procurement-shares")).json()
    assert s["categories"]["basic_software"]["amount_share"] == "0.25"
    assert s["categories"]["basic_software"]["count_share"] == "0.5"
    assert s["categories"]["other"]["amount_share"] is None
    assert s["key_total"]["amount_total"] == "400.00"
    for persona, expected in (
        ("ndrc", 200),
        ("mof", 200),
        ("staff_a", 200),
        ("staff_b", 404),
        ("expert_assigned", 404),
    ):
        r = api(persona).get("/api/v1/departments/moa/procurement-shares")
        assert r.status_code == expected, persona
    assert api("ndrc").get("/api/v1/departments/moa/procurement-shares").json() == s
    assert api("ndrc").get("/api/v1/departments/nope/procurement-shares").status_code == 404

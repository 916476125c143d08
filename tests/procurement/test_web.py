"""The project tab 采购: the register with totals, the shares table and chart, the forms of the lead
department (none for readers, none once frozen — with the reason), refusals shown on the form, the
XLSX import with every row's errors, the template download and the delivery modes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import advance
from egovpm.procurement.models import DeliveryMode, Procurement

from .helpers import GOOD_CODE, GOOD_ROW, body, url, workbook

pytestmark = pytest.mark.django_db


def client_for(personas: dict[str, Any], name: str) -> Client:
    c = Client()
    c.force_login(personas[name])
    return c


def tab(project: Any) -> str:
    return f"/projects/{project.pk}/procurement/"


FORM = {
    "category": "basic_software",
    "method": "single_source",
    "subject": "数据库",
    "amount": "2000000.00",
    "supplier": "某公司",
    "supplier_credit_code": GOOD_CODE,
    "contract_no": "HT-9",
    "contract_date": "2026-02-01",
    "secure_controllable": "on",
    "secure_controllable_basis": "名录",
}


def test_lead_department_adds_and_sees_shares_and_c52(personas: dict[str, Any], project: Any) -> None:
    c = client_for(personas, "staff_a")
    html = c.get(tab(project)).content.decode()
    assert 'id="procurement-form"' in html and 'id="procurement-import"' in html
    r = c.post(f"/projects/{project.pk}/procurement/add/", FORM)
    assert r.status_code == 302
    html = c.get(tab(project)).content.decode()
    assert "数据库" in html and 'class="shares-chart"' in html and "procurement/shares.js" in html
    assert "1 / 1" in html  # one secure item of one
    assert "C5.2" in html


def test_refusal_is_shown_on_the_form_and_nothing_changes(personas: dict[str, Any], project: Any) -> None:
    c = client_for(personas, "staff_a")
    r = c.post(f"/projects/{project.pk}/procurement/add/", {**FORM, "supplier_credit_code": "91350100M000100Y44"})
    assert r.status_code == 400
    assert "GB 32100-2015" in r.content.decode() or "校验码" in r.content.decode()
    assert not Procurement.objects.exists()


def test_readers_get_no_forms(personas: dict[str, Any], project: Any) -> None:
    html = client_for(personas, "ndrc").get(tab(project)).content.decode()
    assert 'id="procurement-form"' not in html and 'id="delivery-modes-form"' not in html
    assert client_for(personas, "ndrc").post(f"/projects/{project.pk}/procurement/add/", FORM).status_code == 403


def test_frozen_tab_has_no_forms_and_says_why(api: Any, personas: dict[str, Any], project: Any) -> None:
    api("staff_a").post(url(project), body(contract_date="2024-01-05"), format="json")
    advance(project, personas, "in_operation")
    html = client_for(personas, "staff_a").get(tab(project)).content.decode()
    assert 'id="procurement-frozen"' in html
    assert 'id="procurement-form"' not in html and "web:procurement_delete" not in html
    assert "/delete/" not in html


def test_import_shows_every_row_error(personas: dict[str, Any], project: Any) -> None:
    c = client_for(personas, "staff_a")
    bad = ["硬件", "公开招标", "", "1.001", "某公司", GOOD_CODE, "HT-2", "2026-01-01", "", "是", "", ""]
    r = c.post(f"/projects/{project.pk}/procurement/import/", {"file": workbook([GOOD_ROW, bad])})
    assert r.status_code == 400
    html = r.content.decode()
    assert 'id="import-errors"' in html
    for field in ("category", "subject", "amount", "secure_controllable_basis"):
        assert field in html
    assert not Procurement.objects.exists()
    r = c.post(f"/projects/{project.pk}/procurement/import/", {"file": workbook([GOOD_ROW])})
    assert r.status_code == 302 and Procurement.objects.count() == 1


def test_template_and_delivery_modes(personas: dict[str, Any], project: Any) -> None:
    c = client_for(personas, "staff_a")
    r = c.get(f"/projects/{project.pk}/procurement/template.xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    r = c.post(
        f"/projects/{project.pk}/procurement/delivery-modes/",
        {"data_hosting_on": "on", "data_hosting_provider": "某云", "data_hosting_scope": "托管"},
    )
    assert r.status_code == 302
    assert list(DeliveryMode.objects.values_list("provider", flat=True)) == ["某云"]
    project.refresh_from_db()
    assert project.data_hosting and not project.service_outsourcing
    assert "某云" in c.get(tab(project)).content.decode()


def test_the_edit_form_shows_the_delivery_mode_flags_as_recorded_and_keeps_them(
    personas: dict[str, Any], project: Any
) -> None:
    """The project's edit form shows 服务外包/数据托管 read-only (they follow the recorded modes); a
    crafted POST cannot change them, and saving the other fields keeps them."""
    c = client_for(personas, "staff_a")
    c.post(
        f"/projects/{project.pk}/procurement/delivery-modes/",
        {"data_hosting_on": "on", "data_hosting_provider": "某云", "data_hosting_scope": "托管"},
    )
    html = c.get(f"/projects/{project.pk}/edit/").content.decode()
    hosting = html.split('name="data_hosting"')[1].split(">")[0]
    assert "disabled" in hosting and "checked" in hosting
    r = c.post(
        f"/projects/{project.pk}/edit/",
        {"name": "改名后的项目", "service_outsourcing": "on"},
    )
    assert r.status_code == 302, r.content.decode()[:500]
    project.refresh_from_db()
    assert project.name == "改名后的项目"
    assert project.data_hosting and not project.service_outsourcing


def test_the_archives_tab_shows_the_shares_beside_the_completion_acceptance(
    api: Any, personas: dict[str, Any], project: Any
) -> None:
    """Clause 5: NDRC checks 自主可控 at completion acceptance — the archives tab, where the
    acceptance is recorded, shows the project's shares (table and chart) from the acceptance stage
    on, and not before."""
    api("staff_a").post(url(project), body(contract_date="2024-01-05", amount="300.00"), format="json")
    api("staff_a").post(
        url(project), body(contract_date="2024-01-06", amount="100.00", secure_controllable=False), format="json"
    )
    archives = f"/projects/{project.pk}/archives/"
    assert 'id="completion-procurement-shares"' not in client_for(personas, "ndrc").get(archives).content.decode()
    advance(project, personas, "acceptance")
    for who in ("ndrc", "staff_a"):
        html = client_for(personas, who).get(archives).content.decode()
        part = html.split('id="completion-procurement-shares"')[1].split("</section>")[0]
        assert "0.75" in part and "1 / 2" in part and 'class="shares-chart"' in part
        assert tab(project) in part  # a link to the register


def test_an_import_by_someone_who_may_not_record_is_refused_before_the_file_is_read(
    personas: dict[str, Any], project: Any, monkeypatch: Any
) -> None:
    """MoF and the participating department read the project but do not record procurements: 403,
    and the workbook is never opened (parsing costs CPU); another department's staff get 404."""
    from egovpm.procurement import xlsx

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the workbook was read before the role was checked")

    monkeypatch.setattr(xlsx, "read_procurements", never)
    for persona, status in (("mof", 403), ("staff_p", 403), ("staff_b", 404)):
        c = client_for(personas, persona)
        r = c.post(f"/projects/{project.pk}/procurement/import/", {"file": workbook([GOOD_ROW])})
        assert r.status_code == status, persona
    assert not Procurement.objects.exists()

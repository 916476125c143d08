"""Demo records of the procurement app (idempotent, called from egovpm.demo): procurements of three
demo projects — some 自主可控, one single-source contract at or above the threshold without a
reason (C5.2 warns), one with a reason — and delivery modes on two projects."""

from __future__ import annotations

from typing import Any

from egovpm.accounts.models import User
from egovpm.procurement import services
from egovpm.procurement.credit_code import check_character
from egovpm.procurement.models import Procurement
from egovpm.projects.models import Project


def _code(body: str) -> str:
    """A synthetic 统一社会信用代码 with its GB 32100-2015 check character (DEMO ONLY)."""
    return body + check_character(body)


SECURE_BASIS = "列入安全可靠测评结果名录（演示）"

# (category, method, subject, amount, supplier, 17 characters of its code, contract no., date, 自主可控, reason)
ROWS: dict[str, list[tuple[str, str, str, str, str, str, str, str, bool, str]]] = {
    "2022-000000-11-01-000001": [
        ("info_security_equipment", "open_tender", "下一代防火墙及入侵防御设备", "1850000.00",
         "演示网络安全股份有限公司", "91110108MA01DEMA1", "HT-2022-011", "2022-09-15", True, ""),
        ("basic_software", "single_source", "国产关系型数据库管理系统", "2600000.00",
         "演示数据库软件有限公司", "91310115MA1KDEMA2", "HT-2022-014", "2022-10-20", True,
         "原厂唯一授权产品，经财政部门批准采用单一来源方式（演示）"),
        ("application_software", "competitive_consultation", "业务协同应用系统定制开发", "1200000.00",
         "演示信息技术有限公司", "91440300MA5GDEMA3", "HT-2023-002", "2023-02-08", False, ""),
        ("core_network_equipment", "open_tender", "核心交换机及路由设备", "3200000.00",
         "演示通信设备有限公司", "91320000MA1MDEMA4", "HT-2022-019", "2022-11-30", False, ""),
    ],
    "2021-000000-12-01-000001": [
        ("system_software", "inquiry", "服务器操作系统", "450000.00",
         "演示操作系统有限公司", "91120116MA06DEMA5", "HT-2021-031", "2021-09-10", True, ""),
        ("other", "single_source", "机房配套改造工程", "2300000.00",
         "演示建设工程有限公司", "91110105MA00DEMA6", "HT-2021-035", "2021-10-18", False, ""),
        ("application_software", "open_tender", "统一身份认证与门户系统", "1500000.00",
         "演示软件股份有限公司", "91330100MA2ADEMA7", "HT-2021-040", "2021-11-05", True, ""),
    ],
    "2020-000000-14-01-000001": [
        ("basic_software", "competitive_negotiation", "应用中间件", "900000.00",
         "演示中间件有限公司", "91110302MA01DEMA8", "HT-2020-008", "2020-07-01", True, ""),
    ],
}  # fmt: skip


def _procurement(row: tuple[str, str, str, str, str, str, str, str, bool, str]) -> dict[str, Any]:
    category, method, subject, amount, supplier, code, contract_no, day, secure, reason = row
    return {
        "category": category,
        "method": method,
        "subject": subject,
        "amount": amount,
        "supplier": supplier,
        "supplier_credit_code": _code(code),
        "contract_no": contract_no,
        "contract_date": day,
        "secure_controllable": secure,
        "secure_controllable_basis": SECURE_BASIS if secure else "",
        "non_tender_reason": reason,
    }


PROCUREMENTS: dict[str, list[dict[str, Any]]] = {code: [_procurement(r) for r in rows] for code, rows in ROWS.items()}


def _mode(mode: str, provider: str, scope: str, reference: str) -> dict[str, str]:
    return {"mode": mode, "provider": provider, "scope": scope, "contract_reference": reference}


MODES: dict[str, list[dict[str, str]]] = {
    "2022-000000-11-01-000001": [
        _mode("service_outsourcing", "演示运维服务有限公司", "系统运行维护和安全值守", "FW-2023-001"),
        _mode("data_hosting", "演示政务云服务商", "业务数据在政务云托管", "TG-2023-002"),
    ],
    "2021-000000-12-01-000001": [_mode("data_hosting", "演示政务云服务商", "门户数据托管", "TG-2021-009")],
}


def _lead_user(project: Project) -> User | None:
    users = User.objects.filter(department_id=project.lead_department_id, is_active=True, roles__role="dept_staff")
    return users.order_by("pk").first()


def load() -> None:
    for code, rows in PROCUREMENTS.items():
        project = Project.objects.filter(code=code).first()
        actor = _lead_user(project) if project is not None else None
        if project is None or actor is None or Procurement.objects.filter(project=project).exists():
            continue
        for data in rows:
            services.procurement_create(actor=actor, project_id=project.pk, data=data)
    for project in Project.objects.filter(code__in=_demo_codes()).order_by("code"):
        actor = _lead_user(project)
        if actor is None or project.delivery_modes.exists():
            continue
        # the two curated projects, and every other demo project whose flags say so (the cockpit
        # counts recorded modes: a flag without its mode would count nowhere)
        modes = MODES.get(project.code) or [
            _mode(kind, "演示服务提供商", "演示范围", "")
            for kind in ("service_outsourcing", "data_hosting")
            if getattr(project, kind)
        ]
        if modes:
            services.delivery_modes_set(actor=actor, project_id=project.pk, modes=modes)


def _demo_codes() -> set[str]:
    from egovpm.demo import PROJECTS

    return {p[0] for p in PROJECTS}

"""The synthetic portfolio's procurements and delivery modes (egovpm seed-synthetic; ops/synthetic.py):
a builder registered in ops.synthetic_records.EXTRA_BUILDERS from this app's ready(). Seeded by the
context's random generator, so the portfolio stays deterministic."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from egovpm.procurement.choices import Category, DeliveryModeKind, Method
from egovpm.procurement.credit_code import ALPHABET, check_character
from egovpm.procurement.models import DeliveryMode, Procurement
from egovpm.projects.choices import Action

SUBJECTS = {
    Category.INFO_SECURITY_EQUIPMENT: "安全防护设备",
    Category.CORE_NETWORK_EQUIPMENT: "核心网络设备",
    Category.BASIC_SOFTWARE: "数据库与中间件",
    Category.SYSTEM_SOFTWARE: "服务器操作系统",
    Category.APPLICATION_SOFTWARE: "业务应用系统开发",
    Category.OTHER: "机房配套工程",
}


def _credit_code(rng: Any) -> str:
    body = "91" + "".join(rng.choice("0123456789") for _ in range(6)) + "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + check_character(body)


def build_procurement(ctx: Any, b: Any) -> None:
    """0–4 procurements from the preliminary design's approval on (half of them 自主可控; now and
    then a large single-source contract without a reason), and delivery modes matching the
    project's flags."""
    started = b.plan.day_of(Action.APPROVE_PRELIMINARY_DESIGN)
    if started is not None:
        for i in range(ctx.rng.randint(0, 4)):
            day = ctx.between(started, ctx.end)
            category = ctx.rng.choice(Category.values)
            secure = ctx.rng.random() < 0.5
            method = ctx.rng.choice(Method.values)
            ctx.add(
                Procurement,
                project=b.project,
                category=category,
                method=method,
                subject=SUBJECTS[Category(category)],
                amount=Decimal(ctx.rng.randint(5_000_000, 500_000_000)) / 100,
                supplier=f"合成供应商{ctx.rng.randint(1, 500)}有限公司",
                supplier_credit_code=_credit_code(ctx.rng),
                contract_no=f"HT-{b.project.code[:4]}-{i + 1:03d}",
                contract_date=day,
                secure_controllable=secure,
                secure_controllable_basis="列入安全可靠测评结果名录" if secure else "",
                non_tender_reason="" if ctx.rng.random() < 0.7 else "唯一供应商",
                created_at=ctx.at(day, 11),
                created_by=b.staff,
                updated_at=ctx.at(day, 11),
                updated_by=b.staff,
            )
    for position, kind in enumerate(k for k in DeliveryModeKind.values if b.project.get(k)):
        ctx.add(
            DeliveryMode,
            project=b.project,
            mode=kind,
            provider="合成服务提供商有限公司",
            scope="系统运维" if kind == DeliveryModeKind.SERVICE_OUTSOURCING else "数据托管",
            contract_reference="",
            position=position,
        )


def register() -> None:
    from egovpm.ops import synthetic, synthetic_records

    if build_procurement not in synthetic_records.EXTRA_BUILDERS:
        synthetic_records.EXTRA_BUILDERS.append(build_procurement)
    for model in (Procurement, DeliveryMode):
        if model not in synthetic.INSERT_ORDER:
            synthetic.INSERT_ORDER.append(model)

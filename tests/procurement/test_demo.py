"""The demo's procurements (issue 11 item 6): some 自主可控, a single-source contract at or above
the threshold without a reason (C5.2 warns) and one with a reason, delivery modes on two projects
kept in step with the projects' flags; loading twice adds nothing."""

from __future__ import annotations

from typing import Any

import pytest

from egovpm.procurement.models import DeliveryMode, Procurement

pytestmark = pytest.mark.django_db


def test_demo_procurements_and_modes(settings: Any, tmp_path: Any) -> None:
    from egovpm import demo
    from egovpm.projects.models import Project
    from egovpm.projects.selectors import project_compliance

    settings.EGOVPM_MEDIA_ROOT = str(tmp_path)
    demo.load()
    count = Procurement.objects.count()
    assert count == 8 and Procurement.objects.filter(secure_controllable=True).count() == 5
    assert Procurement.objects.filter(method="single_source", non_tender_reason="").exists()
    assert Procurement.objects.filter(method="single_source").exclude(non_tender_reason="").exists()
    trial = Project.objects.get(code="2021-000000-12-01-000001")
    results = {r.rule: r for r in project_compliance(project=trial, language="zh")["results"]}
    assert results["C5.2"].status == "fail" and "机房配套改造工程" in results["C5.2"].message_zh
    assert results["C5.1"].status == "pass"
    assert "演示政务云服务商" in results["C11.1"].message_zh
    assert {"2022-000000-11-01-000001", "2021-000000-12-01-000001"} <= {
        p.code for p in Project.objects.filter(delivery_modes__isnull=False)
    }
    for p in Project.objects.all():  # the flags and the recorded modes agree
        kinds = set(p.delivery_modes.values_list("mode", flat=True))
        assert ("service_outsourcing" in kinds, "data_hosting" in kinds) == (p.service_outsourcing, p.data_hosting)
    trial.refresh_from_db()
    assert trial.data_hosting and not trial.service_outsourcing
    modes = DeliveryMode.objects.count()
    demo.load()
    assert Procurement.objects.count() == count and DeliveryMode.objects.count() == modes

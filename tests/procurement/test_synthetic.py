"""The synthetic portfolio (egovpm seed-synthetic) carries procurements with valid credit codes,
dated within the projects' construction, and delivery modes matching the projects' flags."""

from __future__ import annotations

import pytest

from egovpm.procurement.credit_code import is_valid
from egovpm.procurement.models import DeliveryMode, Procurement

pytestmark = pytest.mark.django_db


def test_seeded_procurements_and_modes() -> None:
    from egovpm.audit.services import current_channel
    from egovpm.ops.synthetic import seed
    from egovpm.projects.models import Project

    token = current_channel.set("test")
    try:
        seed(projects=60, seed=11, password="Synthetic-Passw0rd-2026")
    finally:
        current_channel.reset(token)
    assert Procurement.objects.count() > 0
    assert all(is_valid(code) for code in Procurement.objects.values_list("supplier_credit_code", flat=True))
    assert not Procurement.objects.filter(secure_controllable=True, secure_controllable_basis="").exists()
    flagged = set(Project.objects.filter(data_hosting=True).values_list("pk", flat=True))
    assert flagged == set(DeliveryMode.objects.filter(mode="data_hosting").values_list("project_id", flat=True))

"""The cockpit counts projects by recorded delivery mode (domain.md §11.2, §13) — the DeliveryMode
rows, not a project flag edited on its own — today and on a past date; and its procurement_shares
figure is the shares over the caller's projects (issue 11 item 4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import make_project

from .helpers import body, url

pytestmark = pytest.mark.django_db


def test_delivery_modes_and_shares_in_the_summary(api: Any, personas: dict[str, Any], clock: Any) -> None:
    from django.core.cache import cache

    from conftest import NOW
    from egovpm.portfolio.selectors import summary

    modes = [
        {"mode": "service_outsourcing", "provider": "某服务公司", "scope": "运维"},
        {"mode": "data_hosting", "provider": "某云", "scope": "托管"},
    ]
    clock.set_now(dt.datetime(2026, 10, 1, 2, 0, tzinfo=dt.UTC))  # recorded before the past date asked
    project = make_project(personas["staff_a"], name="记录了模式的项目")
    assert api("staff_a").put(url(project, "delivery-modes"), {"modes": modes}, format="json").status_code == 200
    # declared when created, no mode recorded: the cockpit counts recorded modes only
    make_project(personas["staff_a"], name="只勾选了标志的项目", data_hosting=True)
    api("staff_a").post(url(project), body(amount="100.00"), format="json")
    api("staff_a").post(url(project), body(amount="300.00", secure_controllable=False), format="json")
    clock.set_now(NOW)
    for as_of in (None, dt.date(2026, 11, 19)):
        cache.clear()
        data = summary(user=personas["ndrc"], as_of=as_of)
        assert data["delivery_modes"] == {"service_outsourcing": 1, "data_hosting": 1}, as_of
    cache.clear()
    shares = summary(user=personas["ndrc"])["procurement_shares"]
    assert shares["categories"]["basic_software"]["amount_share"] == "0.25"
    assert shares["key_total"]["count_share"] == "0.5"
    past = summary(user=personas["ndrc"], as_of=dt.date(2026, 3, 14))["procurement_shares"]  # before the contracts
    assert past["key_total"]["count_total"] == 0 and past["key_total"]["amount_share"] is None

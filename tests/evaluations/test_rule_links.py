"""C8.1 and C8.2 lead to the tabs holding their records (issue 12 item 6): where a blocked or
failing rule is fixed."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("rule", "tab"), [("C8.1", "inspections"), ("C8.2", "evaluations")])
def test_the_rule_links_to_its_tab(operating: Any, rule: str, tab: str) -> None:
    from django.urls import reverse

    from egovpm.projects.page import fix_link

    url, _label = fix_link(operating, rule, may_edit=True)
    assert url.startswith(reverse(f"web:project_{tab}", kwargs={"pk": operating.pk}))

"""待办's stage actions (projects.selectors.inbox_projects, bounded for issue 13): the query on the
stages the user's roles may act on selects exactly the projects where policies.may_act allows a
forward move, for every demo user; the list is bounded and the count is exact."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def _by_python(user: Any) -> dict[Any, list[str]]:
    """What 待办 listed before: every project in scope, checked one by one."""
    from egovpm.projects import policies
    from egovpm.projects.choices import TRANSITIONS

    out = {}
    for project in policies.restrict(user):
        actions = [
            a
            for a, t in TRANSITIONS.items()
            if a not in ("return", "cancel") and project.stage in t.sources and policies.may_act(user, project, a)
        ]
        if actions:
            out[project.pk] = actions
    return out


def test_the_inbox_query_selects_what_may_act_allows_for_every_demo_user() -> None:
    from egovpm import demo
    from egovpm.accounts.models import User
    from egovpm.projects import selectors
    from egovpm.projects.models import Project

    demo.load()
    Project.objects.filter(code="2020-000000-14-01-000001").update(completion_entrusted=True)
    seen_any = False
    for user in User.objects.all():
        expected = _by_python(user)
        got = {p.pk: actions for p, actions in selectors.inbox_projects(user=user, limit=None)}
        assert got == expected, user.username
        assert selectors.inbox_projects_count(user=user) == len(expected), user.username
        bounded = selectors.inbox_projects(user=user, limit=1)
        assert len(bounded) == min(1, len(expected))
        seen_any = seen_any or len(expected) > 1
    assert seen_any, "some demo user has several projects waiting"

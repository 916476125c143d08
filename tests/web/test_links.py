"""web/links.pk_url: the links of long lists, reversed once per URL name, are the very strings
reverse() gives — under another script prefix (a deployment below a path) too."""

from __future__ import annotations

import uuid

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix

from egovpm.web.links import pk_url

NAMES = ("web:project_detail", "web:project_budgets", "web:project_reports")


@pytest.mark.parametrize("name", NAMES)
def test_pk_url_is_reverse(name: str) -> None:
    for pk in (uuid.uuid4(), uuid.UUID(int=0), uuid.UUID(int=2**128 - 1)):
        assert pk_url(name, pk) == reverse(name, kwargs={"pk": pk})


def test_pk_url_follows_the_script_prefix() -> None:
    pk = uuid.uuid4()
    plain = pk_url("web:project_detail", pk)
    try:
        set_script_prefix("/egovpm/")
        assert pk_url("web:project_detail", pk) == reverse("web:project_detail", kwargs={"pk": pk})
        assert pk_url("web:project_detail", pk) == "/egovpm" + plain
    finally:
        set_script_prefix("/")
    assert pk_url("web:project_detail", pk) == plain


def test_pk_url_refuses_what_reverse_refuses() -> None:
    """Not a UUID: reverse() itself answers, and refuses a value the route does not take."""
    with pytest.raises(NoReverseMatch):
        pk_url("web:project_detail", "not-a-uuid")


def test_the_template_filter() -> None:
    pk = uuid.uuid4()
    html = engines["django"].from_string("{% load egovpm_ui %}{{ pk|pk_url:'web:project_detail' }}").render({"pk": pk})
    assert html == reverse("web:project_detail", kwargs={"pk": pk})

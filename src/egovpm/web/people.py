"""Choosing people by name (issue 15 item 4): a search over the users an NDRC officer may assign
(`GET /people/search/?role=archivist&q=林` → an htmx fragment of <option>s for a <datalist>), and a
form field that takes what was chosen — the person's "name（department）" as listed, a user id, or,
for compatibility, an exact login name — and hands the service the login name it expects.

Only NDRC assigns people, so only NDRC searches: anyone else gets 403 and learns nothing about the
users. A search costs two queries, whatever the number of people.

Lists of people to tick (the experts NDRC names for a panel, an inspection's inspectors) use
`PeopleMultipleField` and the include `web/_people_picker.html`: the checkboxes read "name（department）
· role" and a search box above them narrows the list (`GET /people/choices/<source>/?field=…&q=…`,
htmx) while keeping the ticked people. A *source* is registered by the app that owns the list
(`register_people_source`): who may be chosen and who may choose (anyone else: 403)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egovpm.accounts.models import User, UserRole
from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.core.roles import Role
from egovpm.web.templatetags.egovpm_ui import role_label

ASSIGNABLE_ROLES = (Role.ARCHIVIST.value, Role.INSPECTOR.value, Role.EXPERT.value)
MAX_RESULTS = 20


@dataclass(frozen=True)
class Person:
    username: str
    name: str
    department: str
    roles: tuple[str, ...]

    @property
    def choice(self) -> str:
        """What the picker puts in the field: the name and the department, never the login name."""
        return f"{self.name}（{self.department}）" if self.department else self.name

    @property
    def detail(self) -> str:
        return "、".join(role_label(r) for r in self.roles)


def may_search_people(user: User) -> bool:
    return bool(user.is_authenticated and user.has_role(Role.NDRC_OFFICER))


def matching(qs: QuerySet[User], q: str) -> QuerySet[User]:
    """`qs` narrowed to the people whose name, login name, department or role (its label) holds `q`."""
    q = q.strip()
    if not q:
        return qs
    roles = [r.value for r in Role if q in role_label(r.value)]
    return qs.filter(
        Q(display_name__icontains=q)
        | Q(username__icontains=q)
        | Q(department__name__icontains=q)
        | Q(roles__role__in=roles)
    ).distinct()


def people_of(users: list[User], roles: tuple[str, ...] | None = None) -> list[Person]:
    """`users` (with their departments loaded) as Persons with their roles — one query, whatever the
    number of people; `roles` limits the roles named."""
    role_rows = (
        {
            (r["user_id"], r["role"])
            for r in UserRole.objects.filter(user__in=[u.pk for u in users]).values("user_id", "role")
        }
        if users
        else set()
    )
    return [
        Person(
            username=u.username,
            name=u.label(),
            department=u.department.name if u.department else "",
            roles=tuple(sorted(r for (uid, r) in role_rows if uid == u.pk and (roles is None or r in roles))),
        )
        for u in users
    ]


def assignable_people(
    *, roles: tuple[str, ...] = ASSIGNABLE_ROLES, q: str = "", limit: int | None = None
) -> list[Person]:
    """Active users holding one of `roles`, matched by name, login name, department or role
    (two queries: the people, then their roles)."""
    qs = User.objects.filter(is_active=True, roles__role__in=roles).select_related("department").distinct()
    qs = matching(qs, q).order_by("display_name", "username")
    return people_of(list(qs[:limit] if limit else qs), roles)


def resolve_person(value: str, people: list[Person]) -> str | None:
    """The login name behind what was typed or chosen: the listed choice, an exact login name, or a
    name only one listed person has. None when nothing (or more than one) matches."""
    value = value.strip()
    for p in people:
        if value in (p.choice, p.username):
            return p.username
    by_name = [p for p in people if p.name == value]
    return by_name[0].username if len(by_name) == 1 else None


class PersonField(forms.CharField):
    """A text field with the picker's datalist; `clean` gives the chosen person's login name.
    Unknown input is passed on unchanged so the service answers with its own reason (用户不存在)."""

    def __init__(self, *, role: str = "", datalist_id: str = "people-options", **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 150)
        kwargs.setdefault("help_text", gettext_lazy("Type a name or a department and choose the person from the list."))
        super().__init__(**kwargs)
        self.role = role
        self.datalist_id = datalist_id
        url = reverse_lazy("web:people_search")
        self.widget.attrs.update(
            {
                "list": datalist_id,
                "autocomplete": "off",
                "hx-get": format_lazy("{}?role={}", url, role),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": f"#{datalist_id}",
                "hx-swap": "innerHTML",
            }
        )

    def clean(self, value: object) -> str:
        text = str(super().clean(value)).strip()
        if not text:
            return text
        roles = (self.role,) if self.role in ASSIGNABLE_ROLES else ASSIGNABLE_ROLES
        people = assignable_people(roles=roles)  # only when a form is submitted: one query
        if text.isdigit():
            by_id = User.objects.filter(pk=int(text)).values_list("username", flat=True).first()
            if by_id and any(p.username == by_id for p in people):
                return by_id
        return resolve_person(text, people) or text


@login_required
def people_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The picker's options for the signed-in NDRC officer: `role` (one of the assignable roles,
    optional) and `q` (name, login name or department). Others: 403."""
    if not may_search_people(request.user):
        raise PermissionDenied(_("Only NDRC assigns people."))
    role = request.GET.get("role", "")
    roles = (role,) if role in ASSIGNABLE_ROLES else ASSIGNABLE_ROLES
    # htmx sends the input under the form field's own name
    q = next((str(v) for k, v in request.GET.items() if k != "role" and v), "")
    people = assignable_people(roles=roles, q=q[:100], limit=MAX_RESULTS)
    return render(request, "web/_people_options.html", {"people": people})


# ---------------------------------------------------------------- lists of people to tick


@dataclass(frozen=True)
class PeopleSource:
    """Who may be chosen (`users`: active users, any order) and who may choose (`may_choose`);
    `roles` are the roles named beside each person."""

    users: Callable[[], QuerySet[User]]
    may_choose: Callable[[User], bool]
    roles: tuple[str, ...] | None = None


PEOPLE_SOURCES: dict[str, PeopleSource] = {}


def register_people_source(key: str, source: PeopleSource) -> None:
    """Called from an app's ready(): the list `key` of people to tick (web/_people_picker.html)."""
    PEOPLE_SOURCES[key] = source


def _source_people(source: PeopleSource, *, q: str = "", keep: list[str] | None = None) -> list[Person]:
    """The people of `source`: all of them, or those matching `q` (at most MAX_RESULTS) after the
    ones in `keep` (ticked already) — at most three queries."""
    base = source.users().select_related("department").order_by("display_name", "username")
    if not q.strip():
        return people_of(list(base), source.roles)
    kept = list(base.filter(username__in=keep)) if keep else []
    found = list(matching(base, q).exclude(username__in=[u.username for u in kept])[:MAX_RESULTS])
    return people_of(kept + found, source.roles)


class PeopleMultipleField(forms.MultipleChoiceField):
    """Tick people of a registered source; the values are their login names (never shown). Render it
    with `{% include "web/_people_picker.html" with field=form.<name> %}`."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, source: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source = source
        self.people: list[Person] = []

    def load(self, people: list[Person] | None = None) -> None:
        """The people to list (the source's, by default): the choices the form accepts."""
        self.people = _source_people(PEOPLE_SOURCES[self.source]) if people is None else people
        self.choices = [(p.username, p.choice) for p in self.people]


@login_required
def people_choices(request: AuthenticatedHttpRequest, source: str) -> HttpResponse:
    """The checkboxes of a list of people narrowed by `q`, the ticked ones kept (htmx). Only who may
    choose from the list searches it: anyone else 403; an unknown list 404."""
    found = PEOPLE_SOURCES.get(source)
    if found is None:
        raise Http404(source)
    if not found.may_choose(request.user):
        raise PermissionDenied(_("You do not choose these people."))
    field = request.GET.get("field", "")
    if not field.isidentifier():
        raise Http404(field)
    ticked = [v[:150] for v in request.GET.getlist(field)][: MAX_RESULTS * 5]
    people = _source_people(found, q=request.GET.get("q", "")[:100], keep=ticked)
    return render(request, "web/_people_checkboxes.html", {"people": people, "name": field, "ticked": ticked})

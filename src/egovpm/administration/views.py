"""The administrators' pages (三员分立, domain.md §14): each administrator lands on the page of
their work (web.registry.home_url, registered in administration/apps.py) and their navigation shows only
their duties. Views shape the input and call accounts/admin_services.py, which checks the role
(403) and writes through accounts/services.py; refusals are put back on the form."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egovpm.accounts import admin_selectors, admin_services, policy, services
from egovpm.accounts.choices import ADMIN_ROLES, Role
from egovpm.accounts.models import Department, User
from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.administration.filters import AccountFilter, DepartmentFilter
from egovpm.administration.forms import (
    DepartmentEditForm,
    DepartmentForm,
    PasswordChangeForm,
    PasswordResetForm,
    PolicyForm,
    RolesForm,
    UserCreateForm,
    UserEditForm,
)
from egovpm.audit import services as audit_services
from egovpm.audit.actions import AuditAction
from egovpm.audit.policies import can_read_audit_log
from egovpm.core import lists
from egovpm.core.errors import DomainError
from egovpm.web import errors as web_errors
from egovpm.web import registry
from egovpm.web.frame import domain_errors

PAGE_SIZE = 50

View = Callable[..., HttpResponseBase]


def admin_page(role: Role) -> Callable[[View], View]:
    """Signed in (else the login page) and holding `role` (else 403): the page of one administrator."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.has_role(role):
                raise PermissionDenied(_("This page belongs to another administrator (三员分立)."))
            return view(request, *args, **kwargs)

        return login_required(domain_errors(wrapper))

    return decorate


# The lists' sortable columns (core/lists.py, ADR 0018) and their default orders.
ACCOUNT_SORTS: dict[str, tuple[str, ...]] = {
    "username": ("username",),
    "name": ("display_name",),
    "department": ("department__name",),
    "status": ("is_active",),
}
ACCOUNT_ORDER = ("username",)
DEPARTMENT_SORTS: dict[str, tuple[str, ...]] = {
    "code": ("code",),
    "name": ("name",),
    "kind": ("kind",),
    "accounts": ("user_count",),
}
DEPARTMENT_ORDER = ("code",)
LOCKED_SORTS: dict[str, tuple[str, ...]] = {"username": ("username",), "until": ("until",)}


def _listed(
    request: AuthenticatedHttpRequest, filters: Any, sorts: dict[str, tuple[str, ...]], default: tuple[str, ...]
) -> tuple[Any, dict[str, Any]]:
    """The FilterSet's rows (a refused value: a 400 naming it) in the header's sort, and the
    template's `search` form, `sort` and `sorts` (the header links)."""
    sort = lists.sort_param(request.GET.get("sort"), sorts)
    rows = lists.sorted_by(lists.filtered(filters), sort, sorts, default)
    return rows, {"search": filters.form, "sort": sort, "sorts": lists.sort_links(request, sorts, sort)}


def _page(request: AuthenticatedHttpRequest, rows: Any) -> tuple[Any, str]:
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def _refused(form: forms.Form, error: DomainError) -> None:
    web_errors.attach(form, error, get_language() or "zh-hans")


def _submit(
    request: AuthenticatedHttpRequest, form: forms.Form, act: Callable[[dict[str, Any]], str], done: str
) -> tuple[HttpResponse | None, int]:
    """A form's POST: when valid, `act(cleaned_data)` writes through a service and returns the
    success message, and the answer is a redirect to `done`; a refusal goes back on the form with
    its status (what was typed kept). A GET: (None, 200)."""
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 400
    try:
        text = act(form.cleaned_data)
    except DomainError as e:
        _refused(form, e)
        return None, e.status
    messages.success(request, text)
    return redirect(done), 200


# --- sys_admin: departments ----------------------------------------------------------------------


@admin_page(Role.SYS_ADMIN)
def departments(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DepartmentForm(request.POST or None)

    def add(data: dict[str, Any]) -> str:
        d = admin_services.department_create(actor=request.user, **data)
        return _("Department %(name)s added.") % {"name": d.name}

    done, status = _submit(request, form, add, "web:admin_departments")
    if done is not None:
        return done
    filters = DepartmentFilter(request.GET, queryset=admin_selectors.departments())
    rows, listing = _listed(request, filters, DEPARTMENT_SORTS, DEPARTMENT_ORDER)
    page, query = _page(request, rows)
    context = {**listing, "form": form, "page": page, "query": query}
    return render(request, "administration/departments.html", context, status=status)


@admin_page(Role.SYS_ADMIN)
def department_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise Http404()
    initial = {f: getattr(department, f) for f in ("name", "kind", "division_code", "number")}
    form = DepartmentEditForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> str:
        admin_services.department_change(actor=request.user, code=code, **data)
        return _("Department %(code)s saved.") % {"code": code}

    done, status = _submit(request, form, save, "web:admin_departments")
    if done is not None:
        return done
    return render(
        request, "administration/department_edit.html", {"department": department, "form": form}, status=status
    )


# --- sys_admin: accounts -------------------------------------------------------------------------


def _account_rows(request: AuthenticatedHttpRequest) -> tuple[Any, dict[str, Any]]:
    """The accounts of the 用户 and 角色 pages: AccountFilter (search, department, role, status),
    sorted by a header (ACCOUNT_SORTS), roles prefetched."""
    return _listed(
        request, AccountFilter(request.GET, queryset=admin_selectors.accounts()), ACCOUNT_SORTS, ACCOUNT_ORDER
    )


def _with_roles(page: Any) -> list[tuple[User, list[Any]]]:
    return [(u, [Role(r).label for r in admin_selectors.role_values(u) if r in Role.values]) for u in page.object_list]


@admin_page(Role.SYS_ADMIN)
def users(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows, listing = _account_rows(request)
    if request.GET.get("export") == "xlsx":
        return _accounts_export(rows)
    page, query = _page(request, rows)
    context = {
        **listing,
        "page": page,
        "rows": _with_roles(page),
        "query": query,
        "export_url": lists.export_url(request),
    }
    return render(request, "administration/users.html", context)


def _accounts_export(rows: Any) -> HttpResponse:
    """The 用户 list as XLSX: the filtered, sorted accounts (lists.EXPORT_LIMIT). No business data;
    not audited, as no other list export is (the audit log records changes, not reads)."""
    header = [_("Username"), _("Full name"), _("Department"), _("Roles"), _("Status")]
    cells = (
        [
            u.username,
            u.display_name,
            u.department.name if u.department else "",
            "、".join(str(Role(r).label) for r in admin_selectors.role_values(u) if r in Role.values),
            _("active") if u.is_active else _("disabled"),
        ]
        for u in rows[: lists.EXPORT_LIMIT]
    )
    return lists.xlsx_response("accounts.xlsx", header, cells)


@admin_page(Role.SYS_ADMIN)
def user_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)

    def create(data: dict[str, Any]) -> str:
        user = admin_services.account_create(actor=request.user, **data)
        return _("Account %(username)s created. The security administrator grants its roles.") % {
            "username": user.username
        }

    done, status = _submit(request, form, create, "web:admin_users")
    if done is not None:
        return done
    return render(request, "administration/user_add.html", {"form": form}, status=status)


def _account(username: str) -> User:
    user = admin_selectors.accounts().filter(username=username).first()
    if user is None:
        raise Http404()
    return user


def _user_page(
    request: AuthenticatedHttpRequest,
    user: User,
    *,
    form: UserEditForm | None = None,
    password_form: PasswordResetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "account": user,
        "roles": [Role(r).label for r in admin_selectors.role_values(user) if r in Role.values],
        "form": form
        or UserEditForm(
            initial={"full_name": user.display_name, "department": user.department.code if user.department else ""}
        ),
        "password_form": password_form or PasswordResetForm(),
    }
    return render(request, "administration/user_edit.html", context, status=status)


@admin_page(Role.SYS_ADMIN)
def user_edit(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    user = _account(username)
    if request.method != "POST":
        return _user_page(request, user)
    form = UserEditForm(request.POST)
    if not form.is_valid():
        return _user_page(request, user, form=form, status=400)
    try:
        admin_services.account_change(
            actor=request.user,
            username=username,
            full_name=form.cleaned_data["full_name"],
            department=form.cleaned_data["department"],
        )
    except DomainError as e:
        _refused(form, e)
        return _user_page(request, user, form=form, status=e.status)
    messages.success(request, _("Account %(username)s saved.") % {"username": username})
    return redirect("web:admin_user_edit", username=username)


@require_POST
@admin_page(Role.SYS_ADMIN)
def user_active(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    user = _account(username)
    active = request.POST.get("active") == "1"
    try:
        admin_services.account_change(actor=request.user, username=username, active=active)
    except DomainError as e:
        messages.error(request, e.message)
        return _user_page(request, user, status=e.status)
    text = _("Account %(username)s enabled.") if active else _("Account %(username)s disabled.")
    messages.success(request, text % {"username": username})
    return redirect("web:admin_user_edit", username=username)


@require_POST
@admin_page(Role.SYS_ADMIN)
def user_password(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    user = _account(username)
    form = PasswordResetForm(request.POST)
    if not form.is_valid():
        return _user_page(request, user, password_form=form, status=400)
    try:
        admin_services.account_change(actor=request.user, username=username, password=form.cleaned_data["password"])
    except DomainError as e:
        _refused(form, e)
        return _user_page(request, user, password_form=form, status=e.status)
    messages.success(
        request, _("Password of %(username)s reset; its API tokens no longer work.") % {"username": username}
    )
    return redirect("web:admin_user_edit", username=username)


# --- everyone: their own password ----------------------------------------------------------------


@login_required
def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose one's own password. After an administrator set it (a new account, a reset) every page
    leads here until this is done (administration/middleware.py); anyone may come here any time."""
    form = PasswordChangeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                user = services.password_change(
                    user=request.user,
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password"],
                )
            except DomainError as e:
                _refused(form, e)
                status = e.status
            else:
                update_session_auth_hash(request, user)  # this session stays; the others end
                messages.success(request, _("Your password has been changed."))
                return redirect(registry.home_url(user) or "web:inbox")
    context = {"form": form, "required": request.user.password_change_required}
    return render(request, "administration/password_change.html", context, status=status)


# --- sec_admin: roles, locked accounts, the policy -----------------------------------------------


@admin_page(Role.SEC_ADMIN)
def roles(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows, listing = _account_rows(request)
    page, query = _page(request, rows)
    locked = len(admin_selectors.locked_accounts())
    context = {**listing, "page": page, "rows": _with_roles(page), "query": query, "locked": locked}
    return render(request, "administration/roles.html", context)


@admin_page(Role.SEC_ADMIN)
def user_roles(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    user = _account(username)
    form = RolesForm(request.POST or None, initial={"roles": admin_selectors.role_values(user)})

    def grant(data: dict[str, Any]) -> str:
        admin_services.roles_set(actor=request.user, username=username, roles=data["roles"])
        return _("Roles of %(username)s saved.") % {"username": username}

    done, status = _submit(request, form, grant, "web:admin_roles")
    if done is not None:
        return done
    administrator = bool(set(admin_selectors.role_values(user)) & ADMIN_ROLES)
    context = {"account": user, "form": form, "administrator": administrator}
    return render(request, "administration/user_roles.html", context, status=status)


@admin_page(Role.SEC_ADMIN)
def locked(request: AuthenticatedHttpRequest) -> HttpResponse:
    # the lockout's usernames (not a query): sorted by a header here, username or until, then paged
    sort = lists.sort_param(request.GET.get("sort"), LOCKED_SORTS)
    rows = admin_selectors.locked_accounts()
    if sort:
        column = 1 if sort.lstrip("-") == "until" else 0
        rows.sort(key=lambda row: (row[column], row[0]), reverse=sort.startswith("-"))
    page, query = _page(request, rows)
    context = {"page": page, "query": query, "policy": policy.current(), "sort": sort}
    return render(
        request, "administration/locked.html", {**context, "sorts": lists.sort_links(request, LOCKED_SORTS, sort)}
    )


@require_POST
@admin_page(Role.SEC_ADMIN)
def user_unlock(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    try:
        admin_services.account_unlock(actor=request.user, username=username)
    except DomainError as e:
        if e.status in (403, 404):
            raise
        messages.error(request, e.message)
    else:
        messages.success(request, _("Account %(username)s unlocked.") % {"username": username})
    return redirect("web:admin_locked")


@admin_page(Role.SEC_ADMIN)
def security_policy(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PolicyForm(request.POST or None, initial=policy.current().as_dict())

    def save(data: dict[str, Any]) -> str:
        admin_services.policy_change(actor=request.user, values=data)
        return _("Security policy saved.")

    done, status = _submit(request, form, save, "web:admin_policy")
    if done is not None:
        return done
    return render(request, "administration/policy.html", {"form": form}, status=status)


# --- audit_admin: the home of the audit log ------------------------------------------------------


@admin_page(Role.AUDIT_ADMIN)
def audit_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "administration/audit_home.html", {"report": None})


@require_POST
@admin_page(Role.AUDIT_ADMIN)
def audit_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Re-check every link of the audit chains now, show the result, and record that it was run."""
    if not can_read_audit_log(request.user):
        raise PermissionDenied()
    report = audit_services.audit_chain_report()
    audit_services.audit_record(
        actor=request.user,
        action=AuditAction.AUDIT_VERIFY,
        object_type="audit.chain",
        object_id="all",
        new={
            "events": report.events,
            "chains": report.chains,
            "intact": report.intact,
            "problems": len(report.problems),
        },
    )
    return render(request, "administration/audit_home.html", {"report": report, "problems": report.problems[:50]})

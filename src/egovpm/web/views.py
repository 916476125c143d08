"""The UI shell's own pages: login, logout and 待办/已办 (the inbox). Every other page belongs to
its app (projects, documents, audit, budgets, reports, reviews, security, archives), which plugs its
project tab, navigation entry and 待办 items in through egovpm.web.registry."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from egovpm.accounts.models import User
from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.core import clock
from egovpm.core.roles import ADMIN_ROLES
from egovpm.web import registry
from egovpm.web.forms import LoginForm
from egovpm.web.inbox import kept_html, reader


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # development mode only: say that demo accounts exist and where their list is (README)
        return {**super().get_context_data(**kwargs), "demo_accounts": settings.DEBUG}

    def get_default_redirect_url(self) -> str:
        """Without a `next`, a navigation item may claim the user's home (NDRC and MoF: the cockpit)."""
        user = self.request.user  # signed in by now: LoginView redirects after form_valid's login()
        home = registry.home_url(user) if isinstance(user, User) else None
        return home or super().get_default_redirect_url()


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.role_set and user.role_set <= ADMIN_ROLES:
        # an administrator has no 待办 of projects: their home is the page of their duties (三员分立)
        return redirect(registry.home_url(user) or "web:audit")
    # The lists and the counts, rendered once and kept under the records' stamp for this user (ADR 0020)
    body = kept_html(repr(("inbox", reader(user))), "web/inbox_body.html", lambda: _inbox_context(user), request)
    return render(request, "web/inbox.html", {"body": body})


def _inbox_context(user: User) -> dict[str, Any]:
    # The stage actions and 已办 (the projects app), then the obligations of the other apps
    # (reports due, opinions to give, filings pending...), soonest first.
    context: dict[str, Any] = {"todo": [], "done": [], "waiting": 0}
    for section in registry.INBOX_SECTIONS:
        context.update(section(user))
    items = [item for provider in registry.INBOX for item in provider(user)]
    items.sort(key=lambda i: (i.due is None, i.due or clock.today()))
    return {
        **context,
        "items": items,
        "today": clock.today(),
        # a provider's bounded list ends with an "…and N more" item (extra["more"] = N)
        "waiting_count": context["waiting"] + sum(int(i.extra.get("more", 1)) for i in items),
    }

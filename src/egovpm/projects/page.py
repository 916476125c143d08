"""The projects app's part of the project page frame (registered in web.registry from
ProjectsConfig.ready): the read scope, the stage actions the user may take (with, for a blocked
one, where each failing rule is fixed), the stage timeline and the history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User
from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.core import clock
from egovpm.core.views import language_of
from egovpm.projects import policies, selectors, services
from egovpm.projects.choices import TRANSITIONS, Stage
from egovpm.projects.forms import TransitionForm
from egovpm.projects.models import Project
from egovpm.web import registry
from egovpm.web.inbox import kept_under_records

# Rules whose fix is on the edit page; rules fixed by filing documents when no app tab holds them.
EDIT_RULES = {"C2.1", "C10.2", "C11.1"}
DOCUMENT_RULES = {"C6.2", "C7.1", "C7.2", "C10.1", "C3.5"}


def reads_file(user: User, project: Project) -> bool:
    """Does the user read the project's whole file — its stage history, compliance, estimates,
    reports …? That is the read scope `restrict(user)` ("view"), the one the API's reads use. An
    expert reaches a project only for its review ("summary"/"documents"/"review"): without "view"
    they see the summary, the needs-analysis report and the review, nothing else (ADR 0001)."""
    if policies.scope_q(user) is None:  # the whole portfolio (NDRC …): no query
        return True
    return policies.restrict(user).filter(pk=project.pk).exists()


def _timeline(project: Project, events: list[Any]) -> list[dict[str, Any]]:
    stages: list[Stage] = [s for s in Stage if s != Stage.CANCELLED]
    if project.stage == Stage.CANCELLED:
        cancel = next((e for e in reversed(events) if e.to_stage == Stage.CANCELLED), None)
        reached = stages.index(Stage(cancel.from_stage)) if cancel else 0
        stages.append(Stage.CANCELLED)
        current_index = len(stages) - 1
    else:
        current_index = stages.index(Stage(project.stage))
        reached = current_index
    items = []
    for i, stage in enumerate(stages):
        entering = next((e for e in reversed(events) if e.to_stage == stage), None)
        if stage == Stage.CANCELLED or i == current_index:
            state = "current"
        elif i <= reached:
            state = "done"
        else:
            state = "todo"
        items.append({"stage": stage, "state": state, "event": entering if state != "todo" else None})
    return items


def fix_link(project: Project, rule: str, may_edit: bool) -> tuple[str, str]:
    """Where a blocked rule is fixed: the edit page, the tab of the app holding its records, the
    documents tab, or the compliance check."""
    if rule in EDIT_RULES and may_edit and rule != "C10.2":
        return reverse("web:project_edit", kwargs={"pk": project.pk}), _("Edit the project")
    tab = registry.tab_for_rule(rule)
    if tab is not None:
        return registry.tab_url(project, tab.key), _("Go to {tab}").format(tab=tab.label)
    if rule in DOCUMENT_RULES and "documents" in registry.TABS:
        return registry.tab_url(project, "documents"), _("Go to documents")
    return registry.tab_url(project, "compliance"), _("See the compliance check")


def _options(
    request: AuthenticatedHttpRequest, project: Project, transition_form: TransitionForm | None
) -> list[dict[str, Any]]:
    user = request.user
    may_edit = policies.may_edit(user, project)
    today = clock.today()
    options = []
    for option in services.action_options(actor=user, project=project, language=language_of(request)):
        t = TRANSITIONS[option.action]
        bound = transition_form is not None and transition_form.data.get("action") == option.action
        form = (
            transition_form
            if bound and transition_form is not None
            else TransitionForm(initial={"action": option.action, "effective_date": today})  # the likely date
        )
        options.append(
            {
                "action": option.action,
                "allowed": option.allowed,
                "ndrc_approval": t.ndrc_approval,
                "requires_comment": t.requires_comment,
                "danger": option.action in ("cancel", "return"),
                "form": form,
                "open": form.is_bound,
                "reasons": [{**r, "fix": fix_link(project, r["rule"], may_edit)} for r in option.reasons],
            }
        )
    return options


# The project page's parts from the apps above projects (which projects may not import): (request,
# project, the stage actions offered) -> more context for the frame template — the portfolio app's
# link to the lead department's record and its panel beside NDRC's decisions (issue 11).
FramePart = Callable[[AuthenticatedHttpRequest, Project, list[dict[str, Any]]], dict[str, Any]]
FRAME_PARTS: list[FramePart] = []


def register_frame_part(part: FramePart) -> None:
    if part not in FRAME_PARTS:
        FRAME_PARTS.append(part)


def frame_context(
    request: AuthenticatedHttpRequest, project: Project, full: bool, transition_form: TransitionForm | None
) -> dict[str, Any]:
    events = list(selectors.project_events(project=project))
    timeline = _timeline(project, events)
    if not full:
        # The stage history (actors, approval numbers, comments) is the project's file: an expert
        # sees where the project stands, not who did what (API: /events answers them 404).
        events = []
        timeline = [{**item, "event": None} for item in timeline]
    options = _options(request, project, transition_form)
    context = {
        "events": events,
        "timeline": timeline,
        "options": options,
        "waiting": registry.waiting(request.user, project),
    }
    for part in FRAME_PARTS:
        context.update(part(request, project, options))
    return context


def inbox_section(user: User) -> dict[str, Any]:
    """待办: the stage actions waiting for the user (the selectors.INBOX_LIMIT longest waiting, the
    exact count, and where to find the others). 已办 is the notifications app's section (from the
    audit trail: every kind of write, not only stage actions).

    Kept under every record's stamp (web.inbox.kept_under_records): NDRC's list sorts the ~20,000
    projects waiting for it at national scale (about 60 ms), and nothing in it changes without a
    record changing — the user's roles and assignments included."""
    todo, waiting, url = kept_under_records(f"projects.inbox_section:user{user.pk}", lambda: _waiting_for(user))
    more = waiting - len(todo)
    return {
        "todo": todo,
        "waiting": waiting,
        "todo_more": more,
        "todo_more_title": ngettext(
            "…and %(n)s more project waiting for your action", "…and %(n)s more projects waiting for your action", more
        )
        % {"n": more},
        "todo_more_url": url if more > 0 else "",
    }


def _waiting_for(user: User) -> tuple[list[dict[str, Any]], int, str]:
    """The stage actions shown, how many projects wait in all, and the list URL of the others."""
    todo = [
        {"project": p, "actions": [{"code": a, "ndrc": TRANSITIONS[a].ndrc_approval} for a in actions]}
        for p, actions in selectors.inbox_projects(user=user, limit=selectors.INBOX_LIMIT)
    ]
    waiting = selectors.inbox_projects_count(user=user)
    return todo, waiting, (_waiting_list_url(user) if waiting > len(todo) else "")


def _waiting_list_url(user: User) -> str:
    """The project list filtered to where the waiting projects are: the stages holding them (and,
    for a department's user, the department)."""
    stages = sorted(selectors.inbox_projects_qs(user=user).order_by().values_list("stage", flat=True).distinct())
    query: dict[str, str] = {"stage": ",".join(stages)}
    if not user.has_role(Role.NDRC_OFFICER) and user.department_id and user.department is not None:
        query["department"] = user.department.code
    return reverse("web:project_list") + "?" + urlencode(query)

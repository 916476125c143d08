"""Web pages of the evaluations app: the project tab 后评价 (the approved goals, the evaluations
with their scores and goal ratings, the form for NDRC and the assigned evaluators) and NDRC's
indicator templates (list, new version from an indented text, the weights tree)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egovpm.accounts.models import User
from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.compliance.stamp import records_stamp
from egovpm.core import clock, lists
from egovpm.core.bounded import bounded
from egovpm.core.errors import DomainError, Forbidden, InvalidInput
from egovpm.core.views import language_of
from egovpm.documents.choices import Category
from egovpm.documents.models import Document
from egovpm.evaluations import policies, scoring, selectors, services
from egovpm.evaluations.errors import EvaluationError
from egovpm.evaluations.forms import EvaluationForm, TemplateForm
from egovpm.evaluations.models import EvaluationTemplate, PostEvaluation
from egovpm.procurement.shares import shares_for
from egovpm.projects import policies as project_policies
from egovpm.projects import selectors as project_selectors
from egovpm.projects.choices import Stage
from egovpm.projects.models import Project
from egovpm.web import errors, registry
from egovpm.web.frame import domain_errors, render_tab
from egovpm.web.inbox import kept
from egovpm.web.registry import InboxItem, more_line

TAB = "evaluations"
RULES = ("C8.2",)


def _leaf_table(evaluation: PostEvaluation) -> list[dict[str, Any]]:
    if evaluation.template is None:
        return []
    scores = {s.code: s.score for s in evaluation.leaf_scores.all()}
    return [
        {"code": leaf.code, "names": " / ".join(leaf.names), "score": scores.get(leaf.code)}
        for leaf in scoring.leaves(evaluation.template.tree)
    ]


def _evaluation_rows(project: Any) -> list[dict[str, Any]]:
    return [
        {
            "e": e,
            "efficiency": scoring.display(e.efficiency_score),
            "effect": scoring.display(e.effect_score),
            "total": scoring.display(e.total_score),
            "leaves": _leaf_table(e),
            "ratings": list(e.ratings.all()),
        }
        for e in selectors.project_evaluations(project=project)
    ]


def _form(
    request: AuthenticatedHttpRequest,
    project: Any,
    goals: list[str],
    template: EvaluationTemplate | None,
    data: Any = None,
) -> EvaluationForm:
    reports = list(
        Document.objects.filter(project=project, category=Category.POST_EVALUATION_REPORT).order_by("-uploaded_at")
    )
    initial = {"evaluated_on": clock.today(), "organisation": getattr(request.user.department, "name", "")}
    return EvaluationForm(data, goals=goals, reports=reports, template=template, initial=initial)


def tab_context(request: AuthenticatedHttpRequest, project: Any, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    user = request.user
    bound = bound or {}
    if not policies.may_read(user, project):
        raise Forbidden(EvaluationError.NOT_READABLE)
    report = project_selectors.project_compliance(project=project, language=language_of(request))
    snapshot = selectors.approved_goals(project=project)
    context: dict[str, Any] = {
        "rule_results": [r for r in report["results"] if r.rule in RULES],
        "snapshot": snapshot,
        "evaluations": _evaluation_rows(project),
        "may_evaluate": policies.may_evaluate(user, project),
        "in_operation": project.stage == Stage.IN_OPERATION,
        "may_read_templates": policies.may_read_templates(user),
        # the project's 自主可控 shares (procurement, clause 11) beside what the evaluation judges
        "shares": shares_for(Project.objects.filter(pk=project.pk)),
    }
    if "form" in bound:  # a refused POST: its form with the reasons, whatever the state now
        context.update(templates=list(selectors.templates(user=user)), template=bound.get("template"))
        context["form"] = bound["form"]
    elif context["may_evaluate"] and context["in_operation"] and snapshot is not None:
        template = selectors.template_get(request.GET.get("template"))
        context["templates"] = list(selectors.templates(user=user))
        context["template"] = template
        context["form"] = _form(request, project, list(snapshot.goals), template)
    return context


@login_required
@domain_errors
def tab(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """The project tab 后评价: the project's file (read scope "view": an assigned expert 404), then
    who may read post-evaluations (403)."""
    project = project_policies.project_for(request.user, pk)
    return render_tab(request, project, TAB, tab_context(request, project))


def _attach(form: EvaluationForm, error: DomainError, language: str) -> None:
    if isinstance(error, InvalidInput):
        for service_field, text in (error.details or {}).items():
            target = form.field_for(service_field)
            if target is not None and target in form.fields:
                form.add_error(target, str(text))
            else:
                form.add_error(None, f"{service_field}: {text}")
        form.add_error(None, error.message)
        return
    errors.attach(form, error, language)


@login_required
@require_POST
@domain_errors
def evaluation_add(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    user = request.user
    project = project_policies.project_for(user, pk)
    snapshot = selectors.approved_goals(project=project)
    template = selectors.template_get(request.POST.get("template"))
    form = _form(request, project, list(snapshot.goals) if snapshot else [], template, request.POST)
    status = 400
    if form.is_valid():
        try:
            evaluation = services.post_evaluation_add(actor=user, project_id=project.pk, **form.service_arguments())
        except DomainError as e:
            _attach(form, e, language_of(request))
            status = e.status
        else:
            if evaluation.total_score is not None:
                messages.success(
                    request,
                    _("The post-evaluation was recorded: efficiency %(eff)s, effect %(effect)s, total %(total)s.")
                    % {
                        "eff": scoring.display(evaluation.efficiency_score),
                        "effect": scoring.display(evaluation.effect_score),
                        "total": scoring.display(evaluation.total_score),
                    },
                )
            else:
                messages.success(request, _("The post-evaluation was recorded."))
            return redirect(registry.tab_url(project, TAB))
    if not policies.may_evaluate(user, project):
        raise Forbidden(EvaluationError.EVALUATOR_ONLY)
    content = tab_context(request, project, {"form": form, "template": template})
    return render_tab(request, project, TAB, content, status=status)


# ------------------------------------------------------------------ indicator templates


def nav_visible(user: User) -> bool:
    return policies.may_read_templates(user)


def _require_reader(user: User) -> None:
    if not policies.may_read_templates(user):
        raise Forbidden(EvaluationError.TEMPLATES_NOT_READABLE)


@login_required
@domain_errors
def template_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """评价指标体系: every template version; NDRC adds one (a new name, or a new version of a name)."""
    user = request.user
    _require_reader(user)
    form = None
    status = 200
    if policies.may_manage_templates(user):
        form = TemplateForm(request.POST or None) if request.method == "POST" else TemplateForm()
        if request.method == "POST" and form.is_valid():
            try:
                tree = scoring.parse_text_tree(form.cleaned_data["tree"])
                template = services.template_add(
                    actor=user,
                    name=form.cleaned_data["name"],
                    indicators=tree,
                    description=form.cleaned_data["description"],
                )
            except InvalidInput as e:
                for field, text in (e.details or {}).items():
                    form.add_error("tree" if field not in form.fields else field, f"{field}: {text}")
                status = 400
            else:
                messages.success(
                    request,
                    _("Template “%(name)s” version %(version)s was added.")
                    % {"name": template.name, "version": template.version},
                )
                return redirect(reverse("web:evaluation_template", kwargs={"template_id": template.pk}))
        elif request.method == "POST":
            status = 400
    elif request.method == "POST":
        raise Forbidden(EvaluationError.TEMPLATES_NDRC_ONLY)
    # sorted by a header (TEMPLATE_SORTS, core/lists.py) and paged, PAGE_SIZE versions a page
    sort = lists.sort_param(request.GET.get("sort"), TEMPLATE_SORTS)
    versions = lists.sorted_by(selectors.templates(user=user), sort, TEMPLATE_SORTS, TEMPLATE_ORDER)
    page = Paginator(versions, TEMPLATE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"t": t, "leaves": len(list(scoring.leaves(t.tree))), "top": len(t.tree)} for t in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "rows": rows,
        "form": form,
        "page": page,
        "page_query": query.urlencode(),
        "sorts": lists.sort_links(request, TEMPLATE_SORTS, sort),
    }
    return render(request, "evaluations/templates.html", context, status=status)


# The 评价指标体系 list's sortable columns and default order (a name's newest version first).
TEMPLATE_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "version": ("version",),
    "added": ("created_at",),
}
TEMPLATE_ORDER = ("name", "-version")
TEMPLATE_PAGE_SIZE = 20


@login_required
@domain_errors
def template_detail(request: AuthenticatedHttpRequest, template_id: Any) -> HttpResponse:
    template = services.template_for(request.user, template_id)
    return render(request, "evaluations/template.html", {"template": template, "nodes": _flatten(template.tree)})


def _flatten(tree: list[dict[str, Any]], level: int = 1) -> list[dict[str, Any]]:
    """The tree as rows with their level (for an indented table)."""
    out: list[dict[str, Any]] = []
    for node in tree:
        out.append({**node, "level": level, "prefix": "　" * (level - 1), "leaf": not node.get("children")})
        out.extend(_flatten(node.get("children") or [], level + 1))
    return out


INBOX_LIMIT = 20


def inbox_items(user: User) -> list[InboxItem]:
    """待办 for an assigned evaluator: projects in operation they evaluate that have no
    post-evaluation yet (C8.2) — the INBOX_LIMIT longest assigned and a line saying how many more.
    For NDRC, which organises post-evaluation: projects in operation with neither a post-evaluation
    nor an evaluator — assign one (the 指派 tab) or record it itself (the 后评价 tab)."""
    if policies.is_ndrc(user):
        return _ndrc_inbox_items()
    if not user.has_role(policies.EVALUATOR_ROLE):
        return []
    assigned, count = bounded(selectors.evaluator_todo(user=user), INBOX_LIMIT)
    items = [
        InboxItem(
            title=_("Post-evaluation to record (C8.2)"),
            url=registry.tab_url(a.project, TAB),
            project=a.project,
            kind="post_evaluation",
        )
        for a in assigned
    ]
    title = _("…and %(n)s more post-evaluations to record")
    return items + more_line(count, len(assigned), title, reverse("web:project_list"), "post_evaluation_more")


def _ndrc_inbox_items() -> list[InboxItem]:
    # every project in operation checked (28,000 at national scale): kept while no record changes
    projects, count = kept(
        "evaluations.ndrc_todo", records_stamp(), lambda: bounded(selectors.ndrc_todo(), INBOX_LIMIT)
    )
    items = [
        InboxItem(
            title=_("Organise the post-evaluation (C8.2)"),
            url=registry.tab_url(p, TAB),
            project=p,
            kind="post_evaluation_organise",
        )
        for p in projects
    ]
    title = _("…and %(n)s more projects in operation whose post-evaluation is to organise")
    url = reverse("web:project_list") + "?stage=in_operation"
    return items + more_line(count, len(projects), title, url, "post_evaluation_organise_more")

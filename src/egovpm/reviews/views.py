"""Web pages of expert review: the project tab, the review list and page, the expert pool.
Thin: reads through selectors, writes through services (which check scope and role and audit)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User
from egovpm.accounts.requests import AuthenticatedHttpRequest
from egovpm.core import clock, lists
from egovpm.core.bounded import bounded
from egovpm.core.errors import DomainError, Forbidden, NotFound
from egovpm.core.errors import render as render_error
from egovpm.core.views import language_of
from egovpm.documents import storage
from egovpm.projects import policies as project_policies
from egovpm.projects import selectors as project_selectors
from egovpm.projects.choices import Stage
from egovpm.projects.models import Project
from egovpm.reviews import api, policies, selectors, services
from egovpm.reviews.choices import FormedBy, Recommendation, ReviewStatus
from egovpm.reviews.errors import ReviewError
from egovpm.reviews.filters import ReviewFilter
from egovpm.reviews.forms import (
    CoAuthorsForm,
    ConcludeForm,
    ExpertProfileForm,
    OpinionForm,
    PanelForm,
    SpecialtyForm,
)
from egovpm.reviews.models import ExpertProfile, ExpertReview
from egovpm.web import errors, registry
from egovpm.web.frame import domain_errors, render_tab
from egovpm.web.inbox import kept_under_records, render_kept_page
from egovpm.web.links import pk_url
from egovpm.web.registry import InboxItem, more_line


def _excluded_reason(entry: dict[str, Any]) -> str:
    """Why an expert was left out of a draw, in the reader's language: from the code the draw record
    keeps; a record made before codes existed shows its stored words as they are."""
    if entry.get("code") in ReviewError.__members__.values():
        return render_error(ReviewError(entry["code"]), entry.get("params") or {})
    return str(entry.get("reason", ""))


def _attach(form: Any, error: DomainError, language: str) -> None:
    """Put a refusal on the form; expert-by-expert reasons become readable lines."""
    if isinstance(error, NotFound):
        raise Http404(error.message)
    if isinstance(error, Forbidden):
        raise PermissionDenied(error.message)
    experts = error.fields.get("experts")
    if isinstance(experts, dict):  # one reason per expert, each rendered from its code, by name
        listed = getattr(form.fields.get("experts"), "people", [])
        names = {p.username: p.choice for p in listed}
        for username, reason in experts.items():
            form.add_error(None, f"{names.get(username, username)}：{reason.render()}")
        return
    if error.reason in (ReviewError.PANEL_TOO_SMALL, ReviewError.POOL_TOO_SMALL, ReviewError.OPINIONS_MISSING):
        form.add_error(None, error.message)
        return
    errors.attach(form, error, language)


# ---------------------------------------------------------------- registrations (apps.py)


def nav_visible(user: User) -> bool:
    return bool(user.has_role(Role.NDRC_OFFICER, Role.EXPERT, Role.MOF_VIEWER, Role.DEPT_STAFF, Role.DEPT_LEADER))


INBOX_LIMIT = 20
PAGE_SIZE = 20


def _more(count: int, shown: int, title: str) -> list[InboxItem]:
    """The "and N more" line of a bounded 待办 list, linking to the 专家评议 page."""
    url = reverse("web:review_list") + "?status=" + ReviewStatus.OPEN
    return more_line(count, shown, title, url, "review_more")


def _bounded(qs: Any) -> tuple[list[ExpertReview], int]:
    """The INBOX_LIMIT first rows of `qs` and how many there are in all, in one query."""
    return bounded(qs, INBOX_LIMIT)


def inbox_items(user: User) -> list[InboxItem]:
    """待办: an expert's open panels, NDRC's panels ready to conclude — the INBOX_LIMIT soonest due
    of each and a line saying how many more (to the list of open reviews)."""
    items = []
    reviews, count = _bounded(selectors.expert_todo(user=user))
    for r in reviews:
        title = (
            _("Expert review: you may still change your opinion until the panel concludes")
            if getattr(r, "mine", False)  # annotated by selectors.expert_todo
            else _("Expert review: give your opinion on the needs-analysis report")
        )
        items.append(
            InboxItem(
                title=title,
                url=pk_url("web:review_detail", r.pk),
                project=r.project,
                due=r.due_on,
                kind="review_opinion",
            )
        )
    items += _more(count, len(reviews), _("…and %(n)s more expert reviews waiting for your opinion"))
    # NDRC's: every open review's opinions checked (~20 ms at 100,000 projects), kept while no
    # record changes (web.inbox.kept_under_records)
    reviews, count = kept_under_records(
        f"reviews.ndrc_todo:user{user.pk}", lambda: selectors.ndrc_todo_bounded(user=user, limit=INBOX_LIMIT)
    )
    for r in reviews:
        items.append(
            InboxItem(
                title=_("Expert review: every opinion is in — record the panel's conclusion"),
                url=pk_url("web:review_detail", r.pk),
                project=r.project,
                due=r.due_on,
                kind="review_conclude",
            )
        )
    items += _more(count, len(reviews), _("…and %(n)s more expert reviews ready to conclude"))
    return items


def _review_rows(user: User, qs: Any) -> list[dict[str, Any]]:
    """The rows of the review list and the tab (selectors.listed) with what _rows.html shows of
    them: the choices' labels and the links (reversed once per URL name)."""
    rows = selectors.listed(qs, user)
    formed_by, statuses, conclusions = (
        {value: str(label) for value, label in choices.choices} for choices in (FormedBy, ReviewStatus, Recommendation)
    )
    for r in rows:
        r["formed_by_label"] = formed_by.get(r["formed_by"], r["formed_by"])
        r["status_label"] = statuses.get(r["status"], r["status"])
        r["conclusion_label"] = conclusions.get(r["conclusion"], r["conclusion"]) if r["conclusion"] else ""
        r["url"] = pk_url("web:review_detail", r["id"])
        r["project_url"] = pk_url("web:project_detail", r["project_id"])
    return rows


def tab_context(request: AuthenticatedHttpRequest, project: Project, **forms: Any) -> dict[str, Any]:
    """The 专家评议 tab of a project."""
    user = request.user
    context: dict[str, Any] = {"min_panel": selectors.min_panel_size(project.regime), "today": clock.today()}
    if not policies.may_read_reviews_of(user, project):
        context["no_access"] = True
        return context
    context["rows"] = _review_rows(
        user, selectors.review_list(user=user, project_id=project.pk).order_by(*REVIEW_ORDER, "pk")
    )
    open_review = any(r["status"] == ReviewStatus.OPEN for r in context["rows"])
    if policies.may_organise(user) and project.stage == Stage.NEEDS_ANALYSIS and not open_review:
        context["panel_form"] = forms.get("panel_form") or PanelForm(min_size=context["min_panel"])
    participants = list(project.participating_departments.order_by("code"))
    record = selectors.needs_analysis_of(project=project)
    context["co_authors"] = list(record.co_authors.order_by("code")) if record else []
    context["local_participants"] = [d for d in participants if d.kind == "local"]
    context["missing_co_authors"] = [d for d in context["local_participants"] if d not in context["co_authors"]]
    if participants and policies.may_set_co_authors(user, project) and project.stage in services.CO_AUTHOR_STAGES:
        context["co_authors_form"] = forms.get("co_authors_form") or CoAuthorsForm(
            initial={"co_authors": [d.code for d in context["co_authors"]]}, departments=participants
        )
    if user.has_role(Role.NDRC_OFFICER) and project.stage == Stage.PROPOSAL:
        history, total = selectors.department_history(project=project, language=language_of(request))
        context["history"], context["history_more"] = history, total - len(history)
        context["history_shares"] = selectors.department_shares(project=project)
    return context


# ---------------------------------------------------------------- pages


@login_required
def review_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    # The list's FilterSet, the same as the API's: a status it refuses is a 400, never ignored.
    filters = ReviewFilter(request.GET, queryset=ExpertReview.objects.none())
    if not filters.is_valid():
        raise BadRequest("; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in filters.errors.items()))
    status = filters.form.cleaned_data.get("status") or ""
    sort = lists.sort_param(request.GET.get("sort"), REVIEW_SORTS)

    def paged() -> selectors.Paged:
        reviews = lists.sorted_by(selectors.review_list(user=user, status=status), sort, REVIEW_SORTS, REVIEW_ORDER)
        return selectors.Paged(
            reviews,
            reviews.query.order_by,
            lambda qs: _review_rows(user, qs),
            selectors.whole_count(user, status),
        )

    if request.GET.get("export") == "xlsx":
        return _review_export(paged()[: lists.EXPORT_LIMIT])

    def context() -> dict[str, Any]:
        page: Page[dict[str, Any]] = Paginator(paged(), PAGE_SIZE).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        return {
            "rows": page.object_list,
            "page": page,
            "query": params.urlencode(),
            "status": status,
            "statuses": ReviewStatus.choices,
            "may_manage_pool": policies.may_manage_pool(user),
            "sort": sort,
            "sorts": lists.sort_links(request, REVIEW_SORTS, sort),
            "export_url": lists.export_url(request),
        }

    # rendered once and kept for this user and address under the records' stamp (ADR 0020)
    return render_kept_page(request, "reviews/list.html", "reviews/list_body.html", context)


# The 专家评议 list's sortable columns (core/lists.py) and its default order (newest panel first).
REVIEW_SORTS: dict[str, tuple[str, ...]] = {
    "project": ("project__name",),
    "formed": ("formed_at",),
    "status": ("status",),
    "due": ("due_on",),
}
REVIEW_ORDER = ("-formed_at",)


def _review_export(rows: list[dict[str, Any]]) -> HttpResponse:
    """The list as XLSX: the same filtered, sorted reviews the user may read (EXPORT_LIMIT)."""
    header = [
        _("Project"),
        _("Project code"),
        _("Formed"),
        _("How"),
        _("Opinions"),
        _("Panel size"),
        _("Status"),
        _("Conclusion"),
        _("Opinions due"),
    ]
    cells = (
        [
            row["project__name"],
            row["project__code"],
            row["formed_at"].astimezone(clock.BEIJING).date(),
            row["formed_by_label"],
            row["given"],
            row["size"],
            row["status_label"],
            row["conclusion_label"],
            row["due_on"],
        ]
        for row in rows
    )
    return lists.xlsx_response("expert-reviews.xlsx", header, cells)


def _name_the_draw(context: dict[str, Any], review: ExpertReview) -> None:
    """The draw record by people's names (the login name, the replay's input, on hover): one query."""
    replay = context["replay"]
    usernames = {*review.draw_candidates, *(x["expert"] for x in context["excluded"])}
    usernames |= set(replay.replayed) if replay else set()
    names = dict(User.objects.filter(username__in=usernames).values_list("username", "display_name"))

    def person(username: str) -> dict[str, str]:
        return {"username": username, "name": names.get(username) or username}

    context["draw_candidates"] = [person(u) for u in review.draw_candidates]
    context["draw_replayed"] = [person(u) for u in replay.replayed] if replay else []
    for x in context["excluded"]:
        x["name"] = person(x["expert"])["name"]


def _detail(
    request: AuthenticatedHttpRequest, review: ExpertReview, *, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    review = selectors.review_for(user=user, review_id=review.pk)
    member = policies.is_member(user, review)
    context: dict[str, Any] = {
        "review": review,
        "project": review.project,
        "members": list(review.members.all()),
        "opinions": selectors.visible_opinions(user=user, review=review),
        "show_panel": user.has_role(Role.NDRC_OFFICER, Role.MOF_VIEWER)
        or member
        or review.status == ReviewStatus.CONCLUDED,
        "show_draw": bool(review.draw_seed) and user.has_role(Role.NDRC_OFFICER, Role.MOF_VIEWER),
        "replay": selectors.draw_replay(review=review) if user.has_role(Role.NDRC_OFFICER, Role.MOF_VIEWER) else None,
        "given": {o.expert_id for o in review.opinions.all()},
        "member": member,
        "is_ndrc": policies.is_ndrc(user),
        "excluded": [{"expert": x["expert"], "reason": _excluded_reason(x)} for x in review.draw_excluded],
        "draw_specialties": [
            s.name for s in selectors.specialties().filter(code__in=review.draw_specialties).order_by("code")
        ],
        "today": clock.today(),
    }
    if context["show_draw"]:
        _name_the_draw(context, review)
    if review.status == ReviewStatus.OPEN:
        if member:
            mine = selectors.opinion_of(review=review, expert_id=user.pk)
            initial = {"recommendation": mine.recommendation, "text": mine.text} if mine else {}
            context["mine"] = mine
            context["opinion_form"] = forms.get("opinion_form") or OpinionForm(initial=initial)
            context["report_documents"] = review.project.documents.filter(category="needs_analysis_report").order_by(
                "-uploaded_at"
            )
        if policies.may_organise(user):
            context["conclude_form"] = forms.get("conclude_form") or ConcludeForm()
    return render(request, "reviews/detail.html", context, status=status)


@login_required
@domain_errors
def review_detail(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    review = selectors.review_for(user=request.user, review_id=pk)
    return _detail(request, review)


@login_required
@require_POST
@domain_errors
def review_form(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """NDRC forms a panel from the project's 专家评议 tab."""
    user = request.user
    project = project_policies.project_for(user, pk, "review")
    project_policies.require(policies.may_organise(user), ReviewError.FORM_NDRC_ONLY)
    form = PanelForm(request.POST, min_size=selectors.min_panel_size(project.regime))
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["mode"] == "named":
                review = services.review_form(
                    actor=user, project_id=project.pk, experts=list(data["experts"]), due_on=data.get("due_on")
                )
            else:
                review = services.review_form(
                    actor=user,
                    project_id=project.pk,
                    draw=services.DrawRequest(
                        size=data.get("size") or 0,
                        specialties=tuple(data.get("specialties") or ()),
                    ),
                    due_on=data.get("due_on"),
                )
        except DomainError as e:
            _attach(form, e, language_of(request))
        else:
            messages.success(request, _("The expert panel was formed; its members see the review in their to-do list."))
            return redirect("web:review_detail", pk=review.pk)
    return _project_tab(request, project, panel_form=form)


def _project_tab(request: AuthenticatedHttpRequest, project: Project, **forms: Any) -> HttpResponse:
    """A refused form on the 专家评议 tab: the project page on this tab again, with what was typed
    and why it was refused."""
    return render_tab(request, project, "reviews", tab_context(request, project, **forms), status=400)


@login_required
@domain_errors
def tab(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """The project tab 专家评议."""
    project = project_selectors.project_detail(user=request.user, project_id=pk)
    return render_tab(request, project, "reviews", tab_context(request, project))


@login_required
@require_POST
@domain_errors
def co_authors_set(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    user = request.user
    project = project_policies.project_for(user, pk, "edit")
    project_policies.require(policies.may_set_co_authors(user, project), ReviewError.CO_AUTHORS_LEAD_ONLY)
    form = CoAuthorsForm(request.POST, departments=list(project.participating_departments.order_by("code")))
    if form.is_valid():
        try:
            services.co_authors_set(actor=user, project_id=project.pk, departments=form.cleaned_data["co_authors"])
        except DomainError as e:
            _attach(form, e, language_of(request))
        else:
            messages.success(request, _("The co-authors of the needs-analysis report were recorded."))
            return redirect(registry.tab_url(project, "reviews"))
    return _project_tab(request, project, co_authors_form=form)


@login_required
@require_POST
@domain_errors
def opinion_give(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    user = request.user
    review = selectors.review_for(user=user, review_id=pk)
    project_policies.require(policies.is_member(user, review), ReviewError.MEMBERS_ONLY)
    form = OpinionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            _opinion, created = services.opinion_give(
                actor=user,
                review_id=review.pk,
                recommendation=form.cleaned_data["recommendation"],
                text=form.cleaned_data["text"],
                attachment=form.cleaned_data.get("attachment"),
            )
        except DomainError as e:
            _attach(form, e, language_of(request))
        else:
            messages.success(
                request,
                _("Your opinion was recorded.") if created else _("Your opinion was changed."),
            )
            return redirect("web:review_detail", pk=review.pk)
    return _detail(request, review, status=400, opinion_form=form)


@login_required
@require_POST
@domain_errors
def review_conclude(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    user = request.user
    review = selectors.review_for(user=user, review_id=pk)
    project_policies.require(policies.may_organise(user), ReviewError.CONCLUDE_NDRC_ONLY)
    form = ConcludeForm(request.POST)
    if form.is_valid():
        try:
            services.review_conclude(
                actor=user,
                review_id=review.pk,
                conclusion=form.cleaned_data["conclusion"],
                text=form.cleaned_data["text"],
            )
        except DomainError as e:
            _attach(form, e, language_of(request))
            return _detail(request, review, status=e.status, conclude_form=form)
        else:
            messages.success(request, _("The panel's conclusion was recorded; the expert-opinion record is final."))
            return redirect("web:review_detail", pk=review.pk)
    return _detail(request, review, status=400, conclude_form=form)


@login_required
@domain_errors
def review_document(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    review = selectors.review_for(user=request.user, review_id=pk)
    if review.status != ReviewStatus.CONCLUDED:
        raise Http404("not concluded")
    return api.docx_response(review)


@login_required
@domain_errors
def opinion_attachment(request: AuthenticatedHttpRequest, pk: Any, username: str) -> FileResponse:
    review = selectors.review_for(user=request.user, review_id=pk)
    opinion = next(
        (o for o in selectors.visible_opinions(user=request.user, review=review) if o.expert.username == username),
        None,
    )
    if opinion is None or not opinion.attachment_sha256:
        raise Http404("no attachment")
    try:
        content = storage.open_blob(opinion.attachment_sha256)
    except storage.BlobMissing:
        raise Http404("stored file missing")
    return FileResponse(content, as_attachment=True, filename=opinion.attachment_name)


# ---------------------------------------------------------------- the pool


def _expert_users() -> list[Any]:
    return list(
        User.objects.filter(roles__role=Role.EXPERT, is_active=True).select_related("department").order_by("username")
    )


@login_required
def pool(request: AuthenticatedHttpRequest, **forms: Any) -> HttpResponse:
    user = request.user
    if not policies.may_manage_pool(user):
        raise PermissionDenied(_("Only NDRC manages the expert pool."))
    profiles = list(selectors.expert_pool(user=user))
    in_pool = {p.user_id for p in profiles}
    users = _expert_users()
    return render(
        request,
        "reviews/pool.html",
        {
            "profiles": profiles,
            "outside": [u for u in users if u.pk not in in_pool],
            "expert_form": forms.get("expert_form") or ExpertProfileForm(initial={"active": True}),
            "specialty_form": forms.get("specialty_form") or SpecialtyForm(),
            "specialties": selectors.specialties(),
        },
        status=400 if forms else 200,
    )


@login_required
@require_POST
def pool_expert(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not policies.may_manage_pool(user):
        raise PermissionDenied(_("Only NDRC manages the expert pool."))
    form = ExpertProfileForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.expert_profile_set(
                actor=user,
                username=data["user"],
                specialties=data["specialties"],
                title=data["title"],
                active=data["active"],
            )
        except DomainError as e:
            _attach(form, e, language_of(request))
        else:
            messages.success(request, _("The expert's profile was saved."))
            return redirect("web:review_pool")
    return pool(request, expert_form=form)


@login_required
@require_POST
def pool_toggle(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    user = request.user
    if not policies.may_manage_pool(user):
        raise PermissionDenied(_("Only NDRC manages the expert pool."))
    profile = ExpertProfile.objects.filter(user__username=username).first()
    if profile is None:
        raise Http404("not in the pool")
    services.expert_profile_set(actor=user, username=username, active=not profile.active)
    messages.success(request, _("The expert's status in the pool was changed."))
    return redirect("web:review_pool")


@login_required
@require_POST
def pool_specialty(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not policies.may_manage_pool(user):
        raise PermissionDenied(_("Only NDRC manages the expert pool."))
    form = SpecialtyForm(request.POST)
    if form.is_valid():
        try:
            services.specialty_add(actor=user, **form.cleaned_data)
        except DomainError as e:
            if e.code == "duplicate":
                form.add_error("code", _("This code is already in use."))
            else:
                _attach(form, e, language_of(request))
        else:
            messages.success(request, _("The specialty was added."))
            return redirect("web:review_pool")
    return pool(request, specialty_form=form)

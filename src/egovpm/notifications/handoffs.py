"""Hand-offs (issue 15 item 2): whoever a waiting project waits for finds it in their 待办, and
everyone else reads who acts next instead of an empty box.

- `panel_inbox`: NDRC's 待办 item "organise the expert panel" for each project in needs analysis
  with no panel at work (none yet, or the latest concluded 'reject'): the INBOX_LIMIT longest
  waiting, the count, and the more line — one query whatever the number of projects, kept while
  no record changes (web.inbox.kept: the audit heads' stamp, one more query).
- `done_section`: 已办 from the audit trail, the user's own writes newest first (two queries).
- `waiting_lines`: the project page's "waiting for NDRC: …" lines (registered with
  web.registry.register_waiting)."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from egovpm.accounts.choices import Role
from egovpm.accounts.models import User
from egovpm.compliance.stamp import records_stamp
from egovpm.core.bounded import bounded
from egovpm.notifications import policies, selectors
from egovpm.projects import policies as project_policies
from egovpm.projects.choices import TRANSITIONS, Action, Actor, Stage
from egovpm.projects.models import Project
from egovpm.web.inbox import kept
from egovpm.web.links import pk_url
from egovpm.web.registry import InboxItem, more_line

INBOX_LIMIT = 20
DONE_LIMIT = 20
NO_REVIEW = "-"  # not a conclusion (approve, revise, reject, or '' while open)


def panel_needed(*, user: User) -> QuerySet[Project]:
    """Projects in needs analysis in the user's scope whose needs-analysis report has no panel at
    work: no review yet, or the latest one concluded 'reject' (C10.1 then asks for a new one).
    The longest waiting first."""
    from egovpm.reviews.models import ExpertReview

    # One subquery a project: the latest review's conclusion, NO_REVIEW without one. 'reject' is
    # only ever a concluded review's (constraint review_concluded_has_conclusion; an open one's is '').
    latest = ExpertReview.objects.filter(project=OuterRef("pk")).order_by("-number").values("conclusion")[:1]
    return (
        project_policies.restrict(user)
        .filter(stage=Stage.NEEDS_ANALYSIS)
        .annotate(latest_conclusion=Coalesce(Subquery(latest), Value(NO_REVIEW)))
        .filter(latest_conclusion__in=(NO_REVIEW, "reject"))
        .order_by("updated_at", "code")
    )


def panel_inbox(user: User) -> list[InboxItem]:
    """NDRC's 待办: 组织专家组 for each project waiting for a panel."""
    if not user.has_role(Role.NDRC_OFFICER):
        return []
    # every project in needs analysis checked (4,000 at national scale): kept while no record changes
    scope = "all" if project_policies.scope_q(user) is None else f"user{user.pk}"
    projects, count = kept(
        f"notifications.panel_needed:{scope}",
        records_stamp(),
        lambda: bounded(panel_needed(user=user), INBOX_LIMIT),
    )
    items = [
        InboxItem(
            title=_("Organise the expert panel for the needs-analysis report"),
            url=pk_url("web:project_reviews", p.pk) + "#tabs",
            project=p,
            kind="panel_needed",
        )
        for p in projects
    ]
    url = reverse("web:project_list") + "?" + urlencode({"stage": Stage.NEEDS_ANALYSIS})
    title = _("…and %(n)s more projects waiting for an expert panel")
    return items + more_line(count, len(projects), title, url, "panel_needed_more")


def done_section(user: User) -> dict[str, Any]:
    """已办: the DONE_LIMIT latest things the user did (a link to the rest)."""
    events = list(selectors.done_of(user=user)[: DONE_LIMIT + 1])
    return {
        "done": selectors.done_rows(events[:DONE_LIMIT], user=user),
        "done_more_url": reverse("web:done") + "?page=2" if len(events) > DONE_LIMIT else "",
    }


# ---------------------------------------------------------------- who acts next


def _who(actor: str, project: Project) -> str:
    department = project.lead_department.name if project.lead_department_id else ""
    if actor in (Actor.NDRC, Actor.NDRC_OR_EARLY_LEADER):
        return pgettext("next actor", "NDRC")
    if actor == Actor.NDRC_OR_ENTRUSTED:
        if project.completion_entrusted:
            return pgettext("next actor", "NDRC or the leader of %(department)s (entrusted)") % {
                "department": department
            }
        return pgettext("next actor", "NDRC")
    if actor == Actor.DEPT_LEADER:
        return pgettext("next actor", "the leader of %(department)s") % {"department": department}
    return department


def _review_line(project: Project) -> tuple[str, str] | None:
    """In needs analysis, the review decides who acts: NDRC forms a panel, the experts give
    opinions, NDRC concludes; then the department submits the proposal."""
    from egovpm.reviews.models import ExpertReview

    review = (
        ExpertReview.objects.filter(project=project).order_by("-number").prefetch_related("members", "opinions").first()
    )
    if review is None or (review.status == "concluded" and review.conclusion == "reject"):
        return "ndrc", _("organise the expert panel for the needs-analysis report")
    if review.status == "open":
        members = {m.expert_id for m in review.members.all()}
        given = len(members & {o.expert_id for o in review.opinions.all()})
        if given < len(members):
            text = _("the experts' opinions (%(given)s of %(size)s given)") % {"given": given, "size": len(members)}
            if review.due_on:
                text += _(", due %(due)s") % {"due": review.due_on.isoformat()}
            return "experts", text
        return "ndrc", _("record the expert panel's conclusion")
    return None


def waiting_lines(user: User, project: Project) -> list[dict[str, str]]:
    """Who the project waits for, and for what — unless it is the user themself; NDRC gets a 催办
    link on each."""
    lines = [{"text": text, "chase": ""} for text in _waiting(user, project)]
    if lines and policies.may_chase(user):
        url = reverse("web:project_chase", kwargs={"pk": project.pk})
        lines = [{**line, "chase": url} for line in lines]
    return lines


def _waiting(user: User, project: Project) -> list[str]:
    if project.stage in (Stage.IN_OPERATION, Stage.CANCELLED):
        return []
    ndrc = user.has_role(Role.NDRC_OFFICER)
    if project.stage == Stage.NEEDS_ANALYSIS:
        found = _review_line(project)
        if found is not None:
            who, what = found
            if who == "ndrc":
                return [] if ndrc else [_("Waiting for NDRC: %(what)s") % {"what": what}]
            return [_("Waiting for the expert panel: %(what)s") % {"what": what}]
    lines = []
    for action, t in TRANSITIONS.items():
        if action in ("return", "cancel") or project.stage not in t.sources:
            continue
        if project_policies.may_act(user, project, action):
            continue
        lines.append(_("Waiting for %(who)s: %(what)s") % {"who": _who(t.actor, project), "what": Action(action).label})
    if project_policies.is_lead_member(user, project):
        # what the lead department handed over and waits for (two queries, a few lines at most)
        lines += _adjustment_lines(user, project) + _report_lines(project)
    return lines


WAITING_ROWS = 5


def _adjustment_lines(user: User, project: Project) -> list[str]:
    """Budget adjustments waiting for a decision or for NDRC's acknowledgement of their filing."""
    from egovpm.budgets.choices import AdjustmentStatus, Route
    from egovpm.budgets.models import Adjustment

    rows = (
        Adjustment.objects.filter(project=project)
        .filter(
            Q(status=AdjustmentStatus.PENDING)
            | Q(status=AdjustmentStatus.APPROVED, filed_on__isnull=False, acknowledged_at__isnull=True)
        )
        .order_by("number")
        .values("number", "status", "route")[:WAITING_ROWS]
    )
    ndrc = pgettext("next actor", "NDRC")
    leader = pgettext("next actor", "the leader of %(department)s") % {"department": project.lead_department.name}
    lines = []
    for a in rows:
        if a["status"] != AdjustmentStatus.PENDING:
            what = _("acknowledge the filing of adjustment no. %(number)s") % {"number": a["number"]}
            lines.append(_("Waiting for %(who)s: %(what)s") % {"who": ndrc, "what": what})
        elif a["route"] == Route.NDRC_APPROVAL or not project_policies.is_lead_member(user, project, Role.DEPT_LEADER):
            who = ndrc if a["route"] == Route.NDRC_APPROVAL else leader
            what = _("decide adjustment request no. %(number)s") % {"number": a["number"]}
            lines.append(_("Waiting for %(who)s: %(what)s") % {"who": who, "what": what})
    return lines


def _period_label(code: str) -> str:
    from egovpm.rules import facts_reports as fr

    period = fr.period_from_code(code)
    return period.label_en if (get_language() or "").startswith("en") else period.label_zh


def _report_lines(project: Project) -> list[str]:
    """Progress reports submitted and not yet signed for by NDRC or MoF."""
    from egovpm.reports import obligations
    from egovpm.reports.models import ReportObligation

    obligations.ensure_fresh([project.pk])  # the stored rows follow a submission once refreshed
    rows = (
        ReportObligation.objects.filter(project=project)
        .filter(Q(awaits_ndrc=True) | Q(awaits_mof=True))
        .order_by("period")
        .values("period", "awaits_ndrc", "awaits_mof")[:WAITING_ROWS]
    )
    lines = []
    for r in rows:
        for awaits, who in (
            (r["awaits_ndrc"], pgettext("next actor", "NDRC")),
            (r["awaits_mof"], pgettext("next actor", "MoF")),
        ):
            if awaits:
                what = _("sign for the progress report %(period)s") % {"period": _period_label(r["period"])}
                lines.append(_("Waiting for %(who)s: %(what)s") % {"who": who, "what": what})
    return lines

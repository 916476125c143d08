"""Writes of the reviews app (clauses 2 and 10): the expert pool, panels (named or drawn), opinions,
conclusions and the co-authors of a joint project's needs-analysis report.

Every write follows style.md habit 2: atomic → lock → check → change → save → audit_record."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import translation

from egovpm.accounts.choices import Role
from egovpm.accounts.models import Department, User
from egovpm.audit.actions import AuditAction
from egovpm.audit.services import audit_record
from egovpm.core import clock
from egovpm.core.errors import Conflict, CoreError, FieldError, Forbidden, InvalidInput
from egovpm.documents import storage
from egovpm.projects import policies as project_policies
from egovpm.projects import services as project_services
from egovpm.projects.choices import AssignmentTask, Stage
from egovpm.projects.models import Assignment, Project
from egovpm.reviews import policies, selectors
from egovpm.reviews.choices import DEFAULT_SPECIALTIES, FormedBy, Recommendation, ReviewStatus
from egovpm.reviews.errors import ReviewError
from egovpm.reviews.models import ExpertProfile, ExpertReview, NeedsAnalysis, Opinion, PanelMember, Specialty

# Co-authors are part of the needs analysis: recorded before the proposal goes to NDRC.
CO_AUTHOR_STAGES = (Stage.DRAFT, Stage.NEEDS_ANALYSIS)
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


# ---------------------------------------------------------------- the pool


def specialty_add(*, actor: User, code: str, name: str, name_en: str = "") -> Specialty:
    project_policies.require(policies.may_manage_pool(actor), ReviewError.SPECIALTIES_NDRC_ONLY)
    code, name = (code or "").strip(), (name or "").strip()
    errors: dict[str, FieldError] = {}
    if not code:
        errors["code"] = FieldError(CoreError.REQUIRED)
    elif not all(c.isascii() and (c.isalnum() or c in "-_") for c in code):
        errors["code"] = FieldError(ReviewError.SPECIALTY_CODE_CHARACTERS)
    if not name:
        errors["name"] = FieldError(CoreError.REQUIRED)
    if errors:
        raise InvalidInput(ReviewError.SPECIALTY_NOT_ADDED, fields=errors)
    with transaction.atomic():
        if Specialty.objects.select_for_update().filter(code=code).exists():
            raise Conflict(ReviewError.SPECIALTY_EXISTS, {"code": code})
        specialty = Specialty.objects.create(code=code, name=name, name_en=(name_en or "").strip())
        audit_record(
            actor=actor, action=AuditAction.REVIEW_SPECIALTY_ADD, obj=specialty, new={"code": code, "name": name}
        )
    return specialty


def specialty_set_active(*, actor: User, code: str, active: bool) -> Specialty:
    project_policies.require(policies.may_manage_pool(actor), ReviewError.SPECIALTIES_NDRC_ONLY)
    with transaction.atomic():
        specialty = Specialty.objects.select_for_update().filter(code=code).first()
        if specialty is None:
            raise InvalidInput(
                ReviewError.UNKNOWN_SPECIALTY,
                {"codes": code},
                fields={"code": FieldError(CoreError.UNKNOWN, {"value": code})},
            )
        old = specialty.active
        specialty.active = active
        specialty.save(update_fields=["active"])
        audit_record(
            actor=actor,
            action=AuditAction.REVIEW_SPECIALTY_SET,
            obj=specialty,
            old={"active": old},
            new={"active": active},
        )
    return specialty


def _specialties(codes: Iterable[str]) -> list[Specialty]:
    codes = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    found = {s.code: s for s in Specialty.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise InvalidInput(
            ReviewError.UNKNOWN_SPECIALTY,
            {"codes": ", ".join(unknown)},
            fields={"specialties": [FieldError(CoreError.UNKNOWN, {"value": c}) for c in unknown]},
        )
    return [found[c] for c in codes]


def _profile_state(profile: ExpertProfile) -> dict[str, Any]:
    return {
        "user": profile.user.username,
        "specialties": sorted(s.code for s in profile.specialties.all()),
        "title": profile.title,
        "active": profile.active,
    }


def expert_profile_set(
    *,
    actor: User,
    username: str,
    specialties: Iterable[str] | None = None,
    title: str | None = None,
    active: bool | None = None,
) -> ExpertProfile:
    """Put a user with the `expert` role into the pool, or change their profile."""
    project_policies.require(policies.may_manage_pool(actor), ReviewError.POOL_NDRC_ONLY)
    user = User.objects.filter(username=username).select_related("department").first()
    if user is None:
        raise InvalidInput(
            ReviewError.UNKNOWN_EXPERT_USER,
            {"username": username},
            fields={"user": FieldError(CoreError.UNKNOWN, {"value": username})},
        )
    if not user.has_role(Role.EXPERT):
        raise InvalidInput(
            ReviewError.NOT_AN_EXPERT,
            {"username": username},
            fields={"user": FieldError(ReviewError.LACKS_EXPERT_ROLE)},
        )
    chosen = _specialties(specialties) if specialties is not None else None
    with transaction.atomic():
        profile = ExpertProfile.objects.select_for_update().filter(user=user).first()
        old = _profile_state(profile) if profile is not None else None
        if profile is None:
            if not chosen:
                raise InvalidInput(ReviewError.SPECIALTY_REQUIRED, fields={"specialties": _SPECIALTY_REQUIRED})
            profile = ExpertProfile.objects.create(
                user=user,
                title=(title or "").strip(),
                active=True if active is None else active,
                updated_at=clock.now(),
            )
        else:
            if title is not None:
                profile.title = title.strip()
            if active is not None:
                profile.active = active
            profile.updated_at = clock.now()
            profile.save(update_fields=["title", "active", "updated_at"])
        if chosen is not None:
            if not chosen:
                raise InvalidInput(ReviewError.SPECIALTY_REQUIRED, fields={"specialties": _SPECIALTY_REQUIRED})
            profile.specialties.set(chosen)
        audit_record(
            actor=actor,
            action=AuditAction.REVIEW_EXPERT_SET if old else AuditAction.REVIEW_EXPERT_ADD,
            obj=profile,
            old=old,
            new=_profile_state(profile),
        )
    return profile


# ---------------------------------------------------------------- panels


@dataclass(frozen=True)
class DrawRequest:
    size: int
    specialties: tuple[str, ...] = ()


_SPECIALTY_REQUIRED = FieldError(ReviewError.SPECIALTY_REQUIRED)


def conflict_reason(expert: User, project: Project) -> FieldError | None:
    """Why `expert` may not sit on a panel for `project`, or None (domain.md §10: an expert whose
    own department leads or participates in the project is in a conflict of interest)."""
    department = expert.department
    if department is None:
        return None
    if department.pk == project.lead_department_id:
        return FieldError(ReviewError.DEPARTMENT_LEADS, {"code": department.code})
    if project.participations.filter(department_id=department.pk).exists():
        return FieldError(ReviewError.DEPARTMENT_PARTICIPATES, {"code": department.code})
    return None


def _pool_member(user: User | None, username: str) -> FieldError | None:
    """Why `username` cannot be drawn or named at all, or None."""
    if user is None or not user.is_active:
        return FieldError(ReviewError.UNKNOWN_OR_DISABLED)
    if not user.has_role(Role.EXPERT):
        return FieldError(ReviewError.LACKS_EXPERT_ROLE)
    profile = getattr(user, "expert_profile", None)
    if profile is None:
        return FieldError(ReviewError.OUTSIDE_POOL)
    if not profile.active:
        return FieldError(ReviewError.INACTIVE_IN_POOL)
    return None


def excluded_entry(username: str, reason: FieldError) -> dict[str, Any]:
    """One expert left out of a draw, as the draw record keeps it: the code and its parameters
    (the UI renders them in the reader's language) and the reason in English words for the record."""
    with translation.override("en"):
        words = reason.render()
    return {"expert": username, "reason": words, **reason.as_dict()}


def _named_panel(project: Project, usernames: list[str], minimum: int) -> list[User]:
    if len(set(usernames)) != len(usernames):
        raise InvalidInput(ReviewError.EXPERT_NAMED_TWICE, fields={"experts": FieldError(CoreError.DUPLICATE_ENTRY)})
    users = {
        u.username: u
        for u in User.objects.filter(username__in=usernames).select_related("department", "expert_profile")
    }
    problems: dict[str, FieldError] = {}
    conflicts = False
    for name in usernames:
        reason = _pool_member(users.get(name), name)
        if reason is None:
            reason = conflict_reason(users[name], project)
            conflicts = conflicts or reason is not None
        if reason is not None:
            problems[name] = reason
    if problems:
        raise InvalidInput(
            ReviewError.CONFLICT_OF_INTEREST if conflicts else ReviewError.PANEL_REFUSED,
            {"experts": ", ".join(problems)},
            fields={"experts": problems},
        )
    if len(usernames) < minimum:
        raise InvalidInput(
            ReviewError.PANEL_TOO_SMALL,
            {"minimum": minimum, "named": len(usernames)},
            fields={"experts": FieldError(ReviewError.AT_LEAST, {"minimum": minimum})},
        )
    return [users[n] for n in usernames]


def _drawn_panel(project: Project, draw: DrawRequest, minimum: int) -> tuple[list[User], dict[str, Any]]:
    if draw.size < minimum:
        raise InvalidInput(
            ReviewError.PANEL_TOO_SMALL,
            {"minimum": minimum, "size": draw.size},
            fields={"size": FieldError(ReviewError.AT_LEAST, {"minimum": minimum})},
        )
    wanted = _specialties(draw.specialties)
    profiles = ExpertProfile.objects.filter(
        active=True, user__is_active=True, user__roles__role=Role.EXPERT
    ).select_related("user", "user__department")
    if wanted:
        profiles = profiles.filter(specialties__in=wanted)
    # the order the candidates were considered in: by username, each once
    pool = sorted({p.user.username: p.user for p in profiles}.items())
    candidates: list[str] = []
    excluded: list[dict[str, Any]] = []
    for username, user in pool:
        reason = conflict_reason(user, project)
        if reason is not None:
            excluded.append(excluded_entry(username, reason))
        else:
            candidates.append(username)
    if len(candidates) < draw.size:
        eligible = {"eligible": len(candidates), "size": draw.size}
        raise InvalidInput(
            ReviewError.POOL_TOO_SMALL,
            eligible,
            fields={"size": FieldError(ReviewError.AT_MOST_ELIGIBLE, eligible)},
            data={"excluded": excluded},
        )
    # The seed is always the server's: a seed chosen by the caller could be searched offline for
    # the panel one wants, and the record would still read "random draw".
    seed = secrets.token_hex(16)
    chosen = selectors.draw_select(seed, candidates, draw.size)
    users = dict(pool)
    record = {
        "draw_seed": seed,
        "draw_size": draw.size,
        "draw_specialties": [s.code for s in wanted],
        "draw_candidates": candidates,
        "draw_excluded": excluded,
    }
    return [users[u] for u in chosen], record


def review_form(
    *,
    actor: User,
    project_id: Any,
    experts: list[str] | None = None,
    draw: DrawRequest | None = None,
    due_on: dt.date | None = None,
) -> ExpertReview:
    """NDRC forms a panel for a project's needs analysis: named experts, or a reproducible draw."""
    with transaction.atomic():
        project = project_policies.project_for(actor, project_id, "review", for_update=True)
        project_policies.require(policies.may_organise(actor), ReviewError.FORM_NDRC_ONLY)
        if (experts is None) == (draw is None):
            either = FieldError(ReviewError.EITHER_EXPERTS_OR_DRAW)
            raise InvalidInput(ReviewError.EXPERTS_OR_DRAW, fields={"experts": either, "draw": either})
        if project.stage != Stage.NEEDS_ANALYSIS:
            raise Conflict(ReviewError.PANEL_WRONG_STAGE, {"stage": project.stage}, data={"stage": project.stage})
        if ExpertReview.objects.filter(project=project, status=ReviewStatus.OPEN).exists():
            raise Conflict(ReviewError.REVIEW_OPEN)
        if due_on is not None and due_on < clock.today():
            raise InvalidInput(ReviewError.DUE_IN_PAST, fields={"due_on": FieldError(ReviewError.DATE_IN_PAST)})
        minimum = selectors.min_panel_size(project.regime)
        draw_record: dict[str, Any] = {}
        if experts is not None:
            panel = _named_panel(project, list(experts), minimum)
        else:
            assert draw is not None
            panel, draw_record = _drawn_panel(project, draw, minimum)
        formed = ExpertReview.objects.filter(project=project).aggregate(last=Max("number"))["last"] or 0
        review = ExpertReview.objects.create(
            project=project,
            number=formed + 1,
            formed_by=FormedBy.NAMED if experts is not None else FormedBy.DRAW,
            formed_at=clock.now(),
            organised_by=actor,
            due_on=due_on,
            **draw_record,
        )
        PanelMember.objects.bulk_create(
            PanelMember(review=review, expert=u, position=i) for i, u in enumerate(panel, start=1)
        )
        assigned = set(
            Assignment.objects.filter(project=project, task=AssignmentTask.EXPERT).values_list("user_id", flat=True)
        )
        for u in panel:
            if u.pk not in assigned:
                # the assignment lets the expert open the project (summary, needs-analysis report)
                project_services.assignment_add(
                    actor=actor, project_id=project.pk, username=u.username, task=AssignmentTask.EXPERT
                )
        audit_record(
            actor=actor,
            action=AuditAction.REVIEW_FORM,
            obj=review,
            project_id=str(project.pk),
            new={
                "formed_by": review.formed_by,
                "experts": [u.username for u in panel],
                "due_on": due_on.isoformat() if due_on else None,
                **draw_record,
            },
        )
    return review


# ---------------------------------------------------------------- opinions and conclusion


def _locked_review(actor: User, review_id: Any) -> ExpertReview:
    review = selectors.review_for(user=actor, review_id=review_id)  # 404 / 403 in the §4 order
    return ExpertReview.objects.select_for_update().select_related("project").get(pk=review.pk)


def _opinion_state(o: Opinion) -> dict[str, Any]:
    return {
        "expert": o.expert.username,
        "recommendation": o.recommendation,
        "text": o.text,
        "attachment_sha256": o.attachment_sha256 or None,
    }


def opinion_give(
    *,
    actor: User,
    review_id: Any,
    recommendation: str,
    text: str,
    attachment: UploadedFile | None = None,
) -> tuple[Opinion, bool]:
    """An expert on the panel gives (or, until the conclusion, changes) their one opinion.
    Returns the opinion and whether it was new."""
    # an attachment is spooled to a temporary file while digesting, removed after the transaction
    with contextlib.ExitStack() as spools, transaction.atomic():
        review = _locked_review(actor, review_id)
        if not review.members.filter(expert_id=actor.pk).exists():
            raise Forbidden(ReviewError.MEMBERS_ONLY)
        if review.status != ReviewStatus.OPEN:
            raise Conflict(ReviewError.REVIEW_CONCLUDED)
        errors: dict[str, FieldError] = {}
        if recommendation not in Recommendation.values:
            errors["recommendation"] = FieldError(ReviewError.ONE_OF, {"choices": ", ".join(Recommendation.values)})
        if not (text or "").strip():
            errors["text"] = FieldError(CoreError.REQUIRED)
        blob: storage.Spooled | None = None
        if attachment is not None:
            if attachment.size is not None and attachment.size > MAX_ATTACHMENT_BYTES:
                errors["attachment"] = FieldError(ReviewError.FILE_TOO_LARGE, {"max_bytes": MAX_ATTACHMENT_BYTES})
            else:
                blob = spools.enter_context(storage.spool(attachment.chunks()))
                if blob.size == 0:
                    errors["attachment"] = FieldError(ReviewError.FILE_EMPTY)
        if errors:
            raise InvalidInput(ReviewError.OPINION_NOT_RECORDED, fields=errors)
        now = clock.now()
        opinion = Opinion.objects.select_for_update().filter(review=review, expert=actor).first()
        old = _opinion_state(opinion) if opinion is not None else None
        created = opinion is None
        if opinion is None:
            opinion = Opinion(review=review, expert=actor, given_at=now)
        opinion.recommendation = recommendation
        opinion.text = text.strip()
        opinion.updated_at = now
        if blob is not None and attachment is not None:
            sha256, sm3, size = blob.sha256, blob.sm3, blob.size
            storage.store_spooled(blob)
            opinion.attachment_name = (attachment.name or "attachment")[:255]
            opinion.attachment_type = (attachment.content_type or "application/octet-stream")[:100]
            opinion.attachment_size = size
            opinion.attachment_sha256 = sha256
            opinion.attachment_sm3 = sm3
        if created:
            opinion.save()
        else:
            opinion.save(
                update_fields=[
                    "recommendation",
                    "text",
                    "updated_at",
                    "attachment_name",
                    "attachment_type",
                    "attachment_size",
                    "attachment_sha256",
                    "attachment_sm3",
                ]
            )
        audit_record(
            actor=actor,
            action=AuditAction.REVIEW_OPINION_GIVE if created else AuditAction.REVIEW_OPINION_CHANGE,
            obj=opinion,
            project_id=str(review.project_id),
            old=old,
            new=_opinion_state(opinion),
        )
    return opinion, created


def _record(review: ExpertReview) -> dict[str, Any]:
    """The expert-opinion record as it stands at the conclusion (canonical, JSON-safe)."""
    project = review.project
    members = list(review.members.select_related("expert", "expert__department").order_by("position"))
    profiles = {
        p.user_id: p
        for p in ExpertProfile.objects.filter(user__in=[m.expert for m in members]).prefetch_related("specialties")
    }
    opinions = {o.expert_id: o for o in review.opinions.select_related("expert")}

    def iso(v: dt.datetime | None) -> str | None:
        return v.astimezone(clock.BEIJING).isoformat() if v else None

    panel = []
    for m in members:
        profile = profiles.get(m.expert_id)
        o = opinions.get(m.expert_id)
        panel.append(
            {
                "expert": m.expert.username,
                "name": m.expert.label(),
                "department": m.expert.department.name if m.expert.department else "",
                "title": profile.title if profile else "",
                "specialties": [s.name for s in profile.specialties.all()] if profile else [],
                "opinion": None
                if o is None
                else {
                    "recommendation": o.recommendation,
                    "text": o.text,
                    "given_at": iso(o.given_at),
                    "updated_at": iso(o.updated_at),
                    "attachment": {
                        "name": o.attachment_name,
                        "size": o.attachment_size,
                        "sha256": o.attachment_sha256,
                        "sm3": o.attachment_sm3,
                    }
                    if o.attachment_sha256
                    else None,
                },
            }
        )
    return {
        "review": str(review.pk),
        "project": {
            "id": str(project.pk),
            "code": project.code,
            "name": project.name,
            "lead_department": project.lead_department.name,
            "participating_departments": [d.name for d in project.participating_departments.order_by("code")],
        },
        "formed_by": review.formed_by,
        "formed_at": iso(review.formed_at),
        "organised_by": review.organised_by.label(),
        "draw": {
            "seed": review.draw_seed,
            "size": review.draw_size,
            "specialties": review.draw_specialties,
            "candidates": review.draw_candidates,
            "excluded": review.draw_excluded,
        }
        if review.draw_seed
        else None,
        "panel": panel,
        "conclusion": review.conclusion,
        "conclusion_text": review.conclusion_text,
        "concluded_by": review.concluded_by.label() if review.concluded_by else "",
        "concluded_at": iso(review.concluded_at),
    }


def record_digest(record: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()


def review_conclude(*, actor: User, review_id: Any, conclusion: str, text: str) -> ExpertReview:
    """NDRC concludes the panel once every member has given an opinion; the conclusion and the
    opinions become the immutable expert-opinion record (专家评议意见)."""
    with transaction.atomic():
        review = _locked_review(actor, review_id)
        project_policies.require(policies.may_organise(actor), ReviewError.CONCLUDE_NDRC_ONLY)
        if review.status != ReviewStatus.OPEN:
            raise Conflict(ReviewError.ALREADY_CONCLUDED)
        errors: dict[str, FieldError] = {}
        if conclusion not in Recommendation.values:
            errors["conclusion"] = FieldError(ReviewError.ONE_OF, {"choices": ", ".join(Recommendation.values)})
        if not (text or "").strip():
            errors["text"] = FieldError(CoreError.REQUIRED)
        if errors:
            raise InvalidInput(ReviewError.CONCLUSION_NOT_RECORDED, fields=errors)
        given = set(review.opinions.values_list("expert_id", flat=True))
        waiting = [m.expert.username for m in review.members.select_related("expert") if m.expert_id not in given]
        if waiting:
            raise Conflict(ReviewError.OPINIONS_MISSING, {"names": ", ".join(waiting)}, data={"waiting_for": waiting})
        review.status = ReviewStatus.CONCLUDED
        review.conclusion = conclusion
        review.conclusion_text = text.strip()
        review.concluded_by = actor
        review.concluded_at = clock.now()
        review.record = _record(review)
        review.record_sha256 = record_digest(review.record)
        review.save(
            update_fields=[
                "status",
                "conclusion",
                "conclusion_text",
                "concluded_by",
                "concluded_at",
                "record",
                "record_sha256",
            ]
        )
        audit_record(
            actor=actor,
            action=AuditAction.REVIEW_CONCLUDE,
            obj=review,
            project_id=str(review.project_id),
            old={"status": ReviewStatus.OPEN},
            new={
                "status": review.status,
                "conclusion": conclusion,
                "text": review.conclusion_text,
                "record_sha256": review.record_sha256,
            },
        )
    return review


# ---------------------------------------------------------------- co-authors (C10.2)


def co_authors_set(*, actor: User, project_id: Any, departments: Iterable[str]) -> NeedsAnalysis:
    """The lead department records which participating departments co-authored its needs-analysis
    report (clause 10: 地方部门共同编制需求分析报告)."""
    codes = list(dict.fromkeys(c.strip() for c in departments if c and c.strip()))
    with transaction.atomic():
        project = project_policies.project_for(actor, project_id, "edit", for_update=True)
        project_policies.require(policies.may_set_co_authors(actor, project), ReviewError.CO_AUTHORS_LEAD_ONLY)
        if project.stage not in CO_AUTHOR_STAGES:
            raise Conflict(ReviewError.CO_AUTHORS_WRONG_STAGE, data={"stage": project.stage})
        participants = {d.code: d for d in project.participating_departments.all()}
        unknown = [c for c in codes if c not in participants]
        if unknown:
            known = set(Department.objects.filter(code__in=unknown).values_list("code", flat=True))
            not_participant = FieldError(ReviewError.NOT_A_PARTICIPANT)
            raise InvalidInput(
                ReviewError.CO_AUTHORS_NOT_PARTICIPANTS,
                {"departments": ", ".join(unknown)},
                fields={
                    "co_authors": {
                        c: not_participant if c in known else FieldError(CoreError.UNKNOWN, {"value": c})
                        for c in unknown
                    }
                },
            )
        record = NeedsAnalysis.objects.select_for_update().filter(project=project).first()
        old = sorted(record.co_authors.values_list("code", flat=True)) if record is not None else None
        if record is None:
            record = NeedsAnalysis.objects.create(project=project, recorded_at=clock.now(), recorded_by=actor)
        else:
            record.recorded_at = clock.now()
            record.recorded_by = actor
            record.save(update_fields=["recorded_at", "recorded_by"])
        record.co_authors.set([participants[c] for c in codes])
        audit_record(
            actor=actor,
            action=AuditAction.REVIEW_CO_AUTHORS_SET,
            obj=record,
            project_id=str(project.pk),
            old={"co_authors": old} if old is not None else None,
            new={"co_authors": sorted(codes)},
        )
    return record


def specialty_seed_defaults() -> None:
    """Put back any missing default specialty. A fresh database gets them from a data migration;
    this serves the demo and test set-ups after a transactional test has flushed the tables."""
    for code, name, name_en in DEFAULT_SPECIALTIES:
        Specialty.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en})

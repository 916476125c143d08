"""Every action the audit trail records, in one place (issue 10 item 3; docs/audit.md).

`audit_record(action=...)` takes an `AuditAction` and refuses any other value, so a new kind of
write cannot be audited under a name nobody listed. The values are what the rows store (never
change one: existing rows keep it); the labels are what people read (the audit page), in the
request's language through the audit app's catalogue (audit/locale, context "audit action").

The list lives in the audit app, the lowest app but core, because every app that writes records
through it; the apps themselves are not imported here (tests/core/test_import_graph.py). Grouped by
the app that records the action."""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class AuditAction(models.TextChoices):
    # accounts: departments, users, API tokens
    DEPARTMENT_ADD = "department.add", pgettext_lazy("audit action", "Add department")
    USER_ADD = "user.add", pgettext_lazy("audit action", "Add user")
    USER_SET = "user.set", pgettext_lazy("audit action", "Change user")
    AUTH_TOKEN_ISSUE = "auth.token_issue", pgettext_lazy("audit action", "Issue API token")
    AUTH_TOKEN_REVOKE = "auth.token_revoke", pgettext_lazy("audit action", "Revoke API token")
    # accounts: the administrators' work in the browser and the API (三员分立, domain.md §14)
    DEPARTMENT_SET = "department.set", pgettext_lazy("audit action", "Change department")
    USER_ROLES_SET = "user.roles_set", pgettext_lazy("audit action", "Grant or revoke roles")
    USER_UNLOCK = "user.unlock", pgettext_lazy("audit action", "Unlock account")
    # the user chooses their own password (after an administrator's temporary one, docs/security.md)
    USER_PASSWORD_CHANGE = "user.password_change", pgettext_lazy("audit action", "Change own password")
    SECURITY_POLICY_SET = "security_policy.set", pgettext_lazy("audit action", "Change security policy")
    AUDIT_VERIFY = "audit.verify", pgettext_lazy("audit action", "Verify audit chain")

    # projects: records, stage transitions (one per projects.choices.Action), assignments
    PROJECT_CREATE = "project.create", pgettext_lazy("audit action", "Create project")
    PROJECT_UPDATE = "project.update", pgettext_lazy("audit action", "Change project")
    PROJECT_ENTRUST_COMPLETION = (
        "project.entrust_completion",
        pgettext_lazy("audit action", "Entrust completion acceptance"),
    )
    PROJECT_APPROVAL_REFERENCE = "project.approval_reference", pgettext_lazy("audit action", "Correct approval number")
    TRANSITION_SUBMIT_NEEDS_ANALYSIS = (
        "project.transition.submit_needs_analysis",
        pgettext_lazy("audit action", "Submit needs analysis"),
    )
    TRANSITION_SUBMIT_PROPOSAL = (
        "project.transition.submit_proposal",
        pgettext_lazy("audit action", "Submit project proposal"),
    )
    TRANSITION_APPROVE_PROPOSAL = (
        "project.transition.approve_proposal",
        pgettext_lazy("audit action", "Approve project proposal"),
    )
    TRANSITION_APPROVE_FEASIBILITY = (
        "project.transition.approve_feasibility",
        pgettext_lazy("audit action", "Approve feasibility study"),
    )
    TRANSITION_APPROVE_PRELIMINARY_DESIGN = (
        "project.transition.approve_preliminary_design",
        pgettext_lazy("audit action", "Approve preliminary design and estimate"),
    )
    TRANSITION_START_TRIAL_OPERATION = (
        "project.transition.start_trial_operation",
        pgettext_lazy("audit action", "Start trial operation"),
    )
    TRANSITION_PASS_PRELIMINARY_ACCEPTANCE = (
        "project.transition.pass_preliminary_acceptance",
        pgettext_lazy("audit action", "Pass preliminary acceptance"),
    )
    TRANSITION_PASS_COMPLETION_ACCEPTANCE = (
        "project.transition.pass_completion_acceptance",
        pgettext_lazy("audit action", "Pass completion acceptance"),
    )
    TRANSITION_RETURN = "project.transition.return", pgettext_lazy("audit action", "Return for revision")
    TRANSITION_CANCEL = "project.transition.cancel", pgettext_lazy("audit action", "Cancel project")
    ASSIGNMENT_ADD = "assignment.add", pgettext_lazy("audit action", "Assign to project")
    ASSIGNMENT_REMOVE = "assignment.remove", pgettext_lazy("audit action", "Remove project assignment")

    # documents: evidence and the blob store
    DOCUMENT_UPLOAD = "document.upload", pgettext_lazy("audit action", "Upload document")
    DOCUMENT_UPDATE = "document.update", pgettext_lazy("audit action", "Change document")
    DOCUMENT_ARCHIVE = "document.archive", pgettext_lazy("audit action", "Archive document")
    DOCUMENT_WITHDRAW = "document.withdraw", pgettext_lazy("audit action", "Withdraw document")
    STORAGE_REPAIR = "storage.repair", pgettext_lazy("audit action", "Repair document store")

    # reviews: specialties, the expert pool, panels, opinions, conclusions
    REVIEW_SPECIALTY_ADD = "review.specialty.add", pgettext_lazy("audit action", "Add review specialty")
    REVIEW_SPECIALTY_SET = "review.specialty.set", pgettext_lazy("audit action", "Change review specialty")
    REVIEW_EXPERT_ADD = "review.expert.add", pgettext_lazy("audit action", "Add expert to pool")
    REVIEW_EXPERT_SET = "review.expert.set", pgettext_lazy("audit action", "Change expert in pool")
    REVIEW_FORM = "review.form", pgettext_lazy("audit action", "Form expert panel")
    REVIEW_OPINION_GIVE = "review.opinion.give", pgettext_lazy("audit action", "Give review opinion")
    REVIEW_OPINION_CHANGE = "review.opinion.change", pgettext_lazy("audit action", "Change review opinion")
    REVIEW_CONCLUDE = "review.conclude", pgettext_lazy("audit action", "Conclude review")
    REVIEW_CO_AUTHORS_SET = "review.co_authors.set", pgettext_lazy("audit action", "Set opinion co-authors")

    # budgets: estimate, adjustments, spending
    ESTIMATE_PUT = "estimate.put", pgettext_lazy("audit action", "Record estimate")
    ADJUSTMENT_REQUEST = "adjustment.request", pgettext_lazy("audit action", "Request budget adjustment")
    ADJUSTMENT_REJECT = "adjustment.reject", pgettext_lazy("audit action", "Reject budget adjustment")
    ADJUSTMENT_STALE = "adjustment.stale", pgettext_lazy("audit action", "Budget adjustment became stale")
    ADJUSTMENT_REROUTE = "adjustment.reroute", pgettext_lazy("audit action", "Re-route budget adjustment to NDRC")
    ADJUSTMENT_APPROVE = "adjustment.approve", pgettext_lazy("audit action", "Approve budget adjustment")
    ADJUSTMENT_WITHDRAW = "adjustment.withdraw", pgettext_lazy("audit action", "Withdraw budget adjustment")
    ADJUSTMENT_FILE = "adjustment.file", pgettext_lazy("audit action", "File budget adjustment")
    ADJUSTMENT_ACKNOWLEDGE = (
        "adjustment.acknowledge",
        pgettext_lazy("audit action", "Acknowledge budget adjustment filing"),
    )
    EXPENDITURE_ADD = "expenditure.add", pgettext_lazy("audit action", "Record spending")
    EXPENDITURE_IMPORT = "expenditure.import", pgettext_lazy("audit action", "Import spending")

    # reports: construction progress reports
    REPORT_SUBMIT = "report.submit", pgettext_lazy("audit action", "Submit progress report")
    REPORT_RESUBMIT = "report.resubmit", pgettext_lazy("audit action", "Resubmit progress report")
    REPORT_RETURN = "report.return", pgettext_lazy("audit action", "Return progress report")
    REPORT_ACKNOWLEDGE = "report.acknowledge", pgettext_lazy("audit action", "Acknowledge progress report")
    REPORT_REMIND = "report.remind", pgettext_lazy("audit action", "Send report reminder")
    REPORT_DRAFT_SAVE = "report.draft_save", pgettext_lazy("audit action", "Save progress report draft")

    # security: information systems (等级保护) and risk assessments
    SYSTEM_CREATE = "system.create", pgettext_lazy("audit action", "Register information system")
    SYSTEM_UPDATE = "system.update", pgettext_lazy("audit action", "Change information system")
    SYSTEM_NETWORK_EXCEPTION = "system.network_exception", pgettext_lazy("audit action", "Grant network exception")
    RISK_ASSESSMENT_RECORD = "risk_assessment.record", pgettext_lazy("audit action", "Record risk assessment")

    # archives
    ARCHIVE_ACCEPTANCE_RECORD = "archive_acceptance.record", pgettext_lazy("audit action", "Record archive acceptance")

    # inspections: inspections and audits, findings, rectification to closure (clause 8)
    INSPECTION_OPEN = "inspection.open", pgettext_lazy("audit action", "Open inspection")
    FINDING_ADD = "inspection.finding_add", pgettext_lazy("audit action", "Record inspection finding")
    INSPECTION_ISSUE = "inspection.issue", pgettext_lazy("audit action", "Issue inspection report")
    INSPECTION_CLOSE = "inspection.close", pgettext_lazy("audit action", "Close inspection")
    RECTIFICATION_ANSWER = "rectification.answer", pgettext_lazy("audit action", "Answer rectification item")
    RECTIFICATION_CLOSE = "rectification.close", pgettext_lazy("audit action", "Close rectification item")
    RECTIFICATION_REOPEN = "rectification.reopen", pgettext_lazy("audit action", "Reopen rectification item")

    # procurement: the register (clause 5) and delivery modes (clause 11)
    PROCUREMENT_ADD = "procurement.add", pgettext_lazy("audit action", "Record procurement")
    PROCUREMENT_SET = "procurement.set", pgettext_lazy("audit action", "Correct procurement")
    PROCUREMENT_REMOVE = "procurement.remove", pgettext_lazy("audit action", "Remove procurement")
    PROCUREMENT_IMPORT = "procurement.import", pgettext_lazy("audit action", "Import procurements")
    DELIVERY_MODES_SET = "delivery_modes.set", pgettext_lazy("audit action", "Set delivery modes")

    # evaluations: post-evaluation (后评价) and NDRC's indicator templates
    POST_EVALUATION_ADD = "post_evaluation.add", pgettext_lazy("audit action", "Record post-evaluation")
    EVALUATION_TEMPLATE_ADD = (
        "evaluation_template.add",
        pgettext_lazy("audit action", "Add evaluation indicator template"),
    )

    # notifications: NDRC's chase, the message centre, e-mail choices
    NOTIFICATION_CHASE = "notification.chase", pgettext_lazy("audit action", "Send a chase")
    NOTIFICATION_READ = "notification.read", pgettext_lazy("audit action", "Mark messages read")
    NOTIFICATION_PREFERENCE_SET = (
        "notification.preference.set",
        pgettext_lazy("audit action", "Change e-mail notification choices"),
    )

    # operations (egovpm.ops) and the audit trail itself
    SYSTEM_BACKUP = "system.backup", pgettext_lazy("audit action", "Back up")
    SYSTEM_RESTORE = "system.restore", pgettext_lazy("audit action", "Restore from backup")
    AUDIT_REANCHOR = "audit.reanchor", pgettext_lazy("audit action", "Re-anchor audit chain")
    SYNTHETIC_SEED = "system.synthetic_seed", pgettext_lazy("audit action", "Seed synthetic portfolio")

    @classmethod
    def transition(cls, action: str) -> AuditAction:
        """The audit action of a stage transition (a projects.choices.Action value)."""
        return cls(f"project.transition.{action}")


def action_label(value: str) -> str:
    """What people read for a stored action: its label, or the stored value itself for a row
    written before the value was listed (never an error on the audit page)."""
    try:
        return str(AuditAction(value).label)
    except ValueError:
        return value

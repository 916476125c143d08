from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Document categories (api.md "Gates' evidence"); the archive filing scope (pack data
    `filing_scope`) and the retention defaults (`retention_defaults`) are keyed by these codes."""

    NEEDS_ANALYSIS_REPORT = "needs_analysis_report", _("Needs-analysis report")
    PROJECT_PROPOSAL = "project_proposal", _("Project proposal")
    FEASIBILITY_STUDY_REPORT = "feasibility_study_report", _("Feasibility study report")
    PRELIMINARY_DESIGN = "preliminary_design", _("Preliminary design")
    APPROVAL_DOCUMENT = "approval_document", _("Approval document")
    TENDER_DOCUMENTS = "tender_documents", _("Tendering documents")
    CONTRACT = "contract", _("Contract")
    PROGRESS_REPORT = "progress_report", _("Construction progress report")
    ADJUSTMENT_REPORT = "adjustment_report", _("Adjustment report")
    ADJUSTMENT_APPROVAL = "adjustment_approval", _("Adjustment approval")
    ADJUSTMENT_FILING = "adjustment_filing", _("Adjustment filing record")
    SECURITY_FILING = "security_filing", _("Graded-protection filing certificate")
    SECURITY_EVALUATION_REPORT = "security_evaluation_report", _("Graded-protection evaluation report")
    TRIAL_OPERATION_REPORT = "trial_operation_report", _("Trial-operation report")
    RISK_ASSESSMENT_REPORT = "risk_assessment_report", _("Risk assessment report")
    ACCEPTANCE_REPORT = "acceptance_report", _("Acceptance report")
    SECURE_CONTROLLABLE_EVIDENCE = "secure_controllable_evidence", _("Secure-and-controllable evidence")
    RECTIFICATION_EVIDENCE = "rectification_evidence", _("Rectification evidence")
    POST_EVALUATION_REPORT = "post_evaluation_report", _("Post-evaluation report")
    OTHER = "other", _("Other")


class Retention(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    Y30 = "30y", _("30 years")
    Y10 = "10y", _("10 years")

"""Every endpoint under /api/v1/. The permission-matrix test enumerates these patterns and fails
on any endpoint it has no expectations for."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from egovpm.accounts import api as accounts_api
from egovpm.audit import api as audit_api
from egovpm.core.csp import SwaggerDocsView
from egovpm.documents import api as documents_api
from egovpm.portfolio import api as portfolio_api
from egovpm.projects import api as projects_api

urlpatterns = [
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("docs", SwaggerDocsView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token", accounts_api.TokenView.as_view(), name="auth-token"),
    path("me", accounts_api.MeView.as_view(), name="me"),
    path("departments", accounts_api.DepartmentListView.as_view(), name="departments"),
    path("projects", projects_api.ProjectListView.as_view(), name="projects"),
    # before projects/<id>: the list as XLSX (the portfolio app writes it; same filters)
    path("projects/export", portfolio_api.ProjectExportView.as_view(), name="project-export"),
    path("projects/<str:project_id>", projects_api.ProjectDetailView.as_view(), name="project"),
    path(
        "projects/<str:project_id>/transition",
        projects_api.TransitionView.as_view(),
        name="project-transition",
    ),
    path("projects/<str:project_id>/events", projects_api.EventListView.as_view(), name="project-events"),
    path(
        "projects/<str:project_id>/events/<int:seq>/approval-reference",
        projects_api.EventReferenceView.as_view(),
        name="project-event-reference",
    ),
    path(
        "projects/<str:project_id>/entrust-completion",
        projects_api.EntrustView.as_view(),
        name="project-entrust",
    ),
    path(
        "projects/<str:project_id>/compliance",
        projects_api.ComplianceView.as_view(),
        name="project-compliance",
    ),
    path("projects/<str:project_id>/assignments", projects_api.AssignmentListView.as_view(), name="assignments"),
    path(
        "projects/<str:project_id>/assignments/<str:username>",
        projects_api.AssignmentDetailView.as_view(),
        name="assignment",
    ),
    path("projects/<str:project_id>/documents", documents_api.DocumentListView.as_view(), name="documents"),
    path("documents/<str:document_id>", documents_api.DocumentDetailView.as_view(), name="document"),
    path(
        "documents/<str:document_id>/content",
        documents_api.DocumentContentView.as_view(),
        name="document-content",
    ),
    path(
        "documents/<str:document_id>/withdraw",
        documents_api.DocumentWithdrawView.as_view(),
        name="document-withdraw",
    ),
    path("audit", audit_api.AuditListView.as_view(), name="audit"),
    path("audit/export", audit_api.AuditExportView.as_view(), name="audit-export"),
    # Domain apps add their endpoints in their own api_urls.py.
    path("", include("egovpm.budgets.api_urls")),
    path("", include("egovpm.reports.api_urls")),
    path("", include("egovpm.reviews.api_urls")),
    path("", include("egovpm.security.api_urls")),
    path("", include("egovpm.archives.api_urls")),
    path("", include("egovpm.inspections.api_urls")),
    path("", include("egovpm.evaluations.api_urls")),
    path("", include("egovpm.procurement.api_urls")),
    path("", include("egovpm.portfolio.api_urls")),
    path("", include("egovpm.notifications.api_urls")),
    path("", include("egovpm.accounts.admin_api_urls")),  # administration (三员分立)
]

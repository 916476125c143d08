"""Web pages of the documents app, included at the site root in namespace "web" (web/urls.py)."""

from django.urls import URLPattern, path

from egovpm.documents import views

urlpatterns: list[URLPattern] = [
    path("projects/<uuid:pk>/documents/", views.documents, name="project_documents"),
    path("projects/<uuid:pk>/documents/<uuid:document_id>/withdraw/", views.withdraw, name="project_document_withdraw"),
]

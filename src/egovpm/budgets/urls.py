"""Web pages of the budgets app, included at the site root in namespace "web" (config/urls.py)."""

from django.urls import URLPattern, path

from egovpm.budgets import views

urlpatterns: list[URLPattern] = [
    path("budgets/", views.queue, name="budgets_queue"),
    path("projects/<uuid:pk>/budgets/", views.tab, name="project_budgets"),
    path("projects/<uuid:pk>/budgets/estimate/", views.estimate_save, name="budgets_estimate"),
    path("projects/<uuid:pk>/budgets/preview/", views.adjustment_preview, name="budgets_preview"),
    path("projects/<uuid:pk>/budgets/adjustments/", views.adjustment_create, name="budgets_adjustment_create"),
    path("projects/<uuid:pk>/budgets/expenditures/", views.expenditure_add, name="budgets_expenditure"),
    path("projects/<uuid:pk>/budgets/import/", views.expenditure_import, name="budgets_import"),
    path("projects/<uuid:pk>/budgets/template.xlsx", views.import_template, name="budgets_import_template"),
    path("budgets/adjustments/<uuid:adjustment_id>/decide/", views.adjustment_decide, name="budgets_decide"),
    path("budgets/adjustments/<uuid:adjustment_id>/withdraw/", views.adjustment_withdraw, name="budgets_withdraw"),
    path("budgets/adjustments/<uuid:adjustment_id>/file/", views.adjustment_file, name="budgets_file"),
    path(
        "budgets/adjustments/<uuid:adjustment_id>/acknowledge/",
        views.adjustment_acknowledge,
        name="budgets_acknowledge",
    ),
]

"""Web pages of the reviews app, included at the site root in namespace "web" (config/urls.py)."""

from django.urls import path

from egovpm.reviews import views

urlpatterns = [
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/pool/", views.pool, name="review_pool"),
    path("reviews/pool/experts/", views.pool_expert, name="review_pool_expert"),
    path("reviews/pool/experts/<str:username>/toggle/", views.pool_toggle, name="review_pool_toggle"),
    path("reviews/pool/specialties/", views.pool_specialty, name="review_pool_specialty"),
    path("reviews/<uuid:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<uuid:pk>/opinion/", views.opinion_give, name="review_opinion"),
    path("reviews/<uuid:pk>/conclude/", views.review_conclude, name="review_conclude"),
    path("reviews/<uuid:pk>/document.docx", views.review_document, name="review_document"),
    path(
        "reviews/<uuid:pk>/opinions/<str:username>/attachment/",
        views.opinion_attachment,
        name="review_attachment",
    ),
    path("projects/<uuid:pk>/reviews/", views.tab, name="project_reviews"),
    path("projects/<uuid:pk>/reviews/new/", views.review_form, name="review_form"),
    path("projects/<uuid:pk>/co-authors/", views.co_authors_set, name="review_co_authors"),
]

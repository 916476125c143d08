from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "egovpm.reviews"
    label = "reviews"

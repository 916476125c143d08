from django.urls import path

from egovpm.web import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
]

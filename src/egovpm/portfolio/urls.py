from django.urls import path

from egovpm.portfolio import views

urlpatterns = [
    path("cockpit/", views.cockpit, name="cockpit"),
]

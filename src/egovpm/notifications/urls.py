"""Web pages of the notifications app, included at the site root in namespace "web"."""

from django.urls import path

from egovpm.notifications import views

urlpatterns = [
    path("messages/", views.message_list, name="messages"),
    path("messages/<str:pk>/read/", views.message_read, name="message_read"),
    path("messages/read-all/", views.messages_read_all, name="messages_read_all"),
    path("messages/preferences/", views.preferences, name="notification_preferences"),
    path("done/", views.done, name="done"),
    path("projects/<uuid:pk>/chase/", views.chase, name="project_chase"),
]

"""API endpoints of the notifications app, included under /api/v1/ (config/api_urls.py)."""

from django.urls import path

from egovpm.notifications import api

urlpatterns = [
    path("messages", api.MessageListView.as_view(), name="messages"),
    path("messages/read-all", api.MessagesReadAllView.as_view(), name="messages-read-all"),
    path("messages/<str:message_id>/read", api.MessageReadView.as_view(), name="message-read"),
    path("notification-preferences", api.PreferencesView.as_view(), name="notification-preferences"),
    path("projects/<str:project_id>/chase", api.ChaseView.as_view(), name="project-chase"),
]

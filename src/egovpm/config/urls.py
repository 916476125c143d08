from django.urls import include, path

from egovpm.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(("egovpm.config.api_urls", "api"), namespace="api")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(("egovpm.web.urls", "web"), namespace="web")),
]

from django.urls import include, path, re_path

from egovpm.core.views import api_not_found, healthz

# a request Django refuses itself (a body over DATA_UPLOAD_MAX_MEMORY_SIZE …): the API's error body
# under /api/, the generic page elsewhere (core/views.py)
handler400 = "egovpm.core.views.bad_request"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(("egovpm.config.api_urls", "api"), namespace="api")),
    re_path(r"^api/", api_not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(("egovpm.web.urls", "web"), namespace="web")),
]

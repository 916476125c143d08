"""egovpm settings: everything comes from the environment (api.md), strictly.

With nothing set, the embedded SQLite database and the media live under ./var/.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("EGOVPM_VAR_DIR", Path.cwd() / "var")).resolve()


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _bounded_int(name: str, default: int, bounds: tuple[int, int]) -> int:
    raw = os.environ.get(name, str(default)).strip()
    if not raw.isascii() or not raw.isdigit() or not bounds[0] <= int(raw) <= bounds[1]:
        raise ImproperlyConfigured(f"{name} must be a whole number from {bounds[0]} to {bounds[1]}: {raw!r}")
    return int(raw)


DEBUG = _flag("EGOVPM_DEBUG")

SECRET_KEY = os.environ.get("EGOVPM_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("EGOVPM_SECRET_KEY is required when EGOVPM_DEBUG is off")
    # Development only: a per-checkout key kept beside the embedded database, never in the repo.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "dev-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

# The audit chain's MAC key (docs/audit.md): from the environment, never stored in the database, so
# that someone with database access alone cannot recompute a valid chain. Retired keys (after a
# rotation) stay listed in EGOVPM_AUDIT_OLD_KEYS so that older events still verify.
EGOVPM_AUDIT_KEY = os.environ.get("EGOVPM_AUDIT_KEY", "").strip()
if not EGOVPM_AUDIT_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("EGOVPM_AUDIT_KEY is required when EGOVPM_DEBUG is off (docs/audit.md)")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _audit_key_file = VAR_DIR / "dev-audit-key"
    if not _audit_key_file.exists():
        _audit_key_file.write_text(secrets.token_urlsafe(48))
        _audit_key_file.chmod(0o600)
    EGOVPM_AUDIT_KEY = _audit_key_file.read_text().strip()
if len(EGOVPM_AUDIT_KEY) < 32:
    raise ImproperlyConfigured("EGOVPM_AUDIT_KEY must be at least 32 characters (e.g. secrets.token_urlsafe(48))")
EGOVPM_AUDIT_OLD_KEYS = [k.strip() for k in os.environ.get("EGOVPM_AUDIT_OLD_KEYS", "").split(",") if k.strip()]

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("EGOVPM_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("EGOVPM_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
if _flag("EGOVPM_BEHIND_PROXY"):
    # Behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto (README, "Deploying").
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # HSTS (README, "Deploying"): browsers keep to HTTPS for this host once they have seen it over
    # TLS. Sent by SecurityMiddleware on HTTPS responses only (X-Forwarded-Proto: https).
    SECURE_HSTS_SECONDS = _bounded_int("EGOVPM_HSTS_SECONDS", 365 * 24 * 3600, (0, 2 * 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("EGOVPM_HSTS_INCLUDE_SUBDOMAINS")  # sub-domains may be other systems
    SECURE_HSTS_PRELOAD = False  # preload lists are for public sites, not a government intranet

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tables2",
    "egovpm.core",
    "egovpm.accounts",
    "egovpm.audit",
    "egovpm.rules",
    "egovpm.projects",
    "egovpm.documents",
    "egovpm.budgets",
    "egovpm.reports",
    "egovpm.reviews",
    "egovpm.security",
    "egovpm.archives",
    "egovpm.procurement",
    "egovpm.inspections",
    "egovpm.evaluations",
    "egovpm.compliance",
    "egovpm.portfolio",
    "egovpm.notifications",
    "egovpm.administration",  # the administrators' pages (三员分立), above web
    "egovpm.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "egovpm.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "egovpm.core.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "egovpm.accounts.middleware.SessionTimeoutMiddleware",
    # a temporary password → the change-password page; administrators only on their pages (三员分立)
    "egovpm.administration.middleware.AccountBoundaryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "egovpm.core.middleware.RequestContextMiddleware",
    # a project tab read with GET: its frame and content kept under the records' stamp (ADR 0020)
    "egovpm.web.frame.KeptTabMiddleware",
]

ROOT_URLCONF = "egovpm.config.urls"
WSGI_APPLICATION = "egovpm.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "egovpm.web.context.navigation",
                "egovpm.notifications.context.unread",
            ],
        },
    }
]

# Django's form renderer with the options of a select or of check boxes written inline (web/renderers.py)
FORM_RENDERER = "egovpm.web.renderers.FormRenderer"

_default_db = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers share the file: WAL + IMMEDIATE transactions avoid "database is locked"
    # on upgrade-from-read, and a busy timeout waits instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if not os.environ.get("DATABASE_URL"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["egovpm.accounts.backends.LockoutModelBackend"]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:inbox"
LOGOUT_REDIRECT_URL = "web:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # the minimum length and the character classes are the security policy's (accounts/policy.py)
    {"NAME": "egovpm.accounts.validators.PolicyMinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "egovpm.accounts.validators.CharacterClassValidator"},
]

# Login lockout (accounts/lockout.py): this many failures within the window lock the username.
EGOVPM_LOCKOUT_FAILURES = int(os.environ.get("EGOVPM_LOCKOUT_FAILURES", "5"))
EGOVPM_LOCKOUT_MINUTES = int(os.environ.get("EGOVPM_LOCKOUT_MINUTES", "15"))

# Token lifetime and session idle timeout (accounts/policy.py, the one place that reads them).
from egovpm.accounts.policy import (  # noqa: E402
    PASSWORD_CLASSES_BOUNDS,
    PASSWORD_MIN_LENGTH_BOUNDS,
    SESSION_IDLE_MINUTES_BOUNDS,
    TOKEN_LIFETIME_DAYS_BOUNDS,
)

EGOVPM_TOKEN_LIFETIME_DAYS = _bounded_int("EGOVPM_TOKEN_LIFETIME_DAYS", 30, TOKEN_LIFETIME_DAYS_BOUNDS)
EGOVPM_SESSION_IDLE_MINUTES = _bounded_int("EGOVPM_SESSION_IDLE_MINUTES", 30, SESSION_IDLE_MINUTES_BOUNDS)
# the password rules' defaults until sec_admin saves a security policy (docs/administration.md)
EGOVPM_PASSWORD_MIN_LENGTH = _bounded_int("EGOVPM_PASSWORD_MIN_LENGTH", 10, PASSWORD_MIN_LENGTH_BOUNDS)
EGOVPM_PASSWORD_CLASSES = _bounded_int("EGOVPM_PASSWORD_CLASSES", 3, PASSWORD_CLASSES_BOUNDS)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_ENGINE = "egovpm.web.sessions"  # database sessions, read by one written statement (web/sessions.py)
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("EGOVPM_STATIC_ROOT", VAR_DIR / "static"))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # also serve straight from the apps when collectstatic has not run
if WHITENOISE_USE_FINDERS and not STATIC_ROOT.exists():
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root otherwise

MEDIA_ROOT = Path(os.environ.get("EGOVPM_MEDIA_ROOT", VAR_DIR / "media")).resolve()
# Document store (documents/storage.py, docs/deployment.md): "local" (MEDIA_ROOT/blobs, the default)
# or "s3" (any S3-compatible object store through django-storages; credentials from the standard
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables, never from settings or the repo).
EGOVPM_STORAGE = os.environ.get("EGOVPM_STORAGE", "local").strip().lower() or "local"
if EGOVPM_STORAGE not in {"local", "s3"}:
    raise ImproperlyConfigured(f"EGOVPM_STORAGE must be local or s3, not {EGOVPM_STORAGE!r}")
if EGOVPM_STORAGE == "s3":
    if not os.environ.get("EGOVPM_S3_BUCKET", "").strip():
        raise ImproperlyConfigured("EGOVPM_S3_BUCKET is required when EGOVPM_STORAGE=s3")
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["EGOVPM_S3_BUCKET"].strip(),
            "endpoint_url": os.environ.get("EGOVPM_S3_ENDPOINT_URL", "").strip() or None,
            "region_name": os.environ.get("EGOVPM_S3_REGION", "").strip() or None,
            "location": os.environ.get("EGOVPM_S3_PREFIX", "").strip().strip("/"),
            "querystring_auth": True,
        },
    }
# Uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE are spooled by Django here, beside the store's own
# spool, so that `egovpm storage check` finds what a killed worker left behind.
FILE_UPLOAD_TEMP_DIR = str(MEDIA_ROOT / "incoming")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
EGOVPM_MAX_UPLOAD_BYTES = int(os.environ.get("EGOVPM_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EGOVPM_NOW = os.environ.get("EGOVPM_NOW", "").strip()
if EGOVPM_NOW:
    import datetime as _dt

    try:
        _pinned = _dt.datetime.fromisoformat(EGOVPM_NOW)
    except ValueError:
        raise ImproperlyConfigured(f"EGOVPM_NOW is not an ISO 8601 instant: {EGOVPM_NOW!r}")
    if _pinned.tzinfo is None:
        raise ImproperlyConfigured("EGOVPM_NOW needs an offset, e.g. 2027-08-01T09:00:00+08:00")
if EGOVPM_NOW and not DEBUG and not _flag("EGOVPM_ALLOW_CLOCK_OVERRIDE"):
    raise ImproperlyConfigured(
        "EGOVPM_NOW is refused when EGOVPM_DEBUG is off (set EGOVPM_ALLOW_CLOCK_OVERRIDE=1 for training)"
    )

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "egovpm.accounts.auth.BearerTokenAuthentication",
        "egovpm.accounts.auth.CsrfSessionAuthentication",
    ],
    # signed in; a temporary password or an administrator outside their duties: 403 (accounts/permissions.py)
    "DEFAULT_PERMISSION_CLASSES": ["egovpm.accounts.permissions.SignedInWithinDuties"],
    "DEFAULT_PAGINATION_CLASS": "egovpm.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "egovpm.core.schema.AutoSchema",  # error bodies and pages documented (core/schema.py)
    "EXCEPTION_HANDLER": "egovpm.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON only: bounded nesting, objects only, no control characters. Upload views declare
    # MultiPartParser themselves; anything else is a 415 (docs/validation.md).
    "DEFAULT_PARSER_CLASSES": ["egovpm.core.parsers.JSONParser"],
    "COERCE_DECIMAL_TO_STRING": True,
    "DATE_INPUT_FORMATS": ["%Y-%m-%d"],  # api.md: dates are YYYY-MM-DD, nothing looser
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "egovpm API",
    "DESCRIPTION": "国家电子政务工程建设项目管理平台 — NDRC 发改高技[2008]2544号",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Offline networks: Swagger UI is served from the vendored sidecar package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # stable names for choice sets that drf-spectacular would otherwise number (clients generate from them)
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "egovpm.reports.choices.ReportStatus",
    },
}

EMAIL_BACKEND = os.environ.get("EGOVPM_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("EGOVPM_FROM_EMAIL", "egovpm@localhost")
# SMTP when EGOVPM_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend (docs/notifications.md)
EMAIL_HOST = os.environ.get("EGOVPM_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EGOVPM_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EGOVPM_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EGOVPM_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EGOVPM_EMAIL_TLS", "") == "1"
EMAIL_TIMEOUT = 30
# The address the platform is reached at, put before the links of e-mailed notices
EGOVPM_SITE_URL = os.environ.get("EGOVPM_SITE_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("EGOVPM_LOG_LEVEL", "WARNING")},
}

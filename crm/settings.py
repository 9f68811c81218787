"""Settings for the Jiyang investment-promotion CRM.

Everything that differs between a laptop and production comes from the environment (see README,
"Configuration"). With no variables set the app runs on an embedded SQLite file and runs Celery
tasks in-process, so `make run` needs no other service.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# pytest (8.2+) exports PYTEST_VERSION for the whole run; tests get a fast hasher and plain static storage.
TESTING = "PYTEST_VERSION" in os.environ

DEBUG = env.bool("DEBUG", default=False)
if DEBUG or TESTING:
    SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz")
else:
    SECRET_KEY = env("SECRET_KEY")  # production refuses to start without one
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crm",
    "security",
    "leads",
    "projects",
    "awards",
    "aftercare",
    "reports",
    "tooling",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle timeout, second factor, password expiry, and the audit record of every refusal (docs/security.md).
    "security.middleware.AccountSecurityMiddleware",
    # Every write made with an API token, in the security audit log (inside the above, which gives the address).
    "crm.api.base.TokenWriteAuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes must be last: it turns a lockout raised during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "crm.urls"
WSGI_APPLICATION = "crm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "crm.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql") and not env.bool(
            "CRM_DB_JIT", default=False):
        # PostgreSQL's JIT compiles a plan's expressions when its estimated cost is high. This product's
        # queries are short (pages) or aggregate a year of records (statistics): compiling costs them more
        # than it saves (1 to 3 s on the statistics at factor 10, docs/performance.md). CRM_DB_JIT=True keeps it.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "crm.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    # axes first: it refuses a locked-out username before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; the suite creates hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Mixed: at least three of lowercase, uppercase, digits, symbols; and none of the last few passwords.
    {"NAME": "security.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    # No common or breached password with a year or digits around it, no keyboard walk (lists ship offline).
    {"NAME": "security.validators.GuessablePatternValidator"},
    {"NAME": "security.validators.PasswordHistoryValidator"},
]

# Login protection (django-axes): a username is locked after AXES_FAILURE_LIMIT failures and unlocked
# automatically after the cool-off, so a forgotten password never locks anyone out for good.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# A username is locked after N failures from anywhere, and an address after N failures whatever the usernames
# and browsers it tries: the browser string is the client's to choose, so it never splits the count.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The address the audit log records (behind a trusted proxy, the header CRM_AUDIT_IP_HEADER names), so a proxy's
# own address never locks every client at once.
AXES_CLIENT_IP_CALLABLE = "security.audit.lockout_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files live outside the static root and are only ever served by views that check access.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never routed: downloads go through views that check access
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# What an import reads of an uploaded spreadsheet (crm.lib.sheets): a file whose used range, cells or unpacked
# size go beyond these is refused, saying which, before its rows are read. A used range is counted from A1 to
# the last used cell; a bureau's ledger is a few thousand rows of 15 columns.
CRM_IMPORT_MAX_ROWS = env.int("CRM_IMPORT_MAX_ROWS", default=20_000)
CRM_IMPORT_MAX_COLUMNS = env.int("CRM_IMPORT_MAX_COLUMNS", default=60)
CRM_IMPORT_MAX_CELLS = env.int("CRM_IMPORT_MAX_CELLS", default=400_000)
CRM_IMPORT_MAX_UNPACKED_BYTES = env.int("CRM_IMPORT_MAX_UNPACKED_BYTES", default=32 * 1024 * 1024)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# The cache keeps the dashboard's computed figures between requests (reports.cache). Production shares one
# Redis cache between every web process (CACHE_URL=redis://...), so a change seen by one invalidates the
# figures for all; without it each process keeps its own memory cache (the embedded default, one process).
# The tests empty the cache around each test, so they always keep their own memory cache: a developer's
# CACHE_URL is never cleared by a test run (the Redis cache's own test uses a database of its own).
CACHE_URL = "" if TESTING else env("CACHE_URL", default="")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
          if CACHE_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "crm"}}
# How long computed figures may be reused at most (seconds). Every change made through the product clears
# them at once; this bounds how long a change made behind its back (a bulk SQL update) can go unseen.
CRM_REPORT_CACHE_SECONDS = env.int("CRM_REPORT_CACHE_SECONDS", default=600)

# Celery: with no broker configured every task runs eagerly in the calling process, so the embedded
# default does all the work without Redis. Production sets CELERY_BROKER_URL=redis://...
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend" if env("EMAIL_HOST", default="") else
    "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="crm@jiyang.invalid")

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    # Production defaults: HTTPS everywhere. Behind a proxy that terminates TLS set SECURE_SSL_REDIRECT=False
    # and let the proxy send X-Forwarded-Proto.
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not TESTING)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not TESTING)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not TESTING)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env.bool("USE_X_FORWARDED_PROTO", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    # The audit chain's daily anchor goes to the process's output (the container log) and, when
    # CRM_AUDIT_SYSLOG_ADDRESS is set ("/dev/log" or "host:514"), to the system log: both outside the database.
    "loggers": {"security.anchor": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
CRM_AUDIT_SYSLOG_ADDRESS = env("CRM_AUDIT_SYSLOG_ADDRESS", default="")
if CRM_AUDIT_SYSLOG_ADDRESS:
    _host, _, _port = CRM_AUDIT_SYSLOG_ADDRESS.rpartition(":")
    LOGGING["handlers"]["syslog"] = {
        "class": "logging.handlers.SysLogHandler",
        "address": (_host, int(_port)) if _host and _port.isdigit() else CRM_AUDIT_SYSLOG_ADDRESS,
        "facility": "auth",
    }
    LOGGING["loggers"]["security.anchor"]["handlers"].append("syslog")

# Product settings (see README).
CRM_PAGE_SIZE = env.int("CRM_PAGE_SIZE", default=25)

# Whitenoise serves STATIC_ROOT; make sure it exists before collectstatic has run (development, tests).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# REST API (/api/v1/): token clients (other systems) and the pages' own session; see docs/api.md.
REST_FRAMEWORK = {
    # Token first: an unauthenticated call then answers 401 with a `WWW-Authenticate: Token` challenge.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "crm.api.base.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["crm.api.base.IsActiveUser"],
    "DEFAULT_PAGINATION_CLASS": "crm.api.base.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["crm.api.base.TokenClientThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "crm.api.errors.exception_handler",
    # DRF's defaults, with a JSON parser that answers 400 to nesting too deep and to lone surrogates.
    "DEFAULT_PARSER_CLASSES": [
        "crm.api.base.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "COERCE_DECIMAL_TO_STRING": True,
}
API_TOKEN_THROTTLE_RATE = env("API_TOKEN_THROTTLE_RATE", default="600/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Jiyang Investment Promotion CRM API",
    "DESCRIPTION": "Leads, projects, review requests, awards and statistics within what the caller may see.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["crm.api.base.IsActiveUser"],
    # Swagger UI from the installed sidecar package: the documentation works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Schema quality is checked by the API tests (schema generation and the fuzz), not by `check --deploy`.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    # One stable name per choice set, so clients generated from the schema keep their types: fields that share
    # a name but not their choices ("status", "kind") would otherwise get hashed names, and fields that share
    # the choices under different names (a stage moved to or from, a lead's two clocks) several enums.
    # `make lint` generates the schema with --fail-on-warn, so a new collision is caught there.
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "projects.choices.Stage",
        "ClockStateEnum": "leads.choices.ClockState",
        "LeadStatusEnum": "leads.choices.LeadStatus",
        "ReviewRequestStatusEnum": "projects.choices.RequestStatus",
        "ConditionStatusEnum": "projects.choices.ConditionStatus",
        "EnterpriseKindEnum": "crm.choices.EnterpriseKind",
        "EventKindEnum": "leads.choices.EventKind",
        "MeetingKindEnum": "leads.choices.MeetingKind",
        "CapitalKindEnum": "projects.choices.CapitalKind",
        "MilestoneKindEnum": "projects.choices.MilestoneKind",
        "TalentKindEnum": "projects.choices.TalentKind",
        "ComplaintKindEnum": "aftercare.choices.ComplaintKind",
    },
}

# Security baseline, MLPS 2.0 level 3 (等保2.0 三级): what each setting controls is in docs/security.md.
# Under pytest the second factor and the idle timeout are off unless a test turns them on, so other apps'
# tests can use client.force_login(leader) and travel in time.
CRM_PASSWORD_MAX_AGE_DAYS = env.int("CRM_PASSWORD_MAX_AGE_DAYS", default=90)  # 0: passwords never expire
CRM_PASSWORD_HISTORY = env.int("CRM_PASSWORD_HISTORY", default=5)  # how many last passwords cannot return
CRM_SESSION_IDLE_MINUTES = env.int("CRM_SESSION_IDLE_MINUTES", default=0 if TESTING else 30)  # 0: no limit
CRM_SINGLE_SESSION = env.bool("CRM_SINGLE_SESSION", default=True)  # a new login ends the account's older one
CRM_OTP_REQUIRED_ROLES = env.list(
    "CRM_OTP_REQUIRED_ROLES",
    default=[] if TESTING else ["leader", "admin", "security_admin", "audit_admin"],
)
CRM_PERSONAL_DATA_ROLES = env.list("CRM_PERSONAL_DATA_ROLES", default=["officer", "leader"])
CRM_AUDIT_RETENTION_DAYS = env.int("CRM_AUDIT_RETENTION_DAYS", default=180)  # at least 180 (Cybersecurity Law)
CRM_AUDIT_IP_HEADER = env("CRM_AUDIT_IP_HEADER", default="")  # e.g. HTTP_X_REAL_IP behind a trusted proxy
# Where the audit chain's head is appended every night (a volume the database's administrator cannot write);
# empty: the system log only. Off under pytest: a developer's anchors never meet a test database.
CRM_AUDIT_ANCHOR_DIR = "" if TESTING else env("CRM_AUDIT_ANCHOR_DIR", default="")
# Backups (manage.py backup): where they go and how many days they are kept.
CRM_BACKUP_DIR = Path(env("CRM_BACKUP_DIR", default=str(VAR_DIR / "backups")))
CRM_BACKUP_KEEP_DAYS = env.int("CRM_BACKUP_KEEP_DAYS", default=30)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Jiyang CRM")

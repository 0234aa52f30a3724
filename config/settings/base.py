"""Settings shared by every environment; each value comes from the environment.

local.py, test.py and production.py start from here. Nothing in this module may
hold a secret.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from corsheaders.defaults import default_headers as default_cors_headers
from django_guid.integrations import CeleryIntegration

from config.observability import sentry_init

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "accounts",
    "coursepages",
    "learning",
    "commerce",
    "certification",
    "integrations",
    "analytics",
    "api",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_guid",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # turns an admin sign-in while locked into a 429
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Databases: SQLite file by default, PostgreSQL (or anything Django speaks) via DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # JIT compilation costs more than it saves on our short queries (measured: the analytics
    # learner figures take 273 ms with it and 131 ms without for a specialist's 50 courses).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis, when configured, is both the Celery broker and the shared cache. Without
# it, tasks run eagerly in-process and the cache is per-process memory.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="courses"),
            # A Redis that hangs costs a request at most this, then is skipped for a while.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# Periodic work, run by `celery -A config.celery_app beat`.
CELERY_BEAT_SCHEDULE = {
    "expire-stale-orders": {"task": "commerce.tasks.expire_stale_orders", "schedule": 15 * 60},
    "email-unsent-notifications": {
        "task": "learning.tasks.email_unsent_notifications",
        "schedule": 10 * 60,
    },
    "issue-missing-certificates": {
        "task": "certification.tasks.issue_missing_certificates",
        "schedule": 10 * 60,
    },
    "deliver-undelivered-certificates": {
        "task": "certification.tasks.deliver_undelivered_certificates",
        "schedule": 10 * 60,
    },
    "resend-unanswered-refunds": {
        "task": "commerce.tasks.resend_unanswered_refunds",
        "schedule": 5 * 60,
    },
    "prune-processed-events": {
        "task": "commerce.tasks.prune_processed_events",
        "schedule": crontab(hour=3, minute=40),
    },
    "record-worker-heartbeat": {"task": "api.tasks.record_worker_heartbeat", "schedule": 30},
    "prune-idempotency-records": {
        "task": "api.tasks.prune_idempotency_records",
        "schedule": crontab(minute=50),
    },
    "flush-expired-tokens": {
        "task": "api.tasks.flush_expired_tokens",
        "schedule": crontab(minute=40),
    },
    "release-expired-seat-holds": {
        "task": "learning.tasks.release_expired_seat_holds",
        "schedule": 60,
    },
    "expire-waitlist-offers": {"task": "learning.tasks.expire_waitlist_offers", "schedule": 60},
    # Reminders are due in windows of an hour or more: a 5-minute beat sends them on time.
    "send-session-reminders": {
        "task": "learning.tasks.send_session_reminders",
        "schedule": 5 * 60,
    },
    "process-pending-zoom-events": {
        "task": "learning.tasks.process_pending_zoom_events",
        "schedule": 10 * 60,
    },
    # A cohort's certificates within a quarter of an hour of its last session's end.
    "complete-ended-cohorts": {
        "task": "learning.tasks.complete_ended_cohorts",
        "schedule": 15 * 60,
    },
    # Sessions whose meeting is not yet (or no longer) in step with the provider.
    "retry-meeting-syncs": {"task": "learning.tasks.retry_meeting_syncs", "schedule": 10 * 60},
    # Sessions that ended over 15 minutes ago and whose attendance report is not pulled yet.
    "pull-meeting-attendance": {
        "task": "learning.tasks.pull_due_meeting_attendance",
        "schedule": 15 * 60,
    },
    # Webhook retries are due to the second (the first retry comes 5 s after a failure).
    "dispatch-webhook-deliveries": {
        "task": "integrations.tasks.dispatch_due_deliveries",
        "schedule": 5,
    },
    "prune-webhook-log": {
        "task": "integrations.tasks.prune_delivery_log",
        "schedule": 24 * 60 * 60,
    },
    # Analytics read the raw rows since the last snapshot run: hourly keeps that to an hour.
    "snapshot-analytics-today": {
        "task": "analytics.tasks.snapshot_today",
        "schedule": crontab(minute=5),
    },
    "settle-analytics-days": {
        "task": "analytics.tasks.settle_recent_days",
        "schedule": crontab(minute=20, hour=0),
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Media goes to an S3-compatible bucket when one is named, else to MEDIA_ROOT.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    AWS_S3_FILE_OVERWRITE = False
    MEDIA_STORAGE = {"BACKEND": "storages.backends.s3.S3Storage"}
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Courses <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail
WAGTAIL_SITE_NAME = env("SITE_NAME", default="Courses")
WAGTAILADMIN_BASE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "csv", "txt", "vtt", "zip", "docx", "xlsx", "pptx", "odt", "epub"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
# Payments: Stripe when a secret key is set, else the development provider (a local page).
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="https://api.stripe.com")
# Where the learner lands after paying or giving up; {enrollment} is filled in.
FRONTEND_URL = env("FRONTEND_URL", default=WAGTAILADMIN_BASE_URL)
CHECKOUT_SUCCESS_URL = env(
    "CHECKOUT_SUCCESS_URL", default=FRONTEND_URL + "/learn/{enrollment}/?payment=done"
)
CHECKOUT_CANCEL_URL = env(
    "CHECKOUT_CANCEL_URL", default=FRONTEND_URL + "/learn/{enrollment}/?payment=cancelled"
)
# Account e-mails link to the frontend's pages, which post what the link carries to the API.
PASSWORD_RESET_URL = env(
    "PASSWORD_RESET_URL", default=FRONTEND_URL + "/account/reset-password/?uid={uid}&token={token}"
)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_SECONDS", default=60 * 60)
EMAIL_VERIFICATION_URL = env(
    "EMAIL_VERIFICATION_URL", default=FRONTEND_URL + "/account/verify-email/?token={token}"
)
EMAIL_VERIFICATION_MAX_AGE = env.int("EMAIL_VERIFICATION_SECONDS", default=3 * 24 * 60 * 60)
# Sign-in works before the address is verified unless this is set.
EMAIL_VERIFICATION_REQUIRED = env.bool("EMAIL_VERIFICATION_REQUIRED", default=False)
# Where Stripe sends a specialist during and after payout-account onboarding.
PAYOUT_ONBOARDING_RETURN_URL = env(
    "PAYOUT_ONBOARDING_RETURN_URL", default=FRONTEND_URL + "/teach/payouts/?onboarding=done"
)
PAYOUT_ONBOARDING_REFRESH_URL = env(
    "PAYOUT_ONBOARDING_REFRESH_URL", default=FRONTEND_URL + "/teach/payouts/?onboarding=retry"
)

# Cohorts: how long a paid seat is held while the learner pays (a Stripe checkout is given
# at least 30 minutes, Stripe's minimum, so starting one may extend the hold), and how
# long a waitlist offer holds a freed seat (never past the cohort's enrollment deadline).
COHORT_SEAT_HOLD_MINUTES = env.int("COHORT_SEAT_HOLD_MINUTES", default=30)
COHORT_WAITLIST_OFFER_HOURS = env.int("COHORT_WAITLIST_OFFER_HOURS", default=48)
# Attendance (learning/attendance.py): present when a learner attended at least this share of a
# session; late when they first joined more than this many minutes after its start.
ATTENDANCE_PRESENT_SHARE = env.float("ATTENDANCE_PRESENT_SHARE", default=0.5)
ATTENDANCE_LATE_GRACE_MINUTES = env.int("ATTENDANCE_LATE_GRACE_MINUTES", default=10)

# Zoom webhooks (POST /api/v1/webhooks/zoom/): the app's Secret Token signs every delivery;
# unset, the endpoint answers 503. Deliveries signed longer ago than the maximum age (Zoom
# retries for up to 85 minutes) or over 5 minutes ahead are refused.
ZOOM_WEBHOOK_SECRET_TOKEN = env("ZOOM_WEBHOOK_SECRET_TOKEN", default="")
ZOOM_WEBHOOK_MAX_AGE_SECONDS = env.int("ZOOM_WEBHOOK_MAX_AGE_SECONDS", default=90 * 60)
# The Zoom meeting provider (learning/meetings/zoom.py): a Server-to-Server OAuth app of the
# platform's Zoom account. Offered to specialists only when all three credentials are set.
# Meetings are hosted by ZOOM_HOST_USER (a user id or e-mail on that account; "me" is the
# app's owner). The bases point at a stand-in in development.
ZOOM_ACCOUNT_ID = env("ZOOM_ACCOUNT_ID", default="")
ZOOM_CLIENT_ID = env("ZOOM_CLIENT_ID", default="")
ZOOM_CLIENT_SECRET = env("ZOOM_CLIENT_SECRET", default="")
ZOOM_HOST_USER = env("ZOOM_HOST_USER", default="me")
ZOOM_API_BASE = env("ZOOM_API_BASE", default="https://api.zoom.us/v2")
ZOOM_OAUTH_BASE = env("ZOOM_OAUTH_BASE", default="https://zoom.us")
ZOOM_HTTP_TIMEOUT_SECONDS = env.float("ZOOM_HTTP_TIMEOUT_SECONDS", default=10.0)

# Google Meet (learning/meetings/google_meet.py): a service account with domain-wide delegation
# acts as the specialist's Workspace account. GOOGLE_SERVICE_ACCOUNT_JSON holds the key file's
# JSON content itself (not a path); unset, Google Meet is not offered. The bases point elsewhere
# only for a stand-in server.
GOOGLE_SERVICE_ACCOUNT_JSON = env("GOOGLE_SERVICE_ACCOUNT_JSON", default="")
GOOGLE_API_BASE = env("GOOGLE_API_BASE", default="https://www.googleapis.com")
GOOGLE_MEET_API_BASE = env("GOOGLE_MEET_API_BASE", default="https://meet.googleapis.com")
GOOGLE_PEOPLE_API_BASE = env("GOOGLE_PEOPLE_API_BASE", default="https://people.googleapis.com")
GOOGLE_OAUTH_TOKEN_URL = env(
    "GOOGLE_OAUTH_TOKEN_URL", default="https://oauth2.googleapis.com/token"
)

# Lesson documents and handed-in files reach learners through signed links (learning/downloads.py).
DOWNLOAD_LINK_MAX_AGE = env.int("DOWNLOAD_LINK_MAX_AGE", default=6 * 60 * 60)
# Session recordings (learning/services/recordings.py): uploads are video files up to this size;
# a Zoom cloud recording is downloaded by a task that retries this many times before it fails.
RECORDING_MAX_UPLOAD_MB = env.int("RECORDING_MAX_UPLOAD_MB", default=2048)
RECORDING_DOWNLOAD_MAX_RETRIES = env.int("RECORDING_DOWNLOAD_MAX_RETRIES", default=4)
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_MODERATION_ENABLED = True
# Complex lesson bodies (quizzes with many questions) exceed Django's 1,000-field default.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: a locked account tries no password
    "django.contrib.auth.backends.ModelBackend",
    "api.authentication.EmailBackend",
]

# Per-account sign-in lockout (`accounts.lockout`), kept in the database: it holds with
# Redis down.
AXES_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGN_IN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "accounts.lockout.sign_in_name"
AXES_RESET_ON_SUCCESS = True
# Attempts while locked are refused untried and do not extend the lock.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True  # failures are what it counts; no row per good sign-in
AXES_VERBOSE = False
# The client's address (logged with a failure) as the throttles read it: the last proxy's.
AXES_IPWARE_PROXY_COUNT = env.int("TRUSTED_PROXIES", default=0)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
# Axes warns when the address is not a lockout key. Here it is deliberately not: the
# throttles limit each client; the lockout guards each account whoever guesses, and keyed on
# addresses it would lock out everyone behind one (an office, a misconfigured proxy).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="600/min"),
        "user": env("API_THROTTLE_USER", default="1200/min"),
        "auth": env("API_THROTTLE_AUTH", default="10/min"),
    },
    # Throttles count per client address: REMOTE_ADDR, or behind N proxies of ours the address
    # the last of them added to X-Forwarded-For (what the client itself sends there is not
    # trusted).
    "NUM_PROXIES": env.int("TRUSTED_PROXIES", default=0),
    "DEFAULT_SCHEMA_CLASS": "api.schema.ProblemAutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "PAGE_SIZE": 20,
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    # Sign-in sends Django's `user_logged_in` (`api.accounts.serializers`), which records it.
    "UPDATE_LAST_LOGIN": False,
    # Tokens carry a digest of the password they were issued under: a password change ends
    # every session made before it.
    "CHECK_REVOKE_TOKEN": True,
    # Each refresh gives a new refresh token and retires the one used; signing out retires
    # the one given (`auth/logout/`).
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Courses API",
    "DESCRIPTION": (
        "The REST API of the course marketplace. Errors are RFC 9457 problem details "
        "(`application/problem+json`) with a stable `code`; see the `Problem` schema."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["api.schema.public_api_only"],
    "ENUM_NAME_OVERRIDES": {
        "SubmissionStatusEnum": ["submitted", "passed", "failed"],
        "HealthStatusEnum": ["ok", "degraded", "unavailable"],
        "RecordingSourceEnum": "learning.models.recordings.SessionRecording.Source",
    },
}

CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
# Every header the API documents: those a frontend sends, and those it reads.
CORS_ALLOW_HEADERS = [*default_cors_headers, "idempotency-key", "if-none-match", "x-request-id"]
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Retry-After",
    "X-Request-ID",
    "Idempotent-Replayed",
    "Content-Disposition",
]

# Files learners hand in for assignments.
ASSIGNMENT_UPLOAD_MAX_BYTES = env.int("ASSIGNMENT_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
ASSIGNMENT_UPLOAD_EXTENSIONS = ["pdf", "docx", "odt", "txt", "md", "zip", "png", "jpg", "jpeg"]

# seed_demo creates users with printed passwords: only where this is True.
DEMO_SEED_ALLOWED = False

# The request id: the client's or proxy's X-Request-ID when it is a UUID, else a new one,
# returned on every response (config/observability.py).
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    # django-guid would replace the whole Access-Control-Expose-Headers; CORS_EXPOSE_HEADERS has it.
    "EXPOSE_HEADER": False,
    # Eager tasks run inside the request and keep its id; the integration would clear it after
    # the first one, so it only carries the id to real workers.
    "INTEGRATIONS": (
        [] if CELERY_TASK_ALWAYS_EAGER else [CeleryIntegration(use_django_logging=True)]
    ),
}

# `text` for a terminal, `json` (one object per line) for a log pipeline; production's default.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {
            "()": "django_guid.log_filters.CorrelationId",
            "correlation_id_field": "request_id",
        }
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Both log every background task and page save at INFO; the audit log keeps the latter.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # It logs each request's id decision, and a client's malformed id at WARNING.
        "django_guid": {"level": "ERROR"},
        # It logs every failed sign-in at INFO; a lockout at WARNING.
        "axes": {"level": "WARNING"},
    },
}

# Certificates (certification app).
# The key credentials are signed with: an EC P-256 private key in PEM (newlines may
# be written as \n). Production requires it; elsewhere, left empty, a development
# key is derived from SECRET_KEY (certification/signing.py).
CERTIFICATE_SIGNING_KEY = env("CERTIFICATE_SIGNING_KEY", default="")
# How long the PDF download link in the certificate e-mail works.
CERTIFICATE_LINK_MAX_AGE = env.int("CERTIFICATE_LINK_MAX_AGE", default=30 * 24 * 60 * 60)
# Public verification (JSON and the page a QR code opens), per client.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["certificate_verify"] = env(
    "API_THROTTLE_VERIFY", default="60/min"
)
# WeasyPrint logs every rendering step at INFO.
LOGGING["loggers"]["weasyprint"] = {"level": "WARNING"}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["CertificateStatusEnum"] = ["valid", "revoked"]
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["CohortSessionStatusEnum"] = (
    "learning.models.CohortSession.Status"
)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["CohortStatusEnum"] = "learning.models.Cohort.Status"
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["AttendanceStatusEnum"] = (
    "learning.models.attendance.AttendanceStatus"
)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["NewCohortStatusEnum"] = ["draft", "open"]

# Errors to Sentry, only where a DSN is set.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    sentry_init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# Outbound webhooks (integrations).
# A snapshot run counts the raw rows stamped before this long ago: longer than any write takes
# from stamping its row to committing it. Reports read the later rows live.
ANALYTICS_SNAPSHOT_LAG_SECONDS = env.int("ANALYTICS_SNAPSHOT_LAG_SECONDS", default=5 * 60)
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=15)
WEBHOOKS_ALLOW_HTTP = env.bool("WEBHOOKS_ALLOW_HTTP", default=False)
# Development and tests only: production refuses to start with it.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", default=False)
WEBHOOKS_DISABLE_AFTER_DAYS = env.int("WEBHOOKS_DISABLE_AFTER_DAYS", default=5)
WEBHOOKS_LOG_DAYS = env.int("WEBHOOKS_LOG_DAYS", default=30)

"""Settings shared by every environment.

Values that differ between machines come from the environment (django-environ).
Without ``DATABASE_URL`` the project runs on a SQLite file and without
``CELERY_BROKER_URL`` Celery tasks run in-process, so ``make run`` needs no
services at all.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Third party
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "django_htmx",
    "django_prometheus",
    "csp",
    "health_check",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Ours
    "kpi_portal",
    "org",
    "catalog",
    "assignments",
    "worklog",
    "review",
    "evaluation",
    "reports",
    "evidence",
    "api",
    "demo",
]

MIDDLEWARE = [
    # Counted and named before anything else: a request refused below still shows in the metrics and
    # the logs (settings/ops.py).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "kpi_portal.logs.RequestIdMiddleware",
    # First to act: a body larger than any upload is refused before anything reads it (MAX_REQUEST_BYTES).
    "kpi_portal.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kpi_portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kpi_portal.middleware.SessionTimeoutMiddleware",
    # After the session timeout: a signed-out request is not sent to the code page (org/otp.py).
    "org.otp.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "kpi_portal.middleware.OwnErrorPagesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # django-axes wants to be last so it sees the outcome of every login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kpi_portal.urls"
WSGI_APPLICATION = "kpi_portal.wsgi.application"

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
                "org.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
# A persistent connection left broken by a database restart is replaced, not used for one 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Under ``make run`` the web process, the Celery worker and beat write the same file. WAL lets
    # readers go on while one writes; IMMEDIATE takes the write lock when a transaction begins (a
    # read-then-write transaction can then never fail half way with "database is locked"); a writer
    # waits up to 20 s for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        **DATABASES["default"].get("OPTIONS", {}),
    }
# A streaming read replica of default (docs/scaling.md): when set, the GET views of dashboards, exports
# and PDF downloads read from it (kpi_portal.db_router); everything else, every write, reads default.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # Under a test runner the alias is a mirror of default's test database (settings/test.py drops it).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["kpi_portal.db_router.ReplicaRouter"]
# After a user changes something the reports show, their reports read default for this long: a
# replica may be seconds behind.
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "org.User"
from .directory import *  # noqa: E402, F403  (LDAP, OpenID Connect sign-in when configured)

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    *DIRECTORY_BACKENDS,  # noqa: F405  (the agency's directory before the local accounts)
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id first (kpi_portal/hashers.py); the others only to read passwords stored before, which are
# rehashed with Argon2id at the next sign-in.
PASSWORD_HASHERS = [
    "kpi_portal.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "org.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "org.passwords.NotTheCurrentPasswordValidator"},
]
# A session lasts a working day at most, and ends after an hour without a request: a computer left
# signed in at a shared desk does not stay open (kpi_portal.middleware.SessionTimeoutMiddleware).
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_HOURS", default=10) * 60 * 60
SESSION_IDLE_TIMEOUT = env.int("DJANGO_SESSION_IDLE_MINUTES", default=60) * 60
# Headers every response carries (SecurityMiddleware, XFrameOptionsMiddleware); production adds HSTS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# The second factor after the password (django-otp): settings/otp.py.
# The Content-Security-Policy header (django-csp): settings/csp.py.
from .csp import *  # noqa: E402, F403
from .otp import *  # noqa: E402, F403

# django-axes: five wrong passwords for one username from one address lock that
# pair for 30 minutes; the lockout page says so in Vietnamese.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["kpi_portal.formats"]
# The chosen language lives in a cookie for a year, so it survives logout.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="KPI Portal <kpi@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. Without a broker every task runs in-process at the moment it is enqueued (management
# commands, tests). ``make run`` sets ``CELERY_BROKER_URL=filesystem://``: kombu's file-system
# transport, messages as files under ``CELERY_BROKER_FOLDER`` (``.broker/``), no server; the worker
# with embedded beat that ``make run`` starts beside runserver takes them.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
# Results are never stored (CELERY_TASK_IGNORE_RESULT); Redis can hold them, a file-system broker cannot.
CELERY_RESULT_BACKEND = env(
    "CELERY_RESULT_BACKEND",
    default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else None,
)
if not CELERY_RESULT_BACKEND:
    # Nothing to expire: otherwise beat adds a daily no-op task, celery.backend_cleanup.
    CELERY_RESULT_EXPIRES = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# A task is acknowledged when it finishes, so a worker killed half way gives it
# to another worker; every task must therefore be safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Beat writes a task's last run (Periodic tasks in the admin, BeatTicking in /healthz/) as soon as it
# sends it, not up to 3 minutes later: a few small writes a minute.
CELERY_BEAT_SYNC_EVERY = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# No result is ever read by the app; storing them made every enqueue wait on the result backend.
CELERY_TASK_IGNORE_RESULT = True
# An enqueue happens after the commit, inside a request: with the broker down it must fail within
# about 2 s (``kpi_portal.tasks.enqueue`` logs it, the sweeper recovers the work), not block ~20 s.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"socket_connect_timeout": 2, "socket_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}

# Project settings.
PEOPLE_PAGE_SIZE = 25
AUDIT_PAGE_SIZE = 50
CATALOG_IMPORT_MAX_BYTES = env.int("CATALOG_IMPORT_MAX_BYTES", default=32 * 1024 * 1024)  # 100 000 rows
# A catalog file with more rows than this is checked and imported by a background job with progress.
CATALOG_IMPORT_BACKGROUND_ROWS = env.int("CATALOG_IMPORT_BACKGROUND_ROWS", default=2_000)
# Absolute address of the site, for links in e-mails.
SITE_URL = env("DJANGO_SITE_URL", default="http://127.0.0.1:8000")

# The integration API (api/, docs/api.md): JSON only, an agency's client key, a rate per client.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsApiClient"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_client": env("API_THROTTLE_RATE", default="120/min")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.LimitOffsetPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
}
# Bodies larger than this are refused with 413 before they are parsed.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=5 * 1024 * 1024)
# Request bodies. A body larger than the largest upload (an import spreadsheet, an API batch) plus
# 1 MB for the rest of the form is refused with 413 by the first middleware, from its Content-Length,
# before anything reads it; the reverse proxy should refuse it earlier (README, client_max_body_size).
# Django reads no more than Content-Length bytes, so a body sent without one is never read.
MAX_REQUEST_BYTES = env.int(
    "MAX_REQUEST_BYTES", default=max(CATALOG_IMPORT_MAX_BYTES, API_MAX_BODY_BYTES) + 1024 * 1024
)
# Form fields other than files (Django's default, stated): a form of this application is far smaller.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# An upload up to 5 MB stays in memory; a larger one (an import up to CATALOG_IMPORT_MAX_BYTES) is
# spooled to a temporary file, deleted when the request ends, so no worker holds it all in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SPECTACULAR_SETTINGS = {
    "TITLE": "KPI Portal API",
    "DESCRIPTION": (
        "Integration API of the KPI Portal: an agency's E-Office pushes outgoing documents and calendar "
        "assignments, and reads the agency's monthly figures and final evaluations. See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    # Served by the application itself (government intranets reach no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Report jobs and health (issue 12): jobs that cannot get stuck, an honest /healthz/.
# A running report job whose heartbeat is older than this, or a job queued for as long, is failed by
# the every-minute sweep (reports.tasks.sweep_report_jobs) and may be asked for again.
REPORT_JOB_STALE_SECONDS = env.int("REPORT_JOB_STALE_SECONDS", default=5 * 60)
# Finished report jobs (their PDFs and rows) are deleted this many days after they finished.
REPORT_RETENTION_DAYS = env.int("REPORT_RETENTION_DAYS", default=90)
# /healthz/ fails when the sweep has not run for this long: beat is not ticking.
HEALTH_BEAT_STALE_SECONDS = env.int("HEALTH_BEAT_STALE_SECONDS", default=10 * 60)
# Redis gives an unacknowledged task to another worker after the visibility timeout: just above the
# hard time limit, so a task still running is never delivered twice, and a lost one comes back soon.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **vars().get("CELERY_BROKER_TRANSPORT_OPTIONS", {}),
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 5 * 60,
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # One folder for both directions: every process writes its messages where every process reads
    # (kombu filters by queue name); ``control`` holds the exchange bindings, so fan-out (the worker
    # ping of /healthz/) reaches the worker too. kombu wants the folders to exist. Read messages are
    # deleted, not kept in a processed folder that would grow by thousands of files a day.
    CELERY_BROKER_FOLDER = Path(env("CELERY_BROKER_FOLDER", default=str(BASE_DIR / ".broker")))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
    for folder in ("queue", "control"):
        Path(CELERY_BROKER_FOLDER, folder).mkdir(parents=True, exist_ok=True)

# Error reporting, metrics, JSON logs and backups (docs/operations.md).
from .ops import *  # noqa: E402, F403

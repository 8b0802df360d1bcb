"""Settings for zhaoshang, read from the environment in this one place.

Laptop defaults: DEBUG on, SQLite file next to manage.py. Production: set DEBUG=0, SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL (see README).
"""

import importlib.util
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

# The laptop key; with DEBUG off it is refused like any other well-known key.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 16


def secret_key_problem(key):
    """Why `key` is unfit to sign production sessions, or None.

    `check --deploy` only warns about a weak key; with DEBUG off the app refuses to start
    instead. Django's own rule is 50 characters with 5 distinct ones; 16 distinct characters
    also refuses a long run of a short pattern ("abcabc…"), which a generated key
    (`secrets.token_urlsafe(64)`: 86 characters of 64) never is. Keys that start like the
    ones `startproject` writes, or are our development key, are published.
    """
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"is {len(key)} characters long; at least {SECRET_KEY_MIN_LENGTH} are needed"
    if len(set(key)) < SECRET_KEY_MIN_DISTINCT:
        return (
            f"uses only {len(set(key))} distinct characters; "
            f"a random key has at least {SECRET_KEY_MIN_DISTINCT}"
        )
    if key == DEVELOPMENT_SECRET_KEY or key.startswith("django-insecure"):
        return "is a published development key"
    return None


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not DEBUG:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if problem := secret_key_problem(SECRET_KEY):
        raise ImproperlyConfigured(
            f"SECRET_KEY {problem}. Generate one with: "
            'python -c "import secrets; print(secrets.token_urlsafe(64))"'
        )
elif not SECRET_KEY:
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    # Login brute-force lockout (issue 9); its failure records live in its own tables.
    "axes",
    "units",
    "projects",
    "assessment",
    # Operations: backup, restore, bench and the demo loader, with their management commands.
    "zhaoshang.ops",
    # Background jobs a user waits on (imports…): the job record, its page and the task runner.
    "zhaoshang.jobs",
    # The database task queue and its worker (`manage.py db_worker`).
    "django_tasks_db",
    # Notifications (issue 18): the bell and its list, e-mail and group robots.
    "zhaoshang.notify",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # ContentSecurityPolicyMiddleware is inserted here when Django has it (see below).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page but login needs a login.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A write the guard refused reaches the user as a Chinese 409 page, not a 500.
    "zhaoshang.web.middleware.FrozenMiddleware",
    # With DEBUG, an object the access rules hide is the Chinese 404 page, not the technical one.
    "zhaoshang.web.middleware.HiddenObjectMiddleware",
    # A GET on a POST-only action is a Chinese page, not Django's empty 405.
    "zhaoshang.web.middleware.MethodNotAllowedPage",
    # Axes wants to be last: it turns a lockout raised during login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhaoshang.urls"
WSGI_APPLICATION = "zhaoshang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "units.context_processors.navigation",
                "zhaoshang.notify.context_processors.bell",
                # csp_nonce for the few inline <script> blocks; added below when available.
            ],
        },
    },
]

# Database: SQLite file by default (WAL, busy timeout, IMMEDIATE transactions so concurrent
# writers queue instead of failing with "database is locked"); PostgreSQL via DATABASE_URL.
# SQLITE_OPTIONS is a module constant so tests can open their own file database with exactly
# these options (tests/ops/test_sqlite_concurrency.py).
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA busy_timeout=20000;"
        "PRAGMA foreign_keys=ON;"
    ),
}
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Health checks: a connection kept across requests (CONN_MAX_AGE) that the server dropped —
    # a PostgreSQL restart — is replaced before the request uses it, instead of failing it.
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # JIT compilation costs more than it saves on the engine's and the dashboard's
        # aggregate queries (issue 21: 711 of 1,243 ms on the funnel query went to JIT).
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "units.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Axes checks for a lockout before any password is compared, so it must come first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Evidence files live outside static/ and are served only through permission-checking views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media-not-served/"
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A target grid posts one field per unit and indicator: 1,000 units × 10 indicators at province
# scale. Django's default (1,000 fields) would refuse a grid of 200 units with a 400 error.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The app's own temporary folder: uploads in progress and backup/restore work folders, so that
# `manage.py cleanup` can remove what a killed process left without touching anyone else's
# files. One per system user by default; in production put it next to MEDIA_ROOT (ZS_TEMP_DIR).
TEMP_DIR = Path(
    os.environ.get("ZS_TEMP_DIR")
    or Path(tempfile.gettempdir()) / f"zhaoshang-{os.getuid() if hasattr(os, 'getuid') else 0}"
)
FILE_UPLOAD_TEMP_DIR = str(TEMP_DIR / "uploads")

# Background tasks (issue 16): Django's tasks framework — built in from Django 6.0, the
# `django-tasks` backport (same API, module `django_tasks`) on the Django 5.2 line. The default
# queue is the database (django-tasks-db): nothing else to run but its worker, which `make run`
# starts beside the server. TASKS_BACKEND=rq puts tasks in Redis (REDIS_URL) for RQ workers on
# several servers (`pip install -e ".[rq]"`); `immediate` runs each task inside the request
# that starts it (the test suite's choice). See README, "Background jobs".
TASKS_FRAMEWORK = "django.tasks" if importlib.util.find_spec("django.tasks") else "django_tasks"
if TASKS_FRAMEWORK == "django_tasks":
    INSTALLED_APPS.append("django_tasks")
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").strip().lower()
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": f"{TASKS_FRAMEWORK}.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}
# A job queued this long without a worker taking it means no worker is running: new uploads are
# refused with that message instead of waiting forever (zhaoshang.jobs.models).
JOB_WORKER_GRACE_SECONDS = int(os.environ.get("JOB_WORKER_GRACE_SECONDS", 120))
# Files a job produced (a ranking workbook, a large export) are kept this many days in
# MEDIA_ROOT/job-results/, then removed by `manage.py cleanup` and refused on download.
JOB_RESULT_DAYS = int(os.environ.get("JOB_RESULT_DAYS", 7))
# A list export of more rows than this runs as a background job; smaller ones stream at once.
EXPORT_JOB_THRESHOLD = int(os.environ.get("EXPORT_JOB_THRESHOLD", 5000))

# Cache (issue 21): results computed live are cached by the data version
# (zhaoshang.ops.dataversion), so nothing stale is shown. Local memory per process by default;
# CACHE_URL=redis://host:6379/1 shares one cache between servers (Django's RedisCache, which
# needs the `redis` package: `pip install -e ".[rq]"` brings it). See docs/deployment.md.
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 500},
        }
    }
# How long a cached computation lives at most (a safety net; the data version decides).
DATA_CACHE_SECONDS = int(os.environ.get("DATA_CACHE_SECONDS", 600))

# Notification e-mail (zhaoshang.notify): printed to the console with DEBUG on (development,
# the demo); with DEBUG off sent through the SMTP server EMAIL_HOST (see docs/deployment.md).
# Django 6.1 configures mail as MAILERS; the 5.2 line reads the EMAIL_* settings.
_email_backend = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
).strip()
_smtp_options = {
    "host": os.environ.get("EMAIL_HOST", "localhost"),
    "port": int(os.environ.get("EMAIL_PORT", 25)),
    "username": os.environ.get("EMAIL_HOST_USER", ""),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
    "timeout": 10,
}
if importlib.util.find_spec("django.core.mail.handler"):
    MAILERS = {"default": {"BACKEND": _email_backend}}
    if _email_backend.endswith("smtp.EmailBackend"):
        MAILERS["default"]["OPTIONS"] = _smtp_options
else:
    EMAIL_BACKEND = _email_backend
    EMAIL_HOST, EMAIL_PORT = _smtp_options["host"], _smtp_options["port"]
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _smtp_options["username"], _smtp_options["password"]
    EMAIL_USE_TLS, EMAIL_TIMEOUT = _smtp_options["use_tls"], _smtp_options["timeout"]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "zhaoshang@localhost")
# The address of the site as users reach it, for links in e-mail and robot messages
# (e.g. https://zs.example.gov.cn); empty: the links are paths.
SITE_URL = os.environ.get("SITE_URL", "")

DJANGO_TABLES2_TEMPLATE = "django_tables2/cards.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login lockout (django-axes): 5 wrong passwords for one username from one address lock that
# pair out for 30 minutes; a correct login clears the count. Other users and addresses are
# unaffected, so one attacker cannot lock a whole office out.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 30)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_HTTP_RESPONSE_CODE = 429
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 0))


def client_ip(request):
    """The client address for lockouts.

    Behind N trusted reverse proxies (nginx in front of gunicorn) REMOTE_ADDR is the proxy, so
    take the N-th address from the right of X-Forwarded-For; the left part is client-supplied
    and cannot be trusted.
    """
    remote = request.META.get("REMOTE_ADDR")
    if TRUSTED_PROXY_COUNT <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < TRUSTED_PROXY_COUNT:
        return remote
    return forwarded[-TRUSTED_PROXY_COUNT]


AXES_CLIENT_IP_CALLABLE = client_ip

# Content Security Policy (Django >= 6.0). Only our own static files run: scripts need 'self'
# or the per-request nonce ({{ csp_nonce }} on inline <script> blocks, e.g. ECharts set-up).
# style-src allows 'unsafe-inline' on purpose: Bootstrap components, htmx indicators and
# ECharts write style attributes at run time, which a nonce cannot cover; inline styles cannot
# run code, so the script policy is what keeps injected markup harmless.
try:
    from django.utils.csp import CSP
except ImportError:  # Django 5.2 (Python 3.11 machines): no built-in CSP, settings still load.
    CSP = None

if CSP is not None:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "django.middleware.csp.ContentSecurityPolicyMiddleware",
    )
    TEMPLATES[0]["OPTIONS"]["context_processors"].append("django.template.context_processors.csp")
    SECURE_CSP = {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.NONCE],
        "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
        "img-src": [CSP.SELF, "data:"],
        "font-src": [CSP.SELF],
        "connect-src": [CSP.SELF],
        "object-src": [CSP.NONE],
        "base-uri": [CSP.SELF],
        "frame-ancestors": [CSP.NONE],
        "form-action": [CSP.SELF],
    }

# X-Forwarded-Proto decides whether a request counts as HTTPS (secure cookies, the redirect).
# Only a proxy that overwrites the header makes it trustworthy; without one any client could
# claim HTTPS. So it is trusted only when the operator says a proxy sets it (docs/deployment.md).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# A list filter left alone reads 全部 (django-filter's default label is "---------").
FILTERS_EMPTY_CHOICE_LABEL = "全部"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "zhaoshang.web.log_filters.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_refusals"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

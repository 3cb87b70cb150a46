"""Settings for Netralitas, read from the environment (django-environ).

Development defaults need no server: SQLite and Celery running tasks eagerly.
Set DATABASE_URL and REDIS_URL to use PostgreSQL and Redis. With DJANGO_DEBUG
off, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS are required.
"""

import re
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# A fixed key only in debug; production must set its own.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY wajib diisi bila DJANGO_DEBUG mati.")
    SECRET_KEY = "dev-only-insecure-key-netralitas-" + "x" * 20

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "netralitas.admin_apps.StaffAdminConfig",  # django.contrib.admin with the staff site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "netralitas",
    "netralitas.security",
    "reports",
    "taskforce",
    "sanctions",
    "devdata",  # tooling: the demo and scale data commands (load_demo, generate_scale_data)
]

# The header middlewares sit outside everything else, so every response (error pages, the lockout page,
# static files) passes them. Inside: sessions, the user, the second factor (django-otp), the staff
# session limits and the second-factor gate (netralitas.security), and django-axes last, as it asks.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "netralitas.security.middleware.CacheAndReferrerMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "netralitas.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "netralitas.security.middleware.SessionLimitsMiddleware",
    "netralitas.security.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "netralitas.errors.DatabaseUnavailableMiddleware",
    "reports.imagebudget.ImageBudgetMiddleware",
    "axes.middleware.AxesMiddleware",
]
CSRF_FAILURE_VIEW = "netralitas.errors.csrf_failure"

ROOT_URLCONF = "netralitas.urls"
WSGI_APPLICATION = "netralitas.wsgi.application"

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
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL (or any URL django-environ knows) when set.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (rate limits need a shared store), else local memory.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "netralitas.rediscache.RedisCache",  # Django's, one client per pool
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("DJANGO_CACHE_PREFIX", default="netralitas"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions: in the database, read through the cache when Redis is there (netralitas.sessions: a cache
# outage neither raises nor signs anyone out; the database row is the session).
SESSION_ENGINE = env.str(
    "DJANGO_SESSION_ENGINE",
    default="netralitas.sessions" if REDIS_URL else "django.contrib.sessions.backends.db",
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # zxcvbn, told the portal's words and the names of every region and organisation of the reference data.
    {"NAME": "netralitas.security.passwords.StrengthValidator", "OPTIONS": {"min_score": 4}},
]
# Argon2id for new hashes; the others only to read (and upgrade at the next sign-in) older ones.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# django-axes first: it refuses a locked username or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "admin:login"
# Staff land on their workspace (Meja kerja) after signing in, not on the admin's model index.
LOGIN_REDIRECT_URL = "workspace"
# The admin's address (a path ending in "/"): moving it off "admin/" keeps scanners off the login form.
NETRALITAS_ADMIN_PATH = env.str("NETRALITAS_ADMIN_PATH", default="admin/")
if not re.fullmatch(r"[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*/", NETRALITAS_ADMIN_PATH):
    raise ImproperlyConfigured("NETRALITAS_ADMIN_PATH harus berupa path huruf kecil/angka/-, diakhiri '/'.")

# Indonesian first; English second. Source strings are Indonesian, locale/en translates them.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
# Uploaded evidence lives outside the web root and is never served by URL.
MEDIA_ROOT = Path(env.str("NETRALITAS_PRIVATE_MEDIA", default=str(BASE_DIR / "var" / "private")))
MEDIA_URL = None
# `make backup` writes here (netralitas.backups): the database dump, the private media, their manifest.
NETRALITAS_BACKUP_DIR = Path(env.str("NETRALITAS_BACKUP_DIR", default=str(BASE_DIR / "var" / "backups")))

# Upload limits: bodies beyond these are refused before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400
# Above the 10 evidence files: LimitedUploadHandler refuses extras politely, keeping the form.
DATA_UPLOAD_MAX_NUMBER_FILES = 30
FILE_UPLOAD_HANDLERS = [
    "reports.public.uploadhandlers.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. The strict values apply whenever DEBUG is off.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Staff sessions: 30 minutes without a request, 12 hours at most (netralitas.security.middleware); the
# password and the second factor again within the last 10 minutes before the acts that matter (reauth).
NETRALITAS_SESSION_IDLE_SECONDS = env.int("NETRALITAS_SESSION_IDLE_SECONDS", default=30 * 60)
NETRALITAS_SESSION_MAX_SECONDS = env.int("NETRALITAS_SESSION_MAX_SECONDS", default=12 * 3600)
NETRALITAS_REAUTH_SECONDS = env.int("NETRALITAS_REAUTH_SECONDS", default=10 * 60)
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=NETRALITAS_SESSION_MAX_SECONDS)

# Headers on every response: a Content-Security-Policy without 'unsafe-inline' (django-csp; no inline
# <script> or style= anywhere, the admin's included) and browser features the portal never uses, off.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap's form controls draw their arrows and ticks as data: SVG
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in ("accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment")
    + ("usb",)
}

# Second factor (django-otp): TOTP apps and one-time backup codes; a wrong code waits 1, 2, 4 … seconds.
OTP_TOTP_ISSUER = "Netralitas"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
NETRALITAS_BACKUP_CODES = 10

# Lockout (django-axes, database handler: it keeps counting with Redis down). A username is locked after
# 5 failures; an address after 20 failures across any usernames; both for NETRALITAS_LOCKOUT_MINUTES.
AXES_HANDLER = "netralitas.security.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = 5
NETRALITAS_LOCKOUT_ADDRESS_LIMIT = env.int("NETRALITAS_LOCKOUT_ADDRESS_LIMIT", default=20)
NETRALITAS_LOCKOUT_MINUTES = env.int("NETRALITAS_LOCKOUT_MINUTES", default=60)
AXES_COOLOFF_TIME = timedelta(minutes=NETRALITAS_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "netralitas.security.accounts.username_for_lockout"
AXES_CLIENT_IP_CALLABLE = "netralitas.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "netralitas.security.views.locked_out"
AXES_ENABLE_ADMIN = False  # netralitas.security.admin shows the locks, with "lift"
AXES_DISABLE_ACCESS_LOG = True  # the security log records sign-ins
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "reauth-password", "reauth-code", "code", "csrfmiddlewaretoken"]
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Netralitas <noreply@netralitas.local>")
# An SMTP server that stops answering must not hold a send longer than the outbox claim (below).
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=30)
# The Message-ID's domain (default: the sender's). Absolute links in e-mails come from SITE_URL (below).
NETRALITAS_MESSAGE_ID_DOMAIN = env.str("NETRALITAS_MESSAGE_ID_DOMAIN", default="")
# How long one worker holds an outbox row while sending it; a dead worker's row is retried after it.
NETRALITAS_OUTBOX_CLAIM_SECONDS = env.int("NETRALITAS_OUTBOX_CLAIM_SECONDS", default=300)

# Celery: Redis broker, JSON only, results ignored (a Redis result backend makes
# .delay() hang for ~19 s when Redis is down). Eager when no broker is set.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A submission must not wait on a dead broker: fail fast, the outbox catches up.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # An unacknowledged task (its worker died) is delivered again after this many seconds.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
    "max_retries": 1,
}
CELERY_TASK_PUBLISH_RETRY = False

# The security log (netralitas.security.log_event): one JSON object per line, to its own file when
# NETRALITAS_SECURITY_LOG_FILE is set (logrotate-friendly), else to stderr beside the other logs.
NETRALITAS_SECURITY_LOG_FILE = env.str("NETRALITAS_SECURITY_LOG_FILE", default="")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "netralitas.security.log.JsonLinesFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "security": (
            {"class": "logging.handlers.WatchedFileHandler", "filename": NETRALITAS_SECURITY_LOG_FILE}
            if NETRALITAS_SECURITY_LOG_FILE
            else {"class": "logging.StreamHandler"}
        )
        | {"formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "netralitas.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
    },
}

NETRALITAS_DEMO_PASSWORD = env.str("NETRALITAS_DEMO_PASSWORD", default="")

# The portal's public address, for links in e-mails (no request is at hand in a Celery task).
SITE_URL = env.str("NETRALITAS_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Public forms: rate limits as (count, seconds), the anti-bot timer, and how many proxies in front
# of us append to X-Forwarded-For (believed only for requests from NETRALITAS_TRUSTED_PROXY_NETWORKS).
NETRALITAS_RATE_LIMITS = {
    # Reports stored per client IP: only successful submissions count (errors and corrections do not).
    "submit": (env.int("NETRALITAS_RATE_SUBMIT", default=10), 3600),
    # Every POST to /lapor/ per client IP, a much higher cap against abuse (CGNAT shares one IP).
    "submit_post": (env.int("NETRALITAS_RATE_SUBMIT_POSTS", default=300), 3600),
    # Wrong code/PIN pairs per tracking code: that code waits, no other.
    "lookup_failed_code": (env.int("NETRALITAS_RATE_LOOKUP_FAILED_CODE", default=5), 3600),
    # Wrong code/PIN pairs per client IP, a high cap; a right PIN is never refused by it.
    "lookup_failed": (env.int("NETRALITAS_RATE_LOOKUP_FAILED", default=100), 3600),
    "reporter_update": (env.int("NETRALITAS_RATE_REPORTER_UPDATE", default=20), 3600),
    # The instansi autocomplete: a person types a few letters per second at most.
    "instansi_search": (env.int("NETRALITAS_RATE_INSTANSI_SEARCH", default=600), 600),
}
NETRALITAS_TRUSTED_PROXIES = env.int("NETRALITAS_TRUSTED_PROXIES", default=0)
NETRALITAS_TRUSTED_PROXY_NETWORKS = env.list(
    "NETRALITAS_TRUSTED_PROXY_NETWORKS",
    default=["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
)
NETRALITAS_ANTIBOT_MIN_SECONDS = env.float("NETRALITAS_ANTIBOT_MIN_SECONDS", default=3.0)
NETRALITAS_ANTIBOT_MAX_AGE = env.int("NETRALITAS_ANTIBOT_MAX_AGE", default=6 * 3600)
# Evidence: per-file and per-request limits, enforced while streaming (reports.public.uploadhandlers).
NETRALITAS_EVIDENCE_MAX_FILES = 10
NETRALITAS_EVIDENCE_MAX_FILE_BYTES = env.int("NETRALITAS_EVIDENCE_MAX_FILE_BYTES", default=25 * 1024 * 1024)
NETRALITAS_EVIDENCE_MAX_REQUEST_BYTES = env.int("NETRALITAS_EVIDENCE_MAX_REQUEST_BYTES", default=60 * 1024 * 1024)
# Image pixels one request may decode (reports.imagebudget): bounds a worker's time on photos.
NETRALITAS_IMAGE_PIXELS_PER_REQUEST = env.int("NETRALITAS_IMAGE_PIXELS_PER_REQUEST", default=150_000_000)
# Files of an attempt that was never sent are deleted after this many minutes (sweep every 10 minutes).
NETRALITAS_DRAFT_MINUTES = env.int("NETRALITAS_DRAFT_MINUTES", default=50)

# Seconds a process may reuse its copy of elections and deadline rules (netralitas.refcache).
NETRALITAS_REFERENCE_CACHE_SECONDS = env.int("NETRALITAS_REFERENCE_CACHE_SECONDS", default=60)

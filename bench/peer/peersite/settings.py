"""Settings of the two peers the portal is measured against (bench/peer/run.sh), never of the portal.

PEER_KIND=helpdesk  django-helpdesk's public pages (ticket form, ticket view by id + e-mail + key)
PEER_KIND=bare      a bare Django 6-field form and lookup: the stack's own limit

Both run with DEBUG off, the same PostgreSQL as the portal, CSRF on, and gunicorn with the
portal's settings. Environment: PEER_KIND, PEER_DATABASE (name), PEER_MEDIA (a temp dir),
PEER_SMTP_PORT (the local sink django-helpdesk sends its e-mail to, inside the request).
"""

import os

KIND = os.environ.get("PEER_KIND", "bare")
DEBUG = False
SECRET_KEY = os.environ.get("PEER_SECRET_KEY", "peer-bench-secret-key-not-for-production-0123456789")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
LANGUAGE_CODE = "en"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
STATIC_URL = "/static/"
MEDIA_ROOT = os.environ.get("PEER_MEDIA", "/tmp/netralitas-peer-media")  # noqa: S108 - bench only
MEDIA_URL = "/media/"
WSGI_APPLICATION = "peersite.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("PEER_DATABASE", f"netralitas_peer_{KIND}"),
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": "5432",
        "CONN_MAX_AGE": 600,  # as the portal does (persistent connections per worker)
    }
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

if KIND == "helpdesk":
    INSTALLED_APPS = [
        "django.contrib.admin",
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
        "django.contrib.staticfiles",
        "django.contrib.sites",
        "django.contrib.humanize",
        "rest_framework",
        "account",  # pinax-teams' dependencies: django-helpdesk's migrations refer to its tables
        "pinax.invitations",
        "pinax.teams",
        "reversion",
        "helpdesk",
    ]
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]
    ROOT_URLCONF = "peersite.urls_helpdesk"
    SITE_ID = 1
    LOGIN_URL = "/login/"
    HELPDESK_PUBLIC_TICKET_QUEUE = "public"
    HELPDESK_PUBLIC_TICKET_PRIORITY = 3
    HELPDESK_PUBLIC_TICKET_DUE_DATE = None
    HELPDESK_VIEW_A_TICKET_PUBLIC = True
    HELPDESK_SUBMIT_A_TICKET_PUBLIC = True
    # django-helpdesk mails the submitter from inside the request: a local SMTP sink takes it.
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = "127.0.0.1"
    EMAIL_PORT = int(os.environ.get("PEER_SMTP_PORT", "8113"))
    DEFAULT_FROM_EMAIL = "helpdesk@example.org"
else:
    INSTALLED_APPS = [
        "django.contrib.contenttypes",
        "django.contrib.staticfiles",
        "bareform",
    ]
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
    ]
    ROOT_URLCONF = "peersite.urls_bare"
    TEMPLATES[0]["OPTIONS"]["context_processors"] = ["django.template.context_processors.request"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

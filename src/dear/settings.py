"""Dear's settings, read from the environment (see ``dear.lib.env`` and the README)."""

from __future__ import annotations

import os

import dj_database_url
from csp.constants import NONE, SELF

from dear.lib.env import (
    declare,
    env_bool,
    env_int,
    env_networks,
    env_p256_key,
    env_secret,
    env_str,
)
from dear.paths import data_dir, ensure_data_dir, secret_key_from

declare("DEAR_DATA_DIR", "(per-user data folder)", "Where the SQLite database and secret key live.")
declare(
    "DEAR_DATABASE_URL",
    "",
    "postgres://user:pass@host:5432/name to use PostgreSQL; empty means SQLite in the data dir.",
)
declare(
    "DEAR_SECRET_KEY",
    "",
    "Signing key (or DEAR_SECRET_KEY_FILE). Empty: one is made on first run, kept in the data dir.",
)
declare("DEAR_DEBUG", "off", "Django debug pages. Never on a server anyone else can reach.")
declare("DEAR_ALLOWED_HOSTS", "*", "Comma-separated host names this server answers to.")
declare(
    "DEAR_HTTPS",
    "off",
    "On when Dear is served over HTTPS: secure cookies, HSTS and a redirect from http.",
)
declare("DEAR_OPEN_SIGNUP", "off", "Let anyone sign up without an invite.")
declare(
    "DEAR_SEND_UNDO_SECONDS",
    "10",
    "How long a sent letter waits before delivery, so the writer can withdraw it.",
)
declare("DEAR_INVITE_DAYS", "7", "How many days an invite stays valid.")
declare(
    "DEAR_LOGIN_LIMIT",
    "5",
    "Wrong passwords for one account from one address (or device) before each further "
    "try must wait, 1 s then twice as long each time.",
)
declare(
    "DEAR_LOGIN_LIMIT_PER_ADDRESS",
    "20",
    "Failed logins from one client address, for any accounts, before it is slowed down.",
)
declare(
    "DEAR_TRUSTED_PROXIES",
    "",
    "Addresses or networks of your reverse proxies (10.0.0.2,fd00::/8): only their "
    "X-Forwarded-For is believed.",
)
declare(
    "DEAR_WORKER_TICK_SECONDS",
    "60",
    "How often each worker looks for due emails, pushes and reminders, whatever it was asked.",
)
declare(
    "DEAR_EMAIL_LEASE_SECONDS",
    "300",
    "How long a worker holds an email or push it is sending; then another may send it.",
)
declare(
    "DEAR_EMAIL_URL",
    "",
    "smtp://user:pass@host:587?starttls=on or smtps://user:pass@host:465 (or DEAR_EMAIL_URL_FILE)."
    " Empty: Dear sends no email.",
)
declare("DEAR_EMAIL_FROM", "Dear <dear@localhost>", "Who Dear's emails come from.")
declare(
    "DEAR_PUBLIC_URL",
    "",
    "The address emails, invites and labels link to, as the home's browsers reach Dear.",
)
declare(
    "DEAR_VAPID_PRIVATE_KEY",
    "",
    "Web Push signing key, PEM (or DEAR_VAPID_PRIVATE_KEY_FILE). Empty: made on first use, "
    "kept in the data dir.",
)

DATA_DIR = ensure_data_dir(data_dir())
DEBUG = env_bool("DEAR_DEBUG")
HTTPS = env_bool("DEAR_HTTPS")
# Web Push endpoints on plain HTTP or on this machine: only for the push service stand-in
# of Dear's own tests. Real push services are HTTPS on the internet, and allowing these
# would let any account make Dear probe services on loopback. Not an operator's setting.
PUSH_ENDPOINTS_ON_LOOPBACK = DEBUG or os.environ.get("DEAR_TEST_PUSH_ON_LOOPBACK") == "on"
SECRET_KEY = env_secret("DEAR_SECRET_KEY") or secret_key_from(DATA_DIR)
ALLOWED_HOSTS = [host.strip() for host in env_str("DEAR_ALLOWED_HOSTS").split(",") if host.strip()]

OPEN_SIGNUP = env_bool("DEAR_OPEN_SIGNUP")
SEND_UNDO_SECONDS = env_int("DEAR_SEND_UNDO_SECONDS", minimum=0)
INVITE_DAYS = env_int("DEAR_INVITE_DAYS", minimum=1)
LOGIN_LIMIT = env_int("DEAR_LOGIN_LIMIT", minimum=1)
LOGIN_LIMIT_PER_ADDRESS = env_int("DEAR_LOGIN_LIMIT_PER_ADDRESS", minimum=1)
LOGIN_WINDOW_SECONDS = 15 * 60
TRUSTED_PROXIES = env_networks("DEAR_TRUSTED_PROXIES")
# A device that logged in before is remembered this long (a signed cookie), so guessing
# from elsewhere never slows its owner down.
DEVICE_COOKIE_DAYS = 365
LETTER_BODY_LIMIT = 100_000
WORKER_TICK_SECONDS = env_int("DEAR_WORKER_TICK_SECONDS", minimum=1)
EMAIL_LEASE_SECONDS = env_int("DEAR_EMAIL_LEASE_SECONDS", minimum=1)

# Kept as written: a system check (dear.notify.checks) explains a bad one, and the
# transport reads it when it sends.
EMAIL_URL = env_secret("DEAR_EMAIL_URL") or ""
DEFAULT_FROM_EMAIL = env_str("DEAR_EMAIL_FROM")
PUBLIC_URL = env_str("DEAR_PUBLIC_URL").strip().rstrip("/")
# Listening on this computer alone, `dear serve` finds the address the phones in the home
# would open were it started with --host 0.0.0.0 and hands it to its web workers: the
# pages that say a phone cannot reach the address they were opened at name it. Set by
# `dear serve` only, not an operator's setting (so not in the README's table).
LAN_URL = os.environ.get("DEAR_SERVE_LAN_URL", "").strip()
# Browsers subscribe to Web Push with this key's public half: every server of one Dear
# must sign with the same key (dear.notify.webpush).
VAPID_PRIVATE_KEY = env_p256_key("DEAR_VAPID_PRIVATE_KEY")
# A password reset link works for an hour.
PASSWORD_RESET_TIMEOUT = 60 * 60

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "dear.accounts",
    "dear.homes",
    "dear.letters",
    "dear.archive",
    "dear.mutual",
    "dear.notify",
    "dear.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dear.web.middleware.limit_bodies",
    "dear.web.middleware.reader_clock",
    "dear.web.middleware.refuse_nul",
    "dear.web.middleware.private_pages",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "dear.urls"
WSGI_APPLICATION = "dear.wsgi.application"
AUTH_USER_MODEL = "accounts.Person"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

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
            ],
        },
    },
]

_database_url = env_str("DEAR_DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=600)}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "dear.sqlite3",
            "CONN_MAX_AGE": 600,
            # A file, not shared-cache memory: only a file gives tests SQLite's real
            # locking (busy waits rather than "table is locked").
            "TEST": {"NAME": str(DATA_DIR / "test-dear.sqlite3")},
            "OPTIONS": {
                # Writers take the lock when they begin, so they queue on the busy
                # timeout instead of failing when a read upgrades to a write.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    # FULL syncs the WAL on every commit: an acknowledged save
                    # survives a power cut, not only a process crash (rule 6).
                    "PRAGMA synchronous=FULL;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (emails, reminders) goes through the database, so it needs nothing
# beside it and survives a restart; `dear worker` and `dear serve` run it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the app's static folders: `dear serve` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Browsers want the web app manifest under its own type.
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}

# A 100,000-character letter is at most 600 kB as JSON with escapes, and 1.2 MB as a
# form of four-byte characters, each %-encoded; bigger is refused (413).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_500_000
# No body may be larger, checked before it is read (dear.web.middleware.limit_bodies) ...
REQUEST_BODY_LIMIT = DATA_UPLOAD_MAX_MEMORY_SIZE
# ... but an archive, uploaded by someone signed in to one of these paths.
IMPORT_PATHS = ("/archive/import", "/api/v1/import")
IMPORT_UPLOAD_LIMIT = 64_000_000
# Uploads are kept in memory, within those limits: nothing is written to disk.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_UPLOAD_LIMIT

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 90
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
else:
    # Over plain HTTP on a home network there is no secure channel for these to rely on;
    # DEAR_HTTPS turns them all on, and `check --deploy` is clean in that configuration.
    SILENCED_SYSTEM_CHECKS = [
        "security.W004",  # HSTS
        "security.W008",  # SSL redirect
        "security.W012",  # secure session cookie
        "security.W016",  # secure CSRF cookie
    ]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "nowhere": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    # Apprise quotes the URL it sends to (a ntfy topic, a token) in its messages; Dear
    # reads what it needs from Apprise's results instead (notify/pushapps.py).
    # Its debug lines are kept (in memory, for that one result) because only they tell a
    # server that could not be reached from one whose answer never came.
    "loggers": {"apprise": {"handlers": ["nowhere"], "propagate": False, "level": "DEBUG"}},
}

NINJA_PAGINATION_PER_PAGE = 50

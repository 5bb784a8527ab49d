"""Settings shared by every environment.

Environment-specific modules (``dev``, ``test``, ``production``) import from here and override.
Secrets never live in this file: production reads them from the environment.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_int(name: str, default: int) -> int:
    """An integer from the environment, with a clear error when it is not one."""
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from exc


# Our apps in their layers, lowest first (README, "Architecture"): each imports only those
# listed before it, and seed_demo seeds them in this order.
INSTALLED_APPS = [
    "home",
    "competencies",
    "assessments",
    "curriculum",
    "cases",
    "progress",
    "supervision",
    "privacy",
    "analytics",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
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
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Full-text search and GIN indexes when the database is PostgreSQL; harmless on SQLite.
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost but one: every response gets X-Frame-Options, even one that an inner middleware
    # returns early (the admin door, two-factor enrolment).
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "home.middleware.PublicSiteCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "home.middleware.CachedSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: private, no-store on every response to a logged-in person.
    "home.middleware.PrivateCacheMiddleware",
    "home.audit.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "home.middleware.SessionLifetimeMiddleware",
    "home.middleware.StaffMFAMiddleware",
    "home.middleware.AdminDoorMiddleware",
    "home.middleware.MalformedFormMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Axes goes last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "psycomp.urls"
WSGI_APPLICATION = "psycomp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.roles",
            ],
        },
    },
]

# Database: an embedded SQLite file unless DATABASE_URL names another (PostgreSQL in production).
# With DB_CONN_MAX_AGE > 0 a connection outlives its request; the health check makes the next
# request test it before use and reconnect, so the site recovers by itself once a database that
# went away (restart, failover) is back. A request that fails on the way gets the 503 page.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # gunicorn's workers share the file. A transaction takes the write lock when it begins and
    # waits for it (up to 20 s); by default SQLite fails at once with "database is locked" when
    # a transaction that has read wants to write while another one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
    # Django's SQLite backend, with writers taking turns through a lock file (home/sqlite).
    DATABASES["default"]["ENGINE"] = "home.sqlite"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "home.User"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any password is checked.
    "home.auth.LockoutBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts (django-allauth): email is the login; usernames are generated.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "progress:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_SIGNUP_FORM_CLASS = "home.forms.SignupDetailsForm"
# Hashes the password for a known address too, so sign-up takes as long either way.
ACCOUNT_FORMS = {"signup": "home.signup.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Psychosocial competency] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "30/m/ip,10/5m/key",  # axes locks first, at 5
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Psychosocial competency"
# Staff roles must keep their authenticator (home.middleware.StaffMFAMiddleware).
MFA_ADAPTER = "home.auth.MFAAdapter"
# A two-factor code is refused while the login is locked out (home.mfa).
MFA_FORMS = {"authenticate": "home.mfa.AuthenticateForm"}
ACCOUNT_ADAPTER = "home.auth.AccountAdapter"
ACCOUNT_USER_DISPLAY = "home.auth.user_display"

# Login lockout (django-axes): 5 failures for one account from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "home.auth.axes_username"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sessions: an idle timeout and an absolute lifetime, both enforced by SessionLifetimeMiddleware.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_LIFETIME = env_int("SESSION_ABSOLUTE_HOURS", 12) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Cache and sessions: the database by default, Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "home.redis_cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "psycomp_cache",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# Our stylesheet lives in static/; Pico CSS comes from npm (node_modules) and is pinned there.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/pico", BASE_DIR / "node_modules" / "@picocss" / "pico" / "css"),
]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Complex page models can exceed Django's default of 1000 fields in the Wagtail editor.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Content Security Policy (Django's built-in middleware), for the public site only: the Wagtail
# and Django admins are excluded by PublicSiteCSPMiddleware because they rely on inline code.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
CSP_EXEMPT_PATH_PREFIXES = ("/admin/", "/django-admin/")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's preview views override this with SAMEORIGIN for themselves only.
X_FRAME_OPTIONS = "DENY"

# Wagtail
WAGTAIL_SITE_NAME = "Psychosocial competency"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
# One password reset, allauth's (rate limits, no enumeration): Wagtail's own is switched off.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Documents always go through Wagtail's view (permission checks, nosniff, CSP default-src 'none')
# and always download: nothing uploaded is rendered by the browser on our origin.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# SVG is refused: it can carry script.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Email (Django 6.1 MAILERS): printed to the console unless production configures SMTP.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
# The demo's inbox (home.demo_mail): on only in the development settings that `make run` uses.
DEMO_MAIL = False
DEMO_MAIL_DIR = BASE_DIR / "var" / "demo-mail"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Demo data and demo passwords: allowed only in settings that say so (dev, test).
ALLOW_DEMO_DATA = False

# Management commands a restore runs (with --database) on the restored data; any failure
# fails the restore. See home/backup/.
BACKUP_RESTORE_CHECKS = ["verify_signoffs"]

"""Every setting of ivp, with a safe default. Environment variables are read through
:func:`ivp.conf.env.config` and listed in ``docs/configuration.md``."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from ivp.conf.env import config

SRC_DIR = Path(__file__).resolve().parents[2]
PROJECT_DIR = SRC_DIR.parent
VAR_DIR = Path(
    config(
        "IVP_VAR_DIR",
        str(PROJECT_DIR / "var"),
        "Folder for the SQLite database, uploads and static files.",
    )
)

SECRET_KEY = config("SECRET_KEY", "", "Django secret key; required when DEBUG is off.")
DEBUG = config("DEBUG", False, "Show debug pages. Never on in production.")
ALLOWED_HOSTS = config(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1"], "Comma-separated host names served."
)
CSRF_TRUSTED_ORIGINS = config(
    "CSRF_TRUSTED_ORIGINS",
    [],
    "Comma-separated origins (https://…) trusted for forms behind a proxy.",
)

DATABASES = {
    "default": dj_database_url.parse(
        config(
            "DATABASE_URL",
            f"sqlite:///{VAR_DIR / 'ivp.sqlite3'}",
            "Database URL, e.g. postgres://user@host:5432/ivp; default: SQLite in IVP_VAR_DIR.",
        ),
        conn_max_age=config("DB_CONN_MAX_AGE", 60, "Seconds a database connection is kept open."),
    )
}
SQLITE = DATABASES["default"]["ENGINE"].endswith("sqlite3")
if SQLITE:
    # Several users (and server workers) at once on one SQLite file (ADR 0009): write-ahead
    # logging lets readers go on while one writer writes; every transaction takes the write
    # lock at BEGIN (IMMEDIATE), so a writer waits its turn (up to the busy timeout) instead
    # of failing with "database is locked" when it upgrades a read to a write.
    _sqlite_wait = config(
        "IVP_SQLITE_TIMEOUT",
        30,
        "SQLite only: seconds a write waits for another write to finish before it fails.",
    )
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": _sqlite_wait,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                f"PRAGMA busy_timeout={_sqlite_wait * 1000}"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "ivp.web",
    "ivp.accounts",
    "ivp.readcache",
    "ivp.areas",
    "ivp.catalogue",
    "ivp.datasets",
    "ivp.analysis",
    "ivp.plans",
    "ivp.veiligheidsanalyse",
    "ivp.beleidsplan",
    "ivp.uitvoering",
    "ivp.sturing",
    "ivp.politie",
    "ivp.documents",
    "ivp.api",
    "ivp.demo",
    "ivp.jobs",
    # huey.contrib.djhuey is used as a module (HUEY, db_task), not as an installed app: as an
    # app it would load huey, redis and psycopg in every process at start-up (ADR 0022);
    # ``ivp worker`` runs the consumer.
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ivp.api.middleware.ApiVersionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ivp.conf.urls"
WSGI_APPLICATION = "ivp.conf.wsgi.application"

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
                "django.template.context_processors.i18n",
                "ivp.accounts.context.account_menu",
            ],
        },
    },
]

# Form widgets are rendered with Django's own Jinja2 widget templates: the same HTML, in
# half the time of the Django template engine on the pages with many inline forms.
FORM_RENDERER = "django.forms.renderers.Jinja2"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on by OpenID Connect; answers only on its callback URL when configured.
    "ivp.accounts.oidc.OIDCBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "ivp.accounts.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "plans:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Single sign-on by OpenID Connect (ADR 0015; mozilla-django-oidc, authorization code flow
# with PKCE). On when an issuer and a client id are set; local accounts stay.
IVP_OIDC_ISSUER = config(
    "IVP_OIDC_ISSUER",
    "",
    "OpenID Connect: the issuer URL of the identity provider (its endpoints are read from "
    "<issuer>/.well-known/openid-configuration); empty: no single sign-on.",
)
OIDC_RP_CLIENT_ID = config("IVP_OIDC_CLIENT_ID", "", "OpenID Connect: ivp's client id.")
OIDC_RP_CLIENT_SECRET = config("IVP_OIDC_CLIENT_SECRET", "", "OpenID Connect: ivp's client secret.")
IVP_OIDC_ENABLED = bool(IVP_OIDC_ISSUER and OIDC_RP_CLIENT_ID)
OIDC_RP_SCOPES = config(
    "IVP_OIDC_SCOPES", "openid email profile", "OpenID Connect: the scopes ivp asks for."
)
OIDC_RP_SIGN_ALGO = config(
    "IVP_OIDC_SIGN_ALGO", "RS256", "OpenID Connect: the algorithm the provider signs with."
)
IVP_OIDC_ORGANISATION_CLAIM = config(
    "IVP_OIDC_ORGANISATION_CLAIM",
    "ivp_organisatie",
    "OpenID Connect: the claim that names the user's organisation; its value is matched "
    "with the organisation's 'code bij inloggen via de organisatie'.",
)
IVP_OIDC_DEFAULT_ORGANISATION = config(
    "IVP_OIDC_DEFAULT_ORGANISATION",
    "",
    "OpenID Connect: the organisation code used when the claim is missing (an identity "
    "provider of one gemeente); empty: such a login is refused for a new user.",
)
IVP_OIDC_ROLE_CLAIM = config(
    "IVP_OIDC_ROLE_CLAIM",
    "roles",
    "OpenID Connect: the claim with the user's roles (a list or a string). When present it "
    "sets the role in the organisation at every login.",
)
IVP_OIDC_COORDINATOR_ROLES = config(
    "IVP_OIDC_COORDINATOR_ROLES",
    ["ivp-coordinator"],
    "OpenID Connect: comma-separated values of the role claim that make a user coordinator "
    "(may start plans) in the organisation; otherwise medewerker.",
)
IVP_OIDC_BEHEERDER_ROLES = config(
    "IVP_OIDC_BEHEERDER_ROLES",
    ["ivp-beheerder"],
    "OpenID Connect: comma-separated values of the role claim that make a user functioneel "
    "beheerder of the organisation.",
)
IVP_OIDC_CREATE_USERS = config(
    "IVP_OIDC_CREATE_USERS",
    True,
    "OpenID Connect: create an account at the first login of a person of a known "
    "organisation; off: only people invited before (matched by e-mail) can log in.",
)
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 15
OIDC_AUTHENTICATE_CLASS = "ivp.accounts.oidc.AuthenticationRequestView"
OIDC_CALLBACK_CLASS = "ivp.accounts.oidc.CallbackView"
LOGIN_REDIRECT_URL_FAILURE = "/account/inloggen/"

# Login throttling (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = config(
    "AXES_FAILURE_LIMIT", 5, "Failed logins before a username/address pair is locked."
)
AXES_COOLOFF_TIME = config("AXES_COOLOFF_MINUTES", 15, "Minutes a locked login stays locked.") / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True

# ivp is Dutch only (ADR 0006): no language switch, whatever the browser asks. UI strings
# stay wrapped in gettext, so Django's own texts come from its Dutch catalogue.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands"))]
LOCALE_PATHS: list = []  # Dutch only (ADR 0006): Dutch source strings, no catalogue of ours
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The API (ADR 0016): personal API keys first (so that a request without one gets 401 with
# WWW-Authenticate), then the browser session; JSON only; Dutch problem+json errors.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ivp.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "ivp.api.pagination.CappedLimitOffsetPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "ivp.api.problems.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": config(
            "IVP_API_RATE",
            "1200/hour",
            "Requests one user (browser or API key) may make to the API, e.g. 1200/hour; "
            "counted per server process.",
        )
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ivp API",
    "DESCRIPTION": "API van ivp, de werkbank voor integraal veiligheidsbeleid.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# E-mail (invitations): SMTP in production, a file outbox in the embedded default (dev).
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}
_email_backend = config(
    "IVP_EMAIL_BACKEND",
    "smtp",
    "How e-mail (invitations) is sent: smtp (production), file (each message written to "
    "IVP_EMAIL_FILE_PATH; the default of the embedded default and the demo) or console.",
)
if _email_backend not in _EMAIL_BACKENDS:
    raise ValueError(f"IVP_EMAIL_BACKEND must be one of {sorted(_EMAIL_BACKENDS)}")
EMAIL_BACKEND = _EMAIL_BACKENDS[_email_backend]
EMAIL_FILE_PATH = config(
    "IVP_EMAIL_FILE_PATH", str(VAR_DIR / "mail"), "Folder of the file mail backend."
)
EMAIL_HOST = config("EMAIL_HOST", "localhost", "SMTP server.")
EMAIL_PORT = config("EMAIL_PORT", 25, "SMTP port (587 with STARTTLS, 465 with TLS).")
EMAIL_HOST_USER = config("EMAIL_HOST_USER", "", "SMTP user name; empty: no login.")
EMAIL_HOST_PASSWORD = config("EMAIL_HOST_PASSWORD", "", "SMTP password.")
EMAIL_USE_TLS = config("EMAIL_USE_TLS", False, "SMTP with STARTTLS (usually port 587).")
EMAIL_USE_SSL = config("EMAIL_USE_SSL", False, "SMTP over TLS (usually port 465).")
EMAIL_TIMEOUT = config("EMAIL_TIMEOUT", 20, "Seconds to wait for the SMTP server.")
DEFAULT_FROM_EMAIL = config(
    "DEFAULT_FROM_EMAIL", "ivp <noreply@localhost>", "Sender of the e-mails ivp sends."
)
IVP_MAIL_OUTBOX = config(
    "IVP_MAIL_OUTBOX",
    False,
    "Show the messages of the file mail backend at /postvak/ without login (the demo's "
    "outbox). On by default in the embedded default; production refuses it.",
)
IVP_INVITE_DAYS = config(
    "IVP_INVITE_DAYS", 7, "Days an invitation link (to set a password) stays valid."
)
IVP_BASE_URL = config(
    "IVP_BASE_URL",
    "http://127.0.0.1:8000",
    "Address of the site in e-mails sent without a request (reminders before a "
    "voortgangsoverleg), e.g. https://ivp.gemeente.nl.",
)

# Background jobs (ADR 0010): a kept queue of Huey; Redis in production, an SQLite file in
# IVP_VAR_DIR by default (no server needed). ``ivp worker`` runs the consumer; ``ivp demo``
# starts one next to its web server.
REDIS_URL = config(
    "IVP_REDIS_URL",
    "",
    "Redis URL of the job queue, e.g. redis://127.0.0.1:6379/0; empty: an SQLite file "
    "(jobs.sqlite3) in IVP_VAR_DIR, which needs no server.",
)
HUEY = {
    "name": "ivp",
    "results": False,  # a job's outcome is kept on its ivp.jobs.Job row
    "immediate": False,
    "consumer": {
        "workers": config("IVP_WORKER_THREADS", 2, "Jobs that one `ivp worker` runs at once."),
        "worker_type": "thread",
        "verbose": False,  # warnings and errors only
        "max_delay": 1.0,  # an idle SQLite queue is polled at least every second
    },
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "jobs.sqlite3")})
JOBS_STALE_SECONDS = config(
    "IVP_JOBS_STALE_SECONDS",
    300,
    "A running job that reported no progress for this long is taken as interrupted "
    "(its worker died): retried once when that is safe, else marked failed.",
)
JOBS_KEEP_DAYS = config(
    "IVP_JOBS_KEEP_DAYS", 14, "Days a finished job and its result file are kept for download."
)

# Secure defaults; dev and test relax what they must.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = config(
    "SESSION_COOKIE_SECURE", True, "Send the session cookie over HTTPS only."
)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_HSTS_SECONDS = config(
    "SECURE_HSTS_SECONDS", 31536000, "HSTS max-age in seconds (0 disables)."
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_SSL_REDIRECT = config("SECURE_SSL_REDIRECT", True, "Redirect plain HTTP to HTTPS.")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": config("LOG_LEVEL", "WARNING", "Root log level.")},
}

# Limits on what users send, checked before anything is parsed (docs/configuration.md).
IVP_UPLOAD_MAX_MB = config(
    "IVP_UPLOAD_MAX_MB", 20, "Largest file (MB) accepted by an upload or an import."
)
IVP_XLSX_MAX_ROWS = config(
    "IVP_XLSX_MAX_ROWS", 100_000, "Most rows an Excel sheet may declare (checked before reading)."
)
IVP_XLSX_MAX_COLUMNS = config(
    "IVP_XLSX_MAX_COLUMNS", 200, "Most columns an Excel sheet may declare (checked before reading)."
)
IVP_API_MAX_LIMIT = config(
    "IVP_API_MAX_LIMIT", 1000, "Largest page the API returns (?limit= above it is lowered)."
)

# Content-Security-Policy (django-csp): the templates use no inline scripts or styles, so
# nothing inline runs; images may be data: URLs (the charts). Document downloads in HTML
# carry their own <style> and relax style-src for that response only (documents.views).
from csp.constants import NONE, SELF  # noqa: E402

MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The OpenAPI schema is for signed-in users, like the API itself.
SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"] = ["rest_framework.permissions.IsAuthenticated"]

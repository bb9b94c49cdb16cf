"""Production settings: everything from ``base``; refuse to start without a secret key, with
debug pages on, or on SQLite unless that is explicitly allowed (``IVP_ALLOW_SQLITE``)."""

from django.core.exceptions import ImproperlyConfigured

from ivp.conf.base import *  # noqa: F403
from ivp.conf.base import DEBUG, IVP_MAIL_OUTBOX, SECRET_KEY, SQLITE
from ivp.conf.env import config

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
if IVP_MAIL_OUTBOX:
    raise ImproperlyConfigured(
        "IVP_MAIL_OUTBOX shows every e-mail (with invitation links) without login: "
        "never in production."
    )
ALLOW_SQLITE = config(
    "IVP_ALLOW_SQLITE",
    False,
    "Production only: allow the SQLite database (a single small installation); "
    "otherwise production refuses to start without a PostgreSQL DATABASE_URL.",
)
if SQLITE and not ALLOW_SQLITE:
    raise ImproperlyConfigured(
        "Production needs PostgreSQL: set DATABASE_URL=postgres://… "
        "(or IVP_ALLOW_SQLITE=true for a single small installation; see docs/deployment.md)."
    )

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

"""Production settings: everything from ``base``; refuse to start without a secret key."""

from django.core.exceptions import ImproperlyConfigured

from ivp.conf.base import *  # noqa: F403
from ivp.conf.base import DEBUG, SECRET_KEY

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

"""The embedded default used by ``make demo`` and the ``ivp`` command: SQLite in ``var/``,
served on localhost over plain HTTP. Debug stays off unless ``DEBUG`` is set."""

import os

os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
# Invitations land in var/mail/, shown at /postvak/ (the demo has no mail server).
os.environ.setdefault("IVP_EMAIL_BACKEND", "file")
os.environ.setdefault("IVP_MAIL_OUTBOX", "true")

from ivp.conf.base import *  # noqa: E402, F403
from ivp.conf.base import SECRET_KEY, VAR_DIR  # noqa: E402

if not SECRET_KEY:
    # A local secret per installation, kept next to the SQLite database.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        from django.core.management.utils import get_random_secret_key

        _key_file.write_text(get_random_secret_key())
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

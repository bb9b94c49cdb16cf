"""Settings for the test suite: the database comes from ``DATABASE_URL`` (PostgreSQL in CI)
or is SQLite; passwords hash fast; the network is blocked by pytest-socket."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

from ivp.conf.base import *  # noqa: E402, F403

SECRET_KEY = "test-only-secret-key-not-for-production"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_FAILURE_LIMIT = 3

# Persistent connections from the live-server thread would keep the test database open.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Static files come from the app folders; no collectstatic before tests.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]  # noqa: F405

# Jobs run at once, in the test's own process and transaction (huey's immediate mode with
# an in-memory queue); the tests of the worker start a real consumer on a file.
HUEY = {**HUEY, "immediate": True}  # noqa: F405
# Files (job results, uploads) go to a folder of this test run, not to var/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="ivp-test-media-"))

# The API's rate limit counts in the process cache; the whole suite stays far below this.
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"user": "100000/hour"},
}

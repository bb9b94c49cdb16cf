"""One line instead of a traceback: what the ``ivp`` command prints for an error that the
user can act on, and for an unexpected one (the traceback with ``--debug`` or
``IVP_DEBUG=1``)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError

from ivp.cli.embedded import NotSetUp

USAGE = 2
FAILED = 1


def describe(error: BaseException) -> tuple[str, int]:
    """(one line, exit code) for ``error``."""
    from django.db import DatabaseError, OperationalError

    text = " ".join(str(error).split()) or type(error).__name__
    if isinstance(error, NotSetUp):
        return text, USAGE
    if isinstance(error, ImproperlyConfigured):
        return f"configuration: {text}", USAGE
    if isinstance(error, OperationalError):
        return f"the database cannot be used: {text} (see docs/configuration.md)", USAGE
    if isinstance(error, DatabaseError):
        return f"database error: {text}", FAILED
    if isinstance(error, PermissionDenied):
        return f"not allowed: {text}", FAILED
    if isinstance(error, ValidationError):
        return "; ".join(error.messages), FAILED
    if isinstance(error, OSError) and error.filename:
        return f"{error.filename}: {error.strerror or text}", FAILED
    return (
        f"unexpected error ({type(error).__name__}: {text[:300]}); "
        "run again with --debug for the details",
        FAILED,
    )

from pathlib import Path

from django.conf import settings

from ivp.conf.env import REGISTRY

DOC = Path(settings.PROJECT_DIR) / "docs" / "configuration.md"


def test_every_environment_variable_is_documented():
    text = DOC.read_text()
    missing = [name for name in REGISTRY if f"`{name}`" not in text]
    assert REGISTRY, "settings read no variables: the registry is broken"
    assert missing == []


def test_production_defaults_are_secure(monkeypatch):
    import importlib

    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DATABASE_URL", "postgres://ivp@db.example:5432/ivp")
    import sys

    import ivp.conf.base as base

    importlib.reload(base)
    sys.modules.pop("ivp.conf.production", None)
    production = importlib.import_module("ivp.conf.production")
    assert production.DEBUG is False
    assert production.SESSION_COOKIE_SECURE is True
    assert production.SECURE_SSL_REDIRECT is True
    assert production.SECURE_HSTS_SECONDS >= 31536000


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    import importlib
    import sys

    import pytest
    from django.core.exceptions import ImproperlyConfigured

    import ivp.conf.base as base

    monkeypatch.delenv("SECRET_KEY", raising=False)
    importlib.reload(base)
    sys.modules.pop("ivp.conf.production", None)
    with pytest.raises(ImproperlyConfigured):
        importlib.import_module("ivp.conf.production")


def test_production_refuses_sqlite_unless_explicitly_allowed(monkeypatch):
    import importlib
    import sys

    import pytest
    from django.core.exceptions import ImproperlyConfigured

    import ivp.conf.base as base

    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DATABASE_URL", "sqlite:////srv/ivp/ivp.sqlite3")
    monkeypatch.delenv("IVP_ALLOW_SQLITE", raising=False)
    importlib.reload(base)
    sys.modules.pop("ivp.conf.production", None)
    with pytest.raises(ImproperlyConfigured, match="PostgreSQL"):
        importlib.import_module("ivp.conf.production")

    monkeypatch.setenv("IVP_ALLOW_SQLITE", "true")
    importlib.reload(base)
    sys.modules.pop("ivp.conf.production", None)
    production = importlib.import_module("ivp.conf.production")
    options = production.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    sys.modules.pop("ivp.conf.production", None)
    monkeypatch.undo()
    importlib.reload(base)


def test_the_adr_index_lists_every_record():
    adr_dir = Path(settings.PROJECT_DIR) / "docs" / "adr"
    index = (adr_dir / "README.md").read_text()
    records = sorted(p.name for p in adr_dir.glob("[0-9][0-9][0-9][0-9]-*.md"))
    assert records, "no ADRs found"
    assert [r for r in records if f"({r})" not in index] == []

"""Fixtures of the catalogue tests."""

from __future__ import annotations

import pytest

from ivp.catalogue.services import sync_catalogue


@pytest.fixture
def synced(db):
    """The shipped catalogue loaded into the test database."""
    return sync_catalogue()


@pytest.fixture
def reader(db, django_user_model):
    """A logged-in user without any plan role: the catalogue is open to every user."""
    return django_user_model.objects.create_user(username="lezer", password="lang-genoeg-123")


@pytest.fixture
def browser(client, reader, synced):
    client.force_login(reader)
    return client

"""Fixtures of the datasets tests (``bundle``, the bundled data, is in ``ivp/conftest.py``)."""

from __future__ import annotations

import pytest

from ivp.datasets.tests.helpers import CbsFixtureTransport


@pytest.fixture
def cbs_transport():
    return CbsFixtureTransport()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads kept for a preview go to a temporary folder, not to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"

"""Assigning a measure notifies the person (``plans.collaboration.notify``)."""

import pytest
from django.urls import reverse

from ivp.plans.models import Melding

pytestmark = pytest.mark.django_db


def test_an_assigned_measure_notifies_its_contributor(running, client):
    contributor = running["contributor"]
    notice = Melding.objects.get(user=contributor, soort="maatregel")
    assert notice.tekst.startswith("U bent toegewezen aan de maatregel")
    assert notice.url == reverse("sturing:mijn")
    # and the assigner, who did it, gets none
    assert not Melding.objects.filter(user=running["c"], soort="maatregel").exists()
    client.force_login(contributor)
    page = client.get(reverse("plans:meldingen")).content.decode()
    assert "U bent toegewezen aan de maatregel" in page

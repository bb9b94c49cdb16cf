"""Working together: comments tied to a part and shown there, text proposals adopted (as is
or edited) or declined through the part's own lock, and notifications (in ivp and by e-mail
when wanted)."""

import pytest
from django.core import mail
from django.urls import reverse

from ivp.beleidsplan import services as bp
from ivp.plans import collaboration
from ivp.plans.models import Melding, MeldingVoorkeur

pytestmark = pytest.mark.django_db


@pytest.fixture
def priority(plan, coordinator):
    return bp.add_prioriteit(plan, by=coordinator, titel="Veilige wijken", themas=["1.3"])


def test_a_comment_on_a_priority_is_shown_there_and_notifies_the_coordinator(
    client, plan, coordinator, make_member, priority
):
    coordinator.email = "coordinator@example.org"
    coordinator.save()
    MeldingVoorkeur.objects.create(user=coordinator, per_email=True)
    contributor = make_member("bijdrager")
    client.force_login(contributor)
    url = reverse("plans:reacties", args=[plan.pk]) + f"?over=prioriteit:{priority.pk}"
    response = client.post(
        url, {"reageren": "1", "over": f"prioriteit:{priority.pk}", "tekst": "Ook fietsdiefstal?"}
    )
    assert response.status_code == 302
    # shown at the priority, and on the priority's comment page
    page = client.get(reverse("beleidsplan:prioritering", args=[plan.pk])).content.decode()
    assert "1 reactie" in page and f"?over=prioriteit:{priority.pk}" in page
    page = client.get(url).content.decode()
    assert "Ook fietsdiefstal?" in page and "Prioriteit ‘Veilige wijken’" in page
    # the coordinator is told, in ivp and (as chosen) by e-mail
    melding = Melding.objects.get(user=coordinator)
    assert "reageerde op Prioriteit ‘Veilige wijken’" in melding.tekst
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["coordinator@example.org"]
    client.force_login(coordinator)
    assert ">1<" in client.get(reverse("plans:home")).content.decode().replace(
        '<span class="ivp-visually-hidden"> nieuw</span>', ""
    )
    page = client.get(reverse("plans:meldingen")).content.decode()
    assert "Ook fietsdiefstal" not in page  # the notification names the part, not the text
    assert "reageerde op Prioriteit" in page
    melding.refresh_from_db()
    assert melding.gelezen


def test_a_proposal_is_shown_beside_the_text_and_adopted_through_the_lock(
    client, plan, coordinator, make_member, priority
):
    bp.update_part(priority, by=coordinator, expected_version=priority.version, waarom="Oud.")
    contributor = make_member("bijdrager")
    client.force_login(contributor)
    response = client.post(
        reverse("plans:reacties", args=[plan.pk]),
        {
            "voorstellen": "1",
            "deel": f"prioriteit:{priority.pk}|waarom",
            "voorstel": "Nieuw en beter.",
            "toelichting": "Scherper geformuleerd.",
        },
    )
    assert response.status_code == 302
    priority.refresh_from_db()
    assert priority.waarom == "Oud."  # a proposal changes nothing by itself

    client.force_login(coordinator)
    page = client.get(reverse("plans:reacties", args=[plan.pk])).content.decode()
    assert "Huidige tekst (waarom een prioriteit)" in page
    assert "Oud." in page and "Nieuw en beter." in page
    assert '<del class="ivp-diff-del">' in page and '<ins class="ivp-diff-ins">' in page
    assert "gewijzigd sinds" not in page
    proposal = plan.reacties.get(voorstel_status="open")
    response = client.post(
        reverse("plans:voorstel_besluit", args=[plan.pk, proposal.pk]),
        {"besluit": "overnemen", "version": priority.version, "tekst": "Nieuw en beter."},
    )
    assert response.status_code == 302
    priority.refresh_from_db()
    assert priority.waarom == "Nieuw en beter."
    proposal.refresh_from_db()
    assert proposal.voorstel_status == "overgenomen" and proposal.afgehandeld_door == coordinator
    assert Melding.objects.filter(user=contributor, soort="besluit").exists()


def test_a_proposal_on_a_text_changed_since_is_marked_and_a_stale_adoption_stores_nothing(
    client, plan, coordinator, make_member, priority
):
    contributor = make_member("bijdrager")
    proposal = collaboration.propose(
        plan,
        by=contributor,
        sleutel=f"prioriteit:{priority.pk}",
        veld="waarom",
        tekst="Voorstel.",
    )
    seen = priority.version
    priority = bp.update_part(priority, by=coordinator, expected_version=seen, waarom="Intussen.")
    client.force_login(coordinator)
    page = client.get(reverse("plans:reacties", args=[plan.pk])).content.decode()
    assert "de tekst is gewijzigd sinds dit voorstel" in page
    # adopting with the version read before the change: refused, nothing stored
    response = client.post(
        reverse("plans:voorstel_besluit", args=[plan.pk, proposal.pk]),
        {"besluit": "overnemen", "version": seen, "tekst": "Voorstel."},
        follow=True,
    )
    assert "De tekst is gewijzigd sinds u hem zag" in response.content.decode()
    priority.refresh_from_db()
    assert priority.waarom == "Intussen."
    # edited and adopted with the current version
    client.post(
        reverse("plans:voorstel_besluit", args=[plan.pk, proposal.pk]),
        {"besluit": "overnemen", "version": priority.version, "tekst": "Intussen. Voorstel."},
    )
    priority.refresh_from_db()
    proposal.refresh_from_db()
    assert priority.waarom == "Intussen. Voorstel." and proposal.voorstel_status == "aangepast"


def test_a_proposal_is_declined_and_only_editors_decide(
    client, plan, coordinator, make_member, priority
):
    contributor = make_member("bijdrager")
    proposal = collaboration.propose(
        plan, by=contributor, sleutel=f"prioriteit:{priority.pk}", veld="doel", tekst="X."
    )
    url = reverse("plans:voorstel_besluit", args=[plan.pk, proposal.pk])
    client.force_login(contributor)
    assert client.post(url, {"besluit": "overnemen"}).status_code == 403
    client.force_login(coordinator)
    client.post(url, {"besluit": "afwijzen"})
    proposal.refresh_from_db()
    priority.refresh_from_db()
    assert proposal.voorstel_status == "afgewezen" and priority.doel == ""


def test_comments_on_a_confidential_part_stay_with_who_sees_it(
    client, plan, coordinator, make_member, priority
):
    bp.update_part(priority, by=coordinator, expected_version=priority.version, vertrouwelijk=True)
    collaboration.comment(
        plan, by=coordinator, tekst="Geheim commentaar.", sleutel=f"prioriteit:{priority.pk}"
    )
    contributor = make_member("bijdrager")
    client.force_login(contributor)
    page = client.get(reverse("plans:reacties", args=[plan.pk])).content.decode()
    assert "Geheim commentaar." not in page and "Veilige wijken" not in page
    url = reverse("plans:reacties", args=[plan.pk]) + f"?over=prioriteit:{priority.pk}"
    assert client.get(url).status_code == 404
    # nor can the contributor write about it
    response = client.post(
        reverse("plans:reacties", args=[plan.pk]),
        {"reageren": "1", "over": f"prioriteit:{priority.pk}", "tekst": "Hallo"},
    )
    assert response.status_code == 200
    assert plan.reacties.filter(tekst="Hallo").count() == 0

"""The history page reads as a person writes: labels, Dutch dates, word differences."""

from datetime import date

import pytest
from django.urls import reverse

from ivp.plans import history, services
from ivp.plans.factories import UserFactory, give_role
from ivp.plans.textdiff import shorten, word_diff

OLD = "De werkgroep komt elk kwartaal bijeen om de voortgang van het plan te bespreken."
NEW = "De werkgroep komt elke maand bijeen om de voortgang van het plan te bespreken."


def _join(runs, keep):
    return "".join(text for op, text in runs if op in ("equal", keep))


def test_a_word_difference_rebuilds_both_texts():
    old = "De werkgroep komt elk kwartaal bijeen.\nDe burgemeester is voorzitter."
    new = "De werkgroep komt elke maand bijeen.\nDe burgemeester is voorzitter en woordvoerder."
    runs = word_diff(old, new)
    assert _join(runs, "delete") == old
    assert _join(runs, "insert") == new
    # neighbouring changed words form one change, not a patchwork
    assert ("delete", "elk kwartaal") in runs
    assert ("insert", "elke maand") in runs


def test_a_small_edit_in_a_long_text_keeps_only_its_context():
    words = " ".join(f"woord{i}" for i in range(100))
    runs = shorten(word_diff(words, words.replace("woord50", "nieuw")))
    shown = "".join(text for _op, text in runs)
    assert ("delete", "woord50") in runs and ("insert", "nieuw") in runs
    assert "woord45" in shown and "woord55" in shown
    assert "woord10" not in shown and "woord90" not in shown
    assert shown.startswith("… ") and shown.endswith(" …")


@pytest.mark.django_db
def test_changes_show_field_labels_dutch_values_and_a_text_difference(plan, coordinator):
    services.update_plan(
        plan,
        by=coordinator,
        expected_version=plan.version,
        toelichting=OLD,
    )
    services.update_plan(
        plan,
        by=coordinator,
        expected_version=plan.version,
        toelichting=NEW,
    )
    services.set_planning(
        plan,
        by=coordinator,
        expected_version=plan.version,
        dates={1: (date(2027, 1, 4), date(2027, 3, 1))},
    )
    give_role(plan, UserFactory(username="lezer-x"), "lezer")

    latest = list(plan.wijzigingen.all()[:3])
    rol, planning, tekst = (history.rows(w) for w in latest)
    assert [(r.label, r.oud, r.nieuw) for r in rol] == [("Rol van lezer-x", None, "Lezer")]
    assert planning[0].label == "Stap 1 Opstart"
    assert planning[0].nieuw == "4 januari 2027 – 1 maart 2027"
    assert tekst[0].label == "Aanleiding en toelichting"
    assert ("delete", "elk kwartaal") in tekst[0].diff
    assert ("insert", "elke maand") in tekst[0].diff

    steps = [w for w in plan.wijzigingen.all() if w.actie == "status gewijzigd"]
    assert history.rows(steps[0])[0].label == "Status"
    assert history.rows(steps[0])[0].nieuw in ("Bezig", "Afgerond")


@pytest.mark.django_db
def test_the_history_page_marks_deleted_and_inserted_words_for_everyone(client, plan, coordinator):
    for text in (OLD, NEW):
        services.update_plan(plan, by=coordinator, expected_version=plan.version, toelichting=text)
    client.force_login(coordinator)
    page = client.get(reverse("plans:geschiedenis", args=[plan.pk])).content.decode()
    assert "<strong>Aanleiding en toelichting</strong>" in page
    assert "toelichting</strong>" not in page.replace("Aanleiding en toelichting</strong>", "")
    # not only by colour: <del>/<ins> with words a screen reader speaks
    assert (
        '<del class="ivp-diff-del"><span class="ivp-visually-hidden">[verwijderd: </span>'
        "elk kwartaal" in page
    )
    assert (
        '<ins class="ivp-diff-ins"><span class="ivp-visually-hidden">[toegevoegd: </span>elke maand'
        in page
    )
    # Dutch dates: "5 december 2026 14:03", not "5 Dec 2026"
    stamp = plan.wijzigingen.first().tijdstip
    from django.utils import formats, timezone

    assert formats.date_format(timezone.localtime(stamp), "j F Y H:i") in page
    assert any(
        month in page
        for month in (
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        )
    )

"""Reminders by e-mail before each voortgangsoverleg: every contributor of a running plan
gets one message, ``herinnering_dagen`` before the meeting, with a link straight to "Mijn
maatregelen". Sent through Django's mail backend (SMTP in production, the file outbox in
the demo); run daily by :mod:`ivp.sturing.tasks`."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone

from ivp.accounts.models import User
from ivp.plans.models import Plan
from ivp.sturing import services
from ivp.sturing.models import Herinnering, Toewijzing


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def due(plan: Plan, today: date) -> date | None:
    """The meeting a reminder is due for today (within the reminder window), if any."""
    c = services.cycle(plan)
    for day in services.meeting_dates(
        plan, start=today, end=today + timedelta(days=c.herinnering_dagen)
    ):
        return day
    return None


def send_due(today: date | None = None) -> int:
    """Send the reminders due today that were not sent yet; returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    plans = Plan.objects.filter(
        pk__in=Toewijzing.objects.values("maatregel__onderdeel__uitvoeringsplan__plan")
    )
    for plan in plans:
        if not plan.periode_start <= today.year <= plan.periode_eind + 1:
            continue
        meeting = due(plan, today)
        if meeting is None:
            continue
        users = User.objects.filter(
            toewijzingen__maatregel__onderdeel__uitvoeringsplan__plan=plan, is_active=True
        ).distinct()
        for user in users:
            measures = [
                m for m in services.my_measures(user) if services.plan_of_measure(m) == plan
            ]
            if not measures or not user.email:
                continue
            try:
                with transaction.atomic():
                    Herinnering.objects.create(plan=plan, user=user, overleg_op=meeting)
                    _send(user, plan, meeting, measures)
            except IntegrityError:
                continue  # already reminded for this meeting
            sent += 1
    return sent


def _send(user: User, plan: Plan, meeting: date, measures) -> None:
    link = settings.IVP_BASE_URL.rstrip("/") + reverse("sturing:mijn")
    when = formats.date_format(meeting, "j F Y")
    lines = "\n".join(f"- {m.titel}" for m in measures)
    subject = f"Voortgang melden vóór het overleg van {when}"
    body = (
        f"Beste {_name(user)},\n\n"
        f"Op {when} bespreekt de werkgroep de voortgang van ‘{plan.titel}’. Wilt u vóór die "
        "datum melden hoe uw maatregelen ervoor staan? Per maatregel kiest u de stand en "
        "schrijft u een paar woorden; dat kost een minuut.\n\n"
        f"Uw maatregelen:\n{lines}\n\n"
        f"Melden kan hier:\n{link}\n"
    )
    send_mail(subject, body, None, [user.email])

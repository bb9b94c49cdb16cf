"""The demo plan in its execution phase: an IVP 2023–2026 of the demo gemeente with yearly
implementation plans, measures with a history of progress reports, indicators linked to the
bundled series (so their realisations are real figures), sent reports and a voortgangsoverleg
with a decision. Every text written here is an example and says so. Called by
``ivp.demo.loader``; idempotent."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from ivp.accounts.models import User
from ivp.plans.models import Plan, PlanStap, Rol

TITEL = "Integraal Veiligheidsplan 's-Hertogenbosch 2023–2026 (demo, in uitvoering)"
CONTRIBUTOR = ("demo-bijdrager", "Demo", "Bijdrager")
EXAMPLE = " (voorbeeldtekst)"

# (priority title, themes, confidential, linked indicators (name, series), measures)
# A measure: (item, title, history: (date, status, text)); the contributor reports on the
# measures marked with True.
PRIORITIES = (
    (
        "Veilige en leefbare wijken",
        ["1.2", "1.3"],
        False,
        (
            ("Diefstal uit/vanaf motorvoertuigen", "47018NED|1.2.1"),
            ("Vernielingen", "47018NED|2.2.1"),
        ),
        (
            (
                "Preventie met bewoners",
                "Buurtpreventieteams en buurtapps",
                True,
                (
                    (
                        date(2023, 3, 20),
                        "op_schema",
                        "Vier teams gestart in de wijken met de meeste inbraken.",
                    ),
                    (
                        date(2023, 11, 13),
                        "op_schema",
                        "Zes teams actief; twee wijken volgen in 2024.",
                    ),
                    (
                        date(2024, 6, 10),
                        "op_schema",
                        "Acht teams actief; de gemeente "
                        "ondersteunt met materialen en een jaarlijkse bijeenkomst.",
                    ),
                    (
                        date(2025, 9, 15),
                        "gereed",
                        "Alle geplande teams draaien zelfstandig; "
                        "de ondersteuning valt voortaan onder het wijkgericht werken.",
                    ),
                ),
            ),
            (
                "Wijkgericht werken",
                "Wijkfoto per wijk",
                False,
                (
                    (
                        date(2023, 6, 12),
                        "vertraagd",
                        "De eerste wijkfoto's lopen vertraging op: "
                        "de analist was tot de zomer niet beschikbaar.",
                    ),
                    (
                        date(2023, 12, 4),
                        "op_schema",
                        "Drie wijkfoto's klaar en besproken met de wijkteams.",
                    ),
                    (
                        date(2024, 12, 9),
                        "gereed",
                        "Alle wijken hebben een wijkfoto; die wordt jaarlijks bijgewerkt.",
                    ),
                ),
            ),
            (
                "Preventie met bewoners",
                "Aanpak auto-inbraak in parkeergarages",
                True,
                (
                    (
                        date(2023, 6, 19),
                        "op_schema",
                        "Afspraken gemaakt met de exploitanten van de garages.",
                    ),
                    (
                        date(2024, 3, 18),
                        "vertraagd",
                        "De camera's worden later geleverd dan "
                        "gepland; de verlichting is wel verbeterd.",
                    ),
                    (
                        date(2025, 6, 16),
                        "vertraagd",
                        "De levering van de camera's is opnieuw "
                        "uitgesteld; de werkgroep zoekt een andere leverancier.",
                    ),
                ),
            ),
        ),
    ),
    (
        "Problematische jeugd en jeugdgroepen",
        ["3.1", "3.2"],
        False,
        (),
        (
            (
                "Groepsaanpak",
                "Groepsaanpak jeugdgroepen",
                True,
                (
                    (
                        date(2023, 5, 8),
                        "op_schema",
                        "Twee groepen in beeld; per groep een plan van aanpak.",
                    ),
                    (
                        date(2024, 5, 13),
                        "op_schema",
                        "De overlast van beide groepen is afgenomen volgens de wijkagenten.",
                    ),
                    (
                        date(2025, 5, 12),
                        "gestopt",
                        "Gestopt als eigen maatregel: de regionale groepsaanpak neemt het over.",
                    ),
                ),
            ),
            (
                "Vroegsignalering",
                "Signaleren op school",
                False,
                ((date(2023, 10, 2), "op_schema", "Afspraken met vier scholen."),),
            ),
        ),
    ),
    (
        "Ondermijning",
        ["5.2"],
        True,
        (),
        (
            (
                "Bestuurlijke aanpak",
                "Barrièremodel bij vergunningverlening",
                False,
                (
                    (date(2023, 9, 4), "op_schema", "Het barrièremodel is vastgesteld."),
                    (date(2025, 3, 3), "op_schema", "Toets bij nieuwe vergunningen loopt."),
                ),
            ),
        ),
    ),
)
CLUSTER_MEASURES = (
    (
        "Veilig ondernemen",
        "Keurmerk Veilig Ondernemen in het centrum",
        (
            (date(2023, 4, 17), "op_schema", "Ondernemers en politie tekenden het convenant."),
            (date(2024, 10, 14), "gereed", "Het keurmerk is behaald."),
        ),
    ),
    ("Fysieke veiligheid", "Voorlichting brandveiligheid in wijken", ()),
)
CHAPTER_6 = (
    "De werkgroep integrale veiligheid bespreekt elk kwartaal de voortgang van het "
    "uitvoeringsplan en de ontwikkeling van de cijfers. Eens per jaar bundelt zij de "
    "voortgangsrapportages in een jaarbeeld, dat de basis is voor het volgende "
    "uitvoeringsplan." + EXAMPLE
)


def _contributor(gemeente) -> User:
    from ivp.accounts.factories import member_of
    from ivp.demo.loader import DEMO_PASSWORD

    user, _created = User.objects.get_or_create(
        username=CONTRIBUTOR[0],
        defaults={"first_name": CONTRIBUTOR[1], "last_name": CONTRIBUTOR[2]},
    )
    user.email = user.email or "demo-bijdrager@example.org"
    user.set_password(DEMO_PASSWORD)
    user.save()
    member_of(user, [gemeente], rol="medewerker")
    return user


@transaction.atomic
def load(coordinator: User, gemeente, *, lezer: User | None = None) -> tuple[Plan, User]:
    """The plan in execution (made once; a later run keeps what users changed) and the
    contributor login."""
    from ivp.plans import services

    contributor = _contributor(gemeente)
    plan = Plan.objects.filter(titel=TITEL).first()
    if plan is None:
        plan = services.create_plan(
            by=coordinator,
            titel=TITEL,
            gemeenten=[gemeente],
            periode_start=2023,
            periode_eind=2026,
            toelichting="Een plan in de uitvoeringsfase, om stap 6 te laten zien." + EXAMPLE,
        )
        _steps(plan, coordinator)
        _content(plan, coordinator)
        _execution(plan, coordinator, contributor)
    services.set_role(plan, by=coordinator, user=contributor, rol=Rol.BIJDRAGER)
    if lezer is not None:
        services.set_role(plan, by=coordinator, user=lezer, rol=Rol.LEZER)
    return plan, contributor


def _steps(plan: Plan, by: User) -> None:
    from ivp.plans import services
    from ivp.plans.workflow import StapStatus

    for nummer in range(1, 7):
        path = (StapStatus.BEZIG,) if nummer == 6 else (StapStatus.BEZIG, StapStatus.AFGEROND)
        for target in path:
            current = PlanStap.objects.get(plan=plan, nummer=nummer).status
            services.set_step_status(
                plan, by=by, nummer=nummer, status=target, expected_status=current
            )


def _content(plan: Plan, by: User) -> None:
    from ivp.beleidsplan import services as bp
    from ivp.beleidsplan.models import Effectindicator
    from ivp.veiligheidsanalyse import services as analyse

    analyse.set_peiljaar(plan, by=by, peiljaar=2022)
    for titel, themas, secret, indicators, _measures in PRIORITIES:
        prio = bp.add_prioriteit(
            plan,
            by=by,
            titel=titel,
            themas=themas,
            doel="Zie de effectindicatoren." + EXAMPLE,
            vertrouwelijk=secret,
        )
        for naam, reeks in indicators:
            ind = bp.add_indicator(
                plan,
                by=by,
                prioriteit=prio,
                naam=naam,
                bron=Effectindicator.Bron.POLITIE,
                eenheid=Effectindicator.Eenheid.PER_1000_INWONERS,
                reeks=reeks,
                uitgangsjaar=2022,
                streefjaar=plan.periode_eind,
            )
            bp.adopt_target_proposal(plan, ind, by=by)
    for ind in bp.add_default_strategic_indicators(plan, by=by):
        if ind.reeks:
            bp.adopt_target_proposal(plan, ind, by=by)
    bp.cluster_remaining_by_field(plan, by=by)
    bp.save_hoofdstuk(plan, by=by, nummer=6, expected_version=0, tekst=CHAPTER_6)


def _execution(plan: Plan, by: User, contributor: User) -> None:
    from ivp.sturing import services as st
    from ivp.sturing.models import Rapportage
    from ivp.uitvoering import services as uv
    from ivp.uitvoering.models import Maatregel

    up = uv.create_uitvoeringsplan(plan, by=by, jaar=2023)
    uv.update_part(
        up,
        by=by,
        expected_version=up.version,
        hoofdlijn="Het eerste uitvoeringsplan van het IVP 2023–2026." + EXAMPLE,
        status="vastgesteld",
        vastgesteld_op=date(2023, 2, 14),
    )
    histories: list[tuple[Maatregel, tuple]] = []
    owners = {p.titel: p for p in plan.prioriteiten.all()}
    for titel, _themas, _secret, _indicators, measures in PRIORITIES:
        items: dict[str, object] = {}
        for item_title, measure_title, assigned, history in measures:
            if item_title not in items:
                items[item_title] = uv.add_onderdeel(
                    up, by=by, titel=item_title, prioriteit=owners[titel]
                )
            m = uv.add_maatregel(
                items[item_title],
                by=by,
                titel=measure_title,
                ambtelijk_trekker="Team OOV",
                status="lopend",
            )
            if assigned:
                st.assign(m, by=by, user=contributor)
            histories.append((m, history))
    clusters = list(plan.overige_themas.all())
    if clusters:
        for item_title, measure_title, history in CLUSTER_MEASURES:
            cluster = next(
                (c for c in clusters if item_title.split()[-1] in c.titel.lower()), clusters[0]
            )
            item = uv.add_onderdeel(up, by=by, titel=item_title, overig_thema=cluster)
            m = uv.add_maatregel(item, by=by, titel=measure_title, ambtelijk_trekker="Team OOV")
            histories.append((m, history))
    for year in (2023, 2024, 2025, 2026):
        if year > 2023:
            previous = plan.uitvoeringsplannen.get(jaar=year - 1)
            if year - 1 >= 2024:
                # the year's jaarbeeld, sent, is the basis of the next plan's terugblik
                jaarbeeld = st.report(plan, Rapportage.Soort.JAARBEELD, str(year - 1))
                jaarbeeld = st.save_conclusies(
                    jaarbeeld,
                    by=by,
                    expected_version=jaarbeeld.version,
                    conclusies="De werkgroep houdt de koers vast en richt de extra inzet op "
                    "de vertraagde maatregelen." + EXAMPLE,
                )
                st.send_report(jaarbeeld, by=by, expected_version=jaarbeeld.version)
            nxt = uv.follow_up(previous, by=by, jaar=year)
            uv.update_part(
                nxt,
                by=by,
                expected_version=nxt.version,
                status="vastgesteld",
                vastgesteld_op=date(year, 2, 14),
            )
        for measure, history in histories:
            for day, status, text in history:
                if day.year != year:
                    continue
                current = Maatregel.objects.get(pk=st.latest_copy(measure).pk)
                if current.onderdeel.uitvoeringsplan.jaar != year:
                    continue  # finished last year, not carried over
                st.record_update(
                    current,
                    by=contributor if st.is_assigned(contributor, current) else by,
                    expected_version=current.version,
                    status=status,
                    tekst=text + EXAMPLE,
                    datum=day,
                )
        if year == 2025:
            rapport = st.report(plan, Rapportage.Soort.VOORTGANG, "2025-Q2")
            st.send_report(rapport, by=by, expected_version=rapport.version)
            st.prepare_agenda(plan, "2025-Q2", by=by)
            point = plan.overlegpunten.filter(periode="2025-Q2", soort="knelpunt").first()
            if point is not None:
                st.decide(
                    point,
                    by=by,
                    expected_version=point.version,
                    besluit="De werkgroep vraagt een tweede offerte en bespreekt dit punt "
                    "opnieuw in het volgende overleg." + EXAMPLE,
                )


# The joint demo plan (basisteam Purmerend, docs/joint-plans.md): progress in 2018 on its
# measures, so that its voortgangsrapportage and jaarbeeld show the base team and a page per
# gemeente. (measure title, history: (date, status, text)); texts are marked as examples.
JOINT_PROGRESS = (
    (
        "Damocles- en Bibob-beleid",
        ((date(2018, 9, 20), "op_schema", "Beleid in vijf van de zes gemeenten vastgesteld."),),
    ),
    (
        "Training toezichthouders",
        (
            (
                date(2018, 9, 20),
                "vertraagd",
                "Training schuift naar het voorjaar: trainers niet eerder vrij.",
            ),
        ),
    ),
    (
        "Gezamenlijke casustafel",
        (
            (date(2018, 6, 14), "op_schema", "De casustafel komt maandelijks bijeen."),
            (date(2018, 11, 22), "gereed", "Vast onderdeel van het Zorg- en Veiligheidshuis."),
        ),
    ),
    (
        "Shortlist jeugdgroepen",
        ((date(2018, 9, 20), "op_schema", "Shortlist opgesteld met politie en jongerenwerk."),),
    ),
    (
        "Convenant veilig uitgaan",
        ((date(2018, 9, 20), "gereed", "Ondertekend door horeca, politie en gemeente."),),
    ),
    (
        "Keurmerk Veilig Ondernemen",
        (
            (
                date(2018, 11, 22),
                "vertraagd",
                "Nog te weinig ondernemers aangesloten voor het keurmerk.",
            ),
        ),
    ),
)


def joint_progress(plan: Plan, by: User) -> None:
    """Record the demo's 2018 progress on the joint plan's measures (those it finds)."""
    from ivp.sturing import services as st
    from ivp.uitvoering.models import Maatregel

    for titel, history in JOINT_PROGRESS:
        for day, status, text in history:
            measure = Maatregel.objects.filter(
                onderdeel__uitvoeringsplan__plan=plan, titel=titel
            ).first()
            if measure is None:
                continue
            st.record_update(
                measure,
                by=by,
                expected_version=measure.version,
                status=status,
                tekst=text + EXAMPLE,
                datum=day,
            )

"""The demo of a joint plan and of the police unit's view (docs/joint-plans.md).

A joint plan of the six gemeenten of police base team Purmerend for 2018–2021: Beemster,
Edam-Volendam, Landsmeer, Purmerend, Waterland and Wormerland. Beemster merged into
Purmerend on 1 January 2022 (CBS 47013NED boundary changes in the bundled data), after the
plan period, so the plan includes it as it then was. The bundled data name the base teams
(CBS 81928NED) but not their gemeenten; the demo records this team's composition as an
administrator would. Four shared priorities, local priorities of some members, one joint
uitvoeringsplan with local parts, shared with the police.

Beside it a few plans of other gemeenten of police unit Noord-Holland, most of them shared
with the police, so that the police unit's page shows shared and diverging choices.

Called by :func:`ivp.demo.loader.load_demo` after the demo plan; idempotent (a later run
keeps what users changed). Texts are written as a working group would, without facts about
the gemeenten that the figures do not show.
"""

from __future__ import annotations

from decimal import Decimal

from ivp import readcache
from ivp.accounts.factories import member_of
from ivp.accounts.models import Lidmaatschap, Organisatie, User
from ivp.areas.models import Basisteam, Gemeente, PolitieEenheid
from ivp.plans import services
from ivp.plans.models import Plan, Rol

JOINT_TITEL = "Integraal Veiligheidsplan basisteam Purmerend 2018–2021 (demo)"
BASISTEAM = "Purmerend"
EENHEID = "RE04"
JOINT_GEMEENTEN = ("GM0370", "GM0385", "GM0415", "GM0439", "GM0852", "GM0880")
JOINT_PEILJAAR = 2017
POLITIE_ORGANISATIE = "Politie eenheid Noord-Holland (demo)"

# (username, first, last, gemeente or None, plan role)
JOINT_USERS = (
    ("demo-purmerend", "Demo", "Purmerend", "GM0439", Rol.COORDINATOR),
    ("demo-edam", "Demo", "Edam-Volendam", "GM0385", Rol.REDACTEUR),
    ("demo-politie", "Demo", "Politie", None, Rol.LEZER),
)

SHARED = (
    {
        "titel": "Ondermijnende criminaliteit",
        "themas": ["5.2"],
        "accenten": [
            "Drugshandel en drugsproductie",
            "Misbruik van panden en bedrijven",
            "Weerbare ondernemers en verenigingen",
        ],
        "ambitie": (
            "De zes gemeenten sluiten samen met politie en OM de gaten waar criminelen "
            "gebruik van maken, en laten geen verschil tussen de gemeenten ontstaan dat "
            "criminelen kunnen benutten."
        ),
        "beoogd_effect": (
            "Meer signalen van ondermijning die worden opgepakt, en minder ruimte voor "
            "criminele activiteiten in panden, bedrijven en het buitengebied."
        ),
        "waarom": (
            "Ondermijning houdt zich niet aan gemeentegrenzen. Een aanpak die in de ene gemeente "
            "streng is en in de andere niet, verplaatst het probleem alleen."
        ),
        "acties": [
            ("Eén gezamenlijk Damoclesbeleid en dezelfde Bibob-werkwijze", "kort"),
            ("Training signaleren voor toezichthouders en boa's", "kort"),
            ("Een gezamenlijk ondermijningsbeeld van het basisteam, elk jaar bijgewerkt", "lang"),
        ],
        "indicatoren": (("Drugshandel", "47018NED|3.1.1"),),
        "inzet": (
            ("Bestuurlijke aanpak", "Damocles- en Bibob-beleid", "RIEC, Politie", 30000),
            ("Signaleren", "Training toezichthouders", "RIEC", 12000),
        ),
    },
    {
        "titel": "Zorg en veiligheid",
        "themas": ["1.1"],
        "accenten": ["Personen met verward gedrag", "Woonoverlast", "Huiselijk geweld"],
        "ambitie": (
            "Inwoners met problemen op meer leefgebieden krijgen op tijd passende zorg, zodat "
            "overlast en escalatie worden voorkomen."
        ),
        "beoogd_effect": (
            "Minder herhaalde meldingen over dezelfde personen en adressen, en snellere "
            "opschaling wanneer het nodig is."
        ),
        "waarom": (
            "Zorg en veiligheid raken elkaar in alle zes gemeenten; de partners werken "
            "grotendeels op het niveau van het basisteam of de regio."
        ),
        "acties": [
            ("Eén meldroute voor zorgen over inwoners, voor alle zes gemeenten", "kort"),
            ("Een gezamenlijke casustafel met zorg, politie en gemeenten", "kort"),
            ("Afspraken met woningcorporaties over woonoverlast", "lang"),
        ],
        "indicatoren": (),
        "inzet": (("Casusaanpak", "Gezamenlijke casustafel", "Zorg- en Veiligheidshuis", 25000),),
    },
    {
        "titel": "Jeugd en veiligheid",
        "themas": ["3.1", "3.2"],
        "accenten": ["Jeugdgroepen", "Jongeren die afglijden naar criminaliteit"],
        "ambitie": (
            "Jongeren groeien veilig op; groepen die overlast geven of criminaliteit plegen "
            "worden vroeg in beeld gebracht en aangepakt."
        ),
        "beoogd_effect": "Minder overlast van jeugdgroepen en minder jonge daders.",
        "waarom": (
            "Jeugdgroepen bewegen zich tussen de kernen van de gemeenten; een aanpak per "
            "gemeente mist een deel van het beeld."
        ),
        "acties": [
            ("Eén shortlist-aanpak van jeugdgroepen voor het basisteam", "kort"),
            ("Preventieprogramma's met scholen en jongerenwerk", "lang"),
        ],
        "indicatoren": (),
        "inzet": (("Groepsaanpak", "Shortlist jeugdgroepen", "Politie, Jongerenwerk", 15000),),
    },
    {
        "titel": "Woninginbraak en andere high impact crimes",
        "themas": ["1.3"],
        "accenten": ["Woninginbraak", "Straatroof en overvallen"],
        "ambitie": "Minder inbraken en andere misdrijven met grote gevolgen voor slachtoffers.",
        "beoogd_effect": (
            "Minder woninginbraken per 1.000 inwoners dan aan het begin van de planperiode."
        ),
        "waarom": (
            "Deze misdrijven treffen inwoners het hardst. Daders werken over de grenzen van "
            "de gemeenten heen."
        ),
        "acties": [
            ("Gezamenlijke voorlichtingscampagne in de donkere maanden", "kort"),
            ("Buurtpreventie en buurtapps in alle kernen", "lang"),
        ],
        "indicatoren": (("Diefstal/inbraak woning", "47018NED|1.1.1"),),
        "inzet": (("Preventie", "Campagne donkere dagen", "Politie, Gemeenten", 10000),),
    },
)

LOCAL = (
    {
        "gemeente": "GM0385",
        "titel": "Veilig uitgaan en evenementen",
        "themas": ["2.3", "2.4"],
        "accenten": ["Uitgaansgebied", "Grote evenementen"],
        "ambitie": "Een uitgaansleven en evenementen waar bezoekers en bewoners veilig zijn.",
        "beoogd_effect": "Minder geweld en overlast rond uitgaan en evenementen.",
        "waarom": "Uitgaan en evenementen vragen in deze gemeente een eigen aanpak.",
        "acties": [
            ("Afspraken met horeca in een convenant veilig uitgaan", "kort"),
            ("Een vast draaiboek voor grote evenementen", "lang"),
        ],
        "indicatoren": (("Mishandeling", "47018NED|1.4.5"),),
        "inzet": (("Veilig uitgaan", "Convenant veilig uitgaan", "Horeca, Politie", 8000),),
    },
    {
        "gemeente": "GM0439",
        "titel": "Veilig winkelgebied",
        "themas": ["2.1"],
        "accenten": ["Winkelcentra"],
        "ambitie": "Winkelgebieden waar ondernemers en bezoekers zich veilig voelen.",
        "beoogd_effect": "Minder winkeldiefstal en overlast in de winkelgebieden.",
        "waarom": "De winkelgebieden van de stad vragen een eigen, lokale aanpak.",
        "acties": [("Keurmerk Veilig Ondernemen voor de winkelgebieden", "lang")],
        "indicatoren": (),
        "inzet": (("Veilig ondernemen", "Keurmerk Veilig Ondernemen", "Ondernemers", 12000),),
    },
    {
        "gemeente": "GM0370",
        "titel": "Veilig buitengebied",
        "themas": ["2.2"],
        "accenten": ["Leegstaande agrarische gebouwen"],
        "ambitie": "Een buitengebied waar geen ruimte is voor criminele activiteiten.",
        "beoogd_effect": "Meer signalen uit het buitengebied die worden opgepakt.",
        "waarom": "Het landelijke karakter van de gemeente vraagt extra aandacht.",
        "acties": [("Schouw van het buitengebied met politie en brandweer", "kort")],
        "indicatoren": (),
        "inzet": (("Buitengebied", "Schouw buitengebied", "Politie, Brandweer", 5000),),
    },
)

# Other plans in police unit Noord-Holland: (gemeente, period, consent, [(titel, themas,
# indicator name, series)]).
OTHERS = (
    (
        "GM0479",
        (2023, 2026),
        True,
        (
            ("Ondermijning", ["5.2"], "Drugshandel", "47018NED|3.1.1"),
            ("Veilige wijken", ["1.3"], "Diefstal/inbraak woning", "47018NED|1.1.1"),
            ("Jeugd", ["3.1", "3.2"], "", ""),
        ),
    ),
    (
        "GM0361",
        (2024, 2027),
        True,
        (
            ("Woninginbraak", ["1.3"], "Diefstal/inbraak woning", "47018NED|1.1.1"),
            ("Veilig uitgaan", ["2.3"], "Mishandeling", "47018NED|1.4.5"),
        ),
    ),
    (
        "GM0400",
        (2023, 2026),
        True,
        (
            ("Zorg en veiligheid", ["1.1"], "", ""),
            ("Ondermijning", ["5.2"], "", ""),
        ),
    ),
    (
        "GM0532",
        (2024, 2027),
        False,  # not shared with the police: never on the police unit's page
        (("Verkeersveiligheid", ["4.1"], "", ""),),
    ),
)


# Main lines and goal per priority (by title), and the chapters' texts: written as a
# working group would, without facts the figures do not show.
HOOFDLIJNEN = {
    "Ondermijnende criminaliteit": (
        "- **Eén lijn:** dezelfde bestuurlijke instrumenten en werkwijze in de zes gemeenten.\n"
        "- **Signaleren:** medewerkers en toezichthouders herkennen signalen en melden ze.\n"
        "- **Samen met RIEC en politie:** casussen worden op het niveau van het basisteam "
        "besproken.",
        "Minder ruimte voor ondermijning in het hele basisteam.",
    ),
    "Zorg en veiligheid": (
        "- **Eén meldroute** voor zorgen over inwoners.\n"
        "- **Casusaanpak** met zorg, politie en gemeenten aan één tafel.",
        "Problemen worden eerder opgepakt, voordat ze tot overlast of geweld leiden.",
    ),
    "Jeugd en veiligheid": (
        "- **Groepsaanpak** van het basisteam met jongerenwerk en politie.\n"
        "- **Preventie** met scholen en ouders.",
        "Minder overlast en criminaliteit door jongeren.",
    ),
    "Woninginbraak en andere high impact crimes": (
        "- **Preventie** met inwoners: voorlichting en buurtpreventie.\n"
        "- **Daderaanpak** met politie en OM.",
        "Minder woninginbraken en andere misdrijven met grote gevolgen.",
    ),
    "Veilig uitgaan en evenementen": (
        "- **Convenant** met horeca en politie.\n- **Draaiboek** voor grote evenementen.",
        "Veilig uitgaan en veilige evenementen.",
    ),
    "Veilig winkelgebied": (
        "- **Keurmerk Veilig Ondernemen** met ondernemers en politie.",
        "Veilige winkelgebieden voor ondernemers en bezoekers.",
    ),
    "Veilig buitengebied": (
        "- **Schouw** van het buitengebied en afspraken met eigenaren van leegstaande panden.",
        "Een buitengebied zonder ruimte voor criminele activiteiten.",
    ),
}
HOOFDSTUKKEN = {
    1: (
        "De zes gemeenten van het basisteam verschillen in omvang en karakter, van stad tot "
        "landelijk gebied. De veiligheidsanalyse is gemaakt voor het gebied als geheel en voor "
        "elke gemeente; het lokale deel van elke gemeente toont haar cijfers naast die van "
        "het gebied."
    ),
    2: (
        "De gemeenten werken samen aan een veilig basisteamgebied: gezamenlijk waar de "
        "problemen over de grenzen gaan, lokaal waar een gemeente een eigen opgave heeft."
    ),
    3: (
        "De gemeenten kiezen één aanpak op de gezamenlijke prioriteiten, met dezelfde "
        "partners en dezelfde werkwijze, en houden ruimte voor lokale keuzes."
    ),
    5: (
        "De overige thema's blijven op het gewone niveau; de gemeenten volgen ze in het "
        "jaarlijkse uitvoeringsplan."
    ),
    6: (
        "Een ambtelijke werkgroep van de zes gemeenten en de politie stuurt op de uitvoering. "
        "De burgemeesters bespreken de voortgang in de driehoek van het basisteam; elke raad "
        "krijgt jaarlijks een voortgangsrapportage."
    ),
    7: (
        "De gezamenlijke inzet wordt naar inwonertal over de gemeenten verdeeld; de lokale "
        "inzet betaalt elke gemeente zelf. Het uitvoeringsplan geeft de bedragen per jaar."
    ),
}


def load_joint_demo(coordinator: User, password: str) -> list[tuple[str, str, str]]:
    """Set up the joint demo plan, the other plans of the police unit and their logins;
    return the logins as (username, password, role)."""
    gemeenten = {g.code: g for g in Gemeente.objects.filter(code__in=JOINT_GEMEENTEN)}
    if len(gemeenten) != len(JOINT_GEMEENTEN):
        return []  # no bundled areas (tests without content)
    eenheid = PolitieEenheid.objects.filter(code=EENHEID).first()
    team, _created = Basisteam.objects.get_or_create(
        naam=BASISTEAM,
        defaults={
            "politie_eenheid": eenheid,
            "bron": (
                "Naam: CBS 81928NED (basisteams 2019). Gemeenten vastgelegd voor de demo: de "
                "meegeleverde gegevens noemen geen indeling van basisteams."
            ),
        },
    )
    if Gemeente.objects.filter(code__in=JOINT_GEMEENTEN, basisteam__isnull=True).update(
        basisteam=team
    ):
        readcache.bump()  # an update() sends no signal
    users = {}
    for username, first, last, code, _rol in JOINT_USERS:
        user, _ = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        user.set_password(password)
        user.save()
        if code:
            member_of(user, [gemeenten[code]], rol=Lidmaatschap.Rol.COORDINATOR)
        else:
            politie, _ = Organisatie.objects.get_or_create(
                naam=POLITIE_ORGANISATIE, defaults={"soort": Organisatie.Soort.POLITIE}
            )
            Lidmaatschap.objects.get_or_create(
                user=user, organisatie=politie, defaults={"rol": Lidmaatschap.Rol.MEDEWERKER}
            )
        users[username] = user
    plan = Plan.objects.filter(titel=JOINT_TITEL).first()
    if plan is None:
        plan = services.create_plan(
            by=coordinator,
            titel=JOINT_TITEL,
            gemeenten=[gemeenten[c] for c in JOINT_GEMEENTEN],
            periode_start=2018,
            periode_eind=2021,
            toelichting=(
                "De zes gemeenten van het basisteam stellen samen één integraal "
                "veiligheidsplan op: gezamenlijke prioriteiten op het niveau van het "
                "basisteam en per gemeente een lokaal deel. Elke raad stelt het plan voor de "
                "eigen gemeente vast."
            ),
        )
        for username, _f, _l, _code, rol in JOINT_USERS:
            services.set_role(plan, by=coordinator, user=users[username], rol=rol)
        _fill_joint(plan, coordinator, gemeenten)
        services.set_delen_met_politie(plan, by=coordinator, delen=True)
    for code, (start, end), consent, priorities in OTHERS:
        _other_plan(coordinator, code, start, end, consent, priorities)
    roles = {Rol.COORDINATOR: "coördinator", Rol.REDACTEUR: "redacteur", Rol.LEZER: "lezer"}
    return [
        (username, password, f"{roles[rol]} gezamenlijk plan")
        for username, _f, _l, _c, rol in JOINT_USERS
    ]


def _fill_joint(plan: Plan, coordinator: User, gemeenten: dict[str, Gemeente]) -> None:
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.beleidsplan import services as bp
    from ivp.beleidsplan.models import Effectindicator
    from ivp.uitvoering import services as uv
    from ivp.veiligheidsanalyse import services as analyse

    analyse.set_peiljaar(plan, by=coordinator, peiljaar=JOINT_PEILJAAR)
    owners = []
    try:
        for spec in (*SHARED, *LOCAL):
            gemeente = gemeenten[spec["gemeente"]] if spec.get("gemeente") else None
            prioriteit = bp.add_prioriteit(
                plan,
                by=coordinator,
                titel=spec["titel"],
                themas=spec["themas"],
                accenten=spec["accenten"],
                waarom=spec["waarom"],
                ambitie=spec["ambitie"],
                beoogd_effect=spec["beoogd_effect"],
                acties=[{"tekst": t, "termijn": k} for t, k in spec["acties"]],
                gemeente=gemeente,
            )
            owners.append((prioriteit, spec))
            lines, goal = HOOFDLIJNEN.get(spec["titel"], ("", ""))
            if lines:
                bp.update_part(
                    prioriteit,
                    by=coordinator,
                    expected_version=prioriteit.version,
                    hoofdlijnen=lines,
                    doel=goal,
                )
            for naam, reeks in spec["indicatoren"]:
                indicator = bp.add_indicator(
                    plan,
                    by=coordinator,
                    prioriteit=prioriteit,
                    naam=naam,
                    bron=Effectindicator.Bron.POLITIE,
                    eenheid=Effectindicator.Eenheid.PER_1000_INWONERS,
                    reeks=reeks,
                    streefjaar=plan.periode_eind,
                )
                bp.adopt_target_proposal(plan, indicator, by=coordinator)
    except vb.NoData:
        return
    for nummer, tekst in HOOFDSTUKKEN.items():
        bp.save_hoofdstuk(plan, by=coordinator, nummer=nummer, expected_version=0, tekst=tekst)
    up = uv.create_uitvoeringsplan(plan, by=coordinator, jaar=plan.periode_start)
    uv.update_part(
        up,
        by=coordinator,
        expected_version=up.version,
        hoofdlijn=(
            "Het eerste uitvoeringsplan van het basisteam: de gezamenlijke inzet op de vier "
            "prioriteiten, en per gemeente de lokale inzet."
        ),
        begroting_toelichting=(
            "De gezamenlijke inzet wordt naar inwonertal over de zes gemeenten verdeeld; de "
            "lokale inzet betaalt elke gemeente zelf."
        ),
    )
    for prioriteit, spec in owners:
        for item, titel, partners, budget in spec["inzet"]:
            onderdeel = uv.add_onderdeel(up, by=coordinator, titel=item, prioriteit=prioriteit)
            measure = uv.add_maatregel(onderdeel, by=coordinator, titel=titel)
            uv.update_part(
                measure,
                by=coordinator,
                expected_version=measure.version,
                partners=partners,
                ambtelijk_trekker="Team OOV",
                budget=Decimal(budget),
                budget_bron="Gezamenlijk budget basisteam"
                if prioriteit.gemeente_id is None
                else "Eigen begroting",
            )
    from ivp.sturing.demo import joint_progress

    joint_progress(plan, coordinator)


def _other_plan(coordinator, code, start, end, consent, priorities) -> None:
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.beleidsplan import services as bp
    from ivp.beleidsplan.models import Effectindicator

    gemeente = Gemeente.objects.filter(code=code).first()
    if gemeente is None:
        return
    titel = f"Integraal Veiligheidsplan {gemeente.naam} {start}–{end} (demo)"
    if Plan.objects.filter(titel=titel).exists():
        return
    plan = services.create_plan(
        by=coordinator,
        titel=titel,
        gemeenten=[gemeente],
        periode_start=start,
        periode_eind=end,
    )
    try:
        for titel_p, themas, naam, reeks in priorities:
            prioriteit = bp.add_prioriteit(plan, by=coordinator, titel=titel_p, themas=themas)
            if reeks:
                indicator = bp.add_indicator(
                    plan,
                    by=coordinator,
                    prioriteit=prioriteit,
                    naam=naam,
                    bron=Effectindicator.Bron.POLITIE,
                    eenheid=Effectindicator.Eenheid.PER_1000_INWONERS,
                    reeks=reeks,
                    streefjaar=end,
                )
                bp.adopt_target_proposal(plan, indicator, by=coordinator)
    except vb.NoData:
        pass
    if consent:
        services.set_delen_met_politie(plan, by=coordinator, delen=True)

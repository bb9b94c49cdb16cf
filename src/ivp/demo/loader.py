"""Set up the embedded default: shipped content, bundled data, a demo municipality with a
demo plan, and demo logins. Idempotent: a second run reuses what exists."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field

from django.db import transaction

from ivp.accounts.factories import member_of
from ivp.accounts.models import Lidmaatschap, Organisatie, User
from ivp.areas.models import Gemeente
from ivp.plans import services
from ivp.plans.models import Plan, PlanStap, Rol
from ivp.plans.workflow import StapStatus

DEMO_GEMEENTE = ("GM0796", "'s-Hertogenbosch")
DEMO_PLAN_TITEL = "Integraal Veiligheidsplan 's-Hertogenbosch 2027–2030 (demo)"
DEMO_PASSWORD = "ivp-demo-2027"  # noqa: S105 - a demo login printed on start, by design
DEMO_USERS = (
    ("demo", "Demo", "Coördinator", Rol.COORDINATOR),
    ("demo-lezer", "Demo", "Lezer", Rol.LEZER),
)
# The functioneel beheerder of the demo gemeente: invites people and gives them roles.
DEMO_BEHEERDER = ("demo-beheerder", "Demo", "Beheerder")
# The demo coordinator belongs to this organisation too, so that a newcomer can start a
# plan for their own municipality at once.
DEMO_ORGANISATIE_ALLE = "Demo-organisatie (alle gemeenten)"
# The working group as the handbook composes it; roles, not real people.
DEMO_WERKGROEP = (
    ("Coördinator integrale veiligheid", "Gemeente 's-Hertogenbosch", "Voorzitter werkgroep"),
    ("Beleidsadviseur jeugd", "Gemeente 's-Hertogenbosch", "Jeugd en veiligheid"),
    ("Beleidsadviseur zorg", "Gemeente 's-Hertogenbosch", "Zorg en veiligheid"),
    ("Teamchef basisteam", "Politie Oost-Brabant", "Politie"),
    ("Accountmanager", "Veiligheidsregio Brabant-Noord", "Fysieke veiligheid"),
)

# Loaders of other packages, called when those packages provide them.
CONTENT_LOADERS = (
    ("ivp.catalogue.services", "sync_catalogue"),
    ("ivp.datasets.services", "load_bundled_data"),
)


# Answers of the working group in step 2, so that the pages and the report show what goes
# where. Written as a working group would, without stating facts about the gemeente that the
# figures do not show.
DEMO_ANALYSE = {
    "1.3": {
        "probleem": (
            "Woninginbraak, auto-inbraak en fietsdiefstal vragen de meeste aandacht: ze treffen "
            "veel inwoners en hebben een grote impact op slachtoffers. De cijfers hiernaast "
            "laten zien hoe de gemeente zich verhoudt tot gemeenten van dezelfde omvang."
        ),
        "huidige_aanpak": (
            "Inbraakpreventie met voorlichting en buurtpreventie, een persoonsgerichte aanpak "
            "van veelplegers en de heling- en opkopersaanpak."
        ),
        "extra": "Meer gerichte preventie op plekken en momenten waar inbraken samenkomen.",
        "oordeel": "aandacht",
    },
    "A1.5": {
        "huidige_aanpak": (
            "Boa's surveilleren op vaste routes en op meldingen; cameratoezicht in de binnenstad; "
            "gebiedsverboden waar de APV dat toelaat."
        ),
        "extra": "Inzet van toezicht sturen op de wijkfoto's en de meldingen van bewoners.",
    },
    "V1": {
        "conclusie": (
            "De werkgroep ziet in dit veld een plausibele prioriteit in de veiligheid en "
            "leefbaarheid van wijken: vermogenscriminaliteit en verloedering hangen samen en "
            "vragen om één gebiedsgerichte aanpak."
        ),
    },
}


@dataclass
class DemoResult:
    plan: Plan
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)


def run_content_loaders() -> list[str]:
    """Run the idempotent loaders of catalogue and data; return what each reported."""
    reports = []
    for module_name, function_name in CONTENT_LOADERS:
        if importlib.util.find_spec(module_name) is None:
            continue
        loader = getattr(importlib.import_module(module_name), function_name, None)
        if loader is not None:
            reports.append(f"{module_name}.{function_name}: {loader()}")
    return reports


@transaction.atomic
def load_demo(*, with_content: bool = True) -> DemoResult:
    loaded = run_content_loaders() if with_content else []
    gemeente, _ = Gemeente.objects.get_or_create(
        code=DEMO_GEMEENTE[0], defaults={"naam": DEMO_GEMEENTE[1]}
    )
    users = {}
    for username, first, last, plan_rol in DEMO_USERS:
        user, _ = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        # Reset on every start, so that the printed login always works.
        user.set_password(DEMO_PASSWORD)
        user.save()
        member_of(
            user,
            [gemeente],
            rol=Lidmaatschap.Rol.COORDINATOR if plan_rol == Rol.COORDINATOR else "medewerker",
        )
        users[username] = user
    beheerder, _ = User.objects.get_or_create(
        username=DEMO_BEHEERDER[0],
        defaults={"first_name": DEMO_BEHEERDER[1], "last_name": DEMO_BEHEERDER[2]},
    )
    beheerder.set_password(DEMO_PASSWORD)
    beheerder.save()
    member_of(beheerder, [gemeente], beheerder=True)
    alle, _ = Organisatie.objects.get_or_create(
        naam=DEMO_ORGANISATIE_ALLE,
        defaults={"soort": Organisatie.Soort.PARTNER, "alle_gemeenten": True},
    )
    Lidmaatschap.objects.get_or_create(
        user=users["demo"], organisatie=alle, defaults={"rol": Lidmaatschap.Rol.COORDINATOR}
    )

    coordinator = users["demo"]
    plan = Plan.objects.filter(titel=DEMO_PLAN_TITEL).first()
    if plan is None:
        plan = services.create_plan(
            by=coordinator,
            titel=DEMO_PLAN_TITEL,
            gemeenten=[gemeente],
            periode_start=2027,
            periode_eind=2030,
            toelichting=(
                "De gemeente stelt voor de jaren 2027 tot en met 2030 een nieuw integraal "
                "veiligheidsplan op. Deze startnotitie beschrijft hoe: de zes stappen van de "
                "methode Kernbeleid Veiligheid, de werkgroep, de planning en de rol van de raad."
            ),
        )
        for naam, organisatie, functie in DEMO_WERKGROEP:
            services.add_werkgroeplid(
                plan, by=coordinator, naam=naam, organisatie=organisatie, functie=functie
            )
        from datetime import date

        services.set_planning(
            plan,
            by=coordinator,
            expected_version=plan.version,
            dates={
                1: (date(2026, 1, 12), date(2026, 2, 20)),
                2: (date(2026, 2, 23), date(2026, 5, 1)),
                3: (date(2026, 5, 4), date(2026, 6, 12)),
                4: (date(2026, 6, 15), date(2026, 9, 4)),
                5: (date(2026, 9, 7), date(2026, 10, 16)),
                6: (date(2027, 1, 1), date(2030, 12, 31)),
            },
        )
        plan.refresh_from_db()
        services.update_plan(
            plan, by=coordinator, expected_version=plan.version, **DEMO_STARTNOTITIE
        )
        for nummer, target in (
            (1, StapStatus.BEZIG),
            (1, StapStatus.AFGEROND),
            (2, StapStatus.BEZIG),
        ):
            current = PlanStap.objects.get(plan=plan, nummer=nummer).status
            services.set_step_status(
                plan, by=coordinator, nummer=nummer, status=target, expected_status=current
            )
    for username, _first, _last, rol in DEMO_USERS:
        if rol != Rol.COORDINATOR:
            services.set_role(plan, by=coordinator, user=users[username], rol=rol)
    _demo_analysis(plan, coordinator)
    _demo_beleidsplan(plan, coordinator)
    _demo_uitvoering(plan, coordinator)
    # the steps whose content the demo holds are under way, as a coordinator would have set
    for nummer in (3, 4, 5):
        current = PlanStap.objects.get(plan=plan, nummer=nummer).status
        if current == StapStatus.NIET_GESTART:
            services.set_step_status(
                plan,
                by=coordinator,
                nummer=nummer,
                status=StapStatus.BEZIG,
                expected_status=current,
            )
    logins = [(username, DEMO_PASSWORD, str(Rol(rol).label)) for username, *_x, rol in DEMO_USERS]
    logins.append((DEMO_BEHEERDER[0], DEMO_PASSWORD, "functioneel beheerder"))
    # after the first demo plan, so that its id stays 1: plan 2 is in execution (step 6),
    # plan 3 the joint plan of a base team, then the plans shared with the police
    contributor = _demo_uitvoeringsfase(gemeente, coordinator, users["demo-lezer"])
    if contributor is not None:
        logins.append((contributor.username, DEMO_PASSWORD, "bijdrager (plan in uitvoering)"))
    from ivp.demo.joint import load_joint_demo

    logins += load_joint_demo(coordinator, DEMO_PASSWORD)
    return DemoResult(plan=plan, logins=logins, loaded=loaded)


# The demo's own startnotitie texts (the products and the council's role keep the standard).
DEMO_STARTNOTITIE = {
    "startnotitie_capaciteit": (
        "De coördinator integrale veiligheid trekt het proces en schrijft de stukken. De leden "
        "van de werkgroep nemen deel aan de bijeenkomsten en leveren hun kennis en cijfers aan "
        "vanuit hun eigen organisatie. Extra budget is voor het opstellen niet nodig."
    ),
    "startnotitie_participatie": (
        "Inwoners en ondernemers worden in stap 2 betrokken via een online vragenlijst en "
        "gesprekken met de wijkraden; de uitkomsten gaan mee in de veiligheidsanalyse."
    ),
    "startnotitie_samenhang": (
        "Het plan houdt rekening met het beleid voor het sociaal domein, jeugd, zorg en "
        "veiligheid en de aanpak van ondermijning in de regio."
    ),
}


def _demo_uitvoeringsfase(gemeente: Gemeente, coordinator: User, lezer: User) -> User | None:
    """A second demo plan, 2023–2026, in its execution phase (step 6); made after the first
    so that plan ids stay as they were."""
    if importlib.util.find_spec("ivp.sturing") is None:
        return None
    from ivp.sturing import demo

    _plan, contributor = demo.load(coordinator, gemeente, lezer=lezer)
    return contributor


def _demo_analysis(plan: Plan, coordinator: User) -> None:
    """Fill a few answers of step 2 once (a later run keeps what users wrote)."""
    if importlib.util.find_spec("ivp.veiligheidsanalyse") is None:
        return
    from ivp.veiligheidsanalyse import services as analyse
    from ivp.veiligheidsanalyse.models import AnalyseTekst

    if AnalyseTekst.objects.filter(plan=plan).exists():
        return
    for onderwerp, values in DEMO_ANALYSE.items():
        analyse.save_tekst(plan, by=coordinator, onderwerp=onderwerp, expected_version=0, **values)


# Content of steps 3 and 4: every chapter of the IVP written, in the plan's own shape (an
# Inleiding with a Leeswijzer first, own titles, sections, two annexes). Baselines come from the
# bundled data, targets are ivp's own proposals.
DEMO_PRIORITEITEN = (
    {
        "titel": "Veilige en leefbare wijken en buurten",
        "themas": ["1.2", "1.3"],
        "accenten": [
            "**Vermogenscriminaliteit:** woninginbraak en auto-inbraak",
            "Vernieling en verloedering",
        ],
        "waarom": (
            "Vermogenscriminaliteit en vernieling zijn de delicten die inwoners het vaakst "
            "treffen. Ze bepalen voor een groot deel hoe veilig mensen zich in hun buurt voelen. "
            "De veiligheidsanalyse laat zien dat de aantallen de afgelopen jaren zijn gedaald, "
            "maar niet in elke wijk even snel."
        ),
        "hoofdlijnen": (
            "- **Preventie met bewoners:** voorlichting, buurtpreventie en buurtapps, met extra "
            "inzet waar inbraken zich opstapelen.\n"
            "- **Daderaanpak:** een persoonsgerichte aanpak van veelplegers, samen met politie "
            "en OM.\n"
            "- **Wijkgericht werken:** per wijk een wijkfoto die bepaalt waar toezicht en "
            "beheer het verschil maken (zie ook [[strategische-uitgangspunten]])."
        ),
        "flankerend_beleid": (
            "Het beheer van de openbare ruimte en het wijkgericht werken van het sociaal domein."
        ),
        "doel": (
            "*Minder inbraken en vernielingen in elke wijk, en bewoners die zich in hun buurt "
            "veilig voelen.*"
        ),
        "indicatoren": (
            ("Diefstal uit/vanaf motorvoertuigen", "47018NED|1.2.1"),
            ("Vernielingen", "47018NED|2.2.1"),
        ),
    },
    {
        "titel": "Problematische jeugd en jeugdgroepen",
        "themas": ["3.1", "3.2"],
        "accenten": [],
        "waarom": (
            "Overlast van jeugdgroepen en jongeren die afglijden naar criminaliteit vragen om "
            "een aanpak die de groep en het individu samen bekijkt. Zorg en veiligheid moeten "
            "daarbij in één lijn werken."
        ),
        "hoofdlijnen": (
            "- Vroeg signaleren in de wijk en op school.\n"
            "- Een groepsaanpak met een plan per groep:\n"
            "  - preventie en activering door jongerenwerk;\n"
            "  - handhaving waar de groep overlast of criminaliteit veroorzaakt.\n"
            "- Een persoonsgerichte aanpak via het Zorg- en Veiligheidshuis."
        ),
        "doel": "*Minder overlast van jeugdgroepen en minder jongeren die in de criminaliteit "
        "belanden.*",
        "indicatoren": (),
    },
    {
        "titel": "Ondermijning",
        "themas": ["5.2"],
        "accenten": [],
        "waarom": "De bestuurlijke aanpak van georganiseerde criminaliteit blijft nodig.",
        "hoofdlijnen": "Barrièremodel, bestuurlijke weerbaarheid en informatie-uitwisseling.",
        "doel": "Criminele netwerken minder ruimte geven.",
        "vertrouwelijk": True,
        "indicatoren": (),
    },
)
DEMO_CLUSTERS = {
    "Veilige woon- en leefomgeving": (
        "De sociale kwaliteit van buurten en het veiligheidsgevoel van bewoners volgen we via "
        "de Veiligheidsmonitor en de wijkfoto's; de aanpak loopt via het wijkgericht werken."
    ),
    "Bedrijvigheid en veiligheid": (
        "- Publiek-private samenwerking met ondernemers in winkelgebieden en op "
        "bedrijventerreinen (Keurmerk Veilig Ondernemen).\n"
        "- Veilig uitgaan en veilige evenementen via vergunningen, afspraken met horeca en "
        "toezicht."
    ),
    "Fysieke veiligheid": (
        "Verkeersveiligheid, brandveiligheid, externe veiligheid en crisisbeheersing volgen de "
        "regionale kaders van de veiligheidsregio; de gemeente voert de regie op de lokale "
        "uitvoering."
    ),
    "Integriteit en veiligheid": (
        "- Polarisatie en radicalisering: vroeg signaleren met partners in de wijk.\n"
        "- Informatieveiligheid en ambtelijke en bestuurlijke integriteit: de basis op orde "
        "houden en bewustwording blijven vragen."
    ),
}
DEMO_HOOFDSTUKKEN = {
    1: {
        "titel": "Waar staan we nu?",
        "tekst": (
            "De veiligheidsanalyse bracht per veiligheidsveld het veiligheidsbeeld en de "
            "lopende aanpak in kaart. Hieronder staan per veld de kerncijfers en de conclusie "
            "van de werkgroep; de volledige analyse staat in de veiligheidsanalyserapportage."
        ),
    },
    2: {
        "titel": "Waar willen we staan in 2030?",
        "tekst": (
            "In 2030 is de gemeente een plek waar inwoners en ondernemers zich veilig voelen en "
            "zelf bijdragen aan die veiligheid. Op de prioriteiten in [[prioriteiten]] "
            "intensiveren we; op de overige thema's houden we het niveau vast.\n\n"
            "De overkoepelende indicatoren volgen de veiligheid in de hele gemeente."
        ),
    },
    3: {
        "titel": "Hoe gaan we te werk?",
        "tekst": "Drie rode draden lopen door de hele aanpak.",
        "rode_draden": True,
        "strategische_themas": ["zorg-en-veiligheid"],
    },
    4: {
        "titel": "Prioritaire thema's",
        "tekst": (
            "Per prioriteit staan hieronder de redenen, de hoofdlijnen van de aanpak en de "
            "doelstelling; de concrete inzet staat in het uitvoeringsplan "
            "([[bijlage-uitvoeringsplan]])."
        ),
    },
    5: {
        "titel": "Overige strategische thema's",
        "tekst": (
            "Op de overige thema's houden we het veiligheidsniveau vast en zetten we de lopende "
            "aanpak voort. [[bijlage-veiligheidsthemas]] laat zien waar elk thema van de methode "
            "staat."
        ),
    },
    6: {
        "titel": "Coördinatie, verantwoording en begroting",
        "tekst": "",
    },
    7: {"weggelaten": True, "tekst": ""},
}
DEMO_INLEIDING = (
    "Dit integraal veiligheidsplan beschrijft de koers van de gemeente op veiligheid voor de "
    "jaren 2027 tot en met 2030. Het bouwt voort op de veiligheidsanalyse en op de keuze van "
    "prioriteiten die de raad met de werkgroep besprak."
)
DEMO_LEESWIJZER = (
    "[[uitgangssituatie]] beschrijft waar we nu staan, [[strategische-doelstelling]] waar we "
    "in 2030 willen staan en [[strategische-uitgangspunten]] hoe we te werk gaan. "
    "[[prioriteiten]] en [[overige-themas]] werken de thema's uit; [[coordinatie]] gaat over "
    "de coördinatie, de verantwoording en de begroting."
)
DEMO_PARAGRAFEN_6 = (
    (
        "Ambtelijke en bestuurlijke coördinatie",
        "De coördinator integrale veiligheid van team OOV houdt de regie op de uitvoering en "
        "informeert de burgemeester als portefeuillehouder. De driehoek bespreekt de voortgang.",
    ),
    (
        "Beleidscyclus en verantwoording",
        "Het college stelt elk jaar een uitvoeringsplan vast. Elk kwartaal bespreekt de "
        "werkgroep de voortgang; de raad krijgt jaarlijks een voortgangsrapportage.",
    ),
    (
        "Begroting",
        "De activiteiten worden in de basis bekostigd uit de bestaande begroting. Nieuwe "
        "activiteiten met extra kosten komen in de voorjaarsnota aan de orde.",
    ),
)


def _demo_beleidsplan(plan: Plan, coordinator: User) -> None:
    """Fill steps 3 and 4 once (a later run keeps what users changed)."""
    if importlib.util.find_spec("ivp.beleidsplan") is None:
        return
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.beleidsplan import services as bp
    from ivp.beleidsplan.models import Effectindicator, Hoofdstuk, Prioriteit

    if Prioriteit.objects.filter(plan=plan).exists():
        return
    try:
        for spec in DEMO_PRIORITEITEN:
            prioriteit = bp.add_prioriteit(
                plan,
                by=coordinator,
                titel=spec["titel"],
                themas=spec["themas"],
                accenten=spec["accenten"],
                waarom=spec["waarom"],
                hoofdlijnen=spec["hoofdlijnen"],
                flankerend_beleid=spec.get("flankerend_beleid", ""),
                doel=spec["doel"],
                vertrouwelijk=spec.get("vertrouwelijk", False),
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
        bp.cluster_remaining_by_field(plan, by=coordinator)
        for cluster in plan.overige_themas.all():
            text = DEMO_CLUSTERS.get(cluster.titel)
            if text:
                bp.update_part(
                    cluster, by=coordinator, expected_version=cluster.version, hoofdlijnen=text
                )
        jeugd = plan.overige_themas.filter(titel="Jeugd en veiligheid").first()
        if jeugd is not None:
            bp.update_part(
                jeugd,
                by=coordinator,
                expected_version=jeugd.version,
                titel="Jeugd, alcohol en drugs en veilig in en om de school",
                hoofdlijnen=(
                    "Voorlichting over alcohol en drugs samen met scholen en jongerenwerk, en "
                    "de veiligheidsconvenanten met het onderwijs."
                ),
            )
        for nummer, spec in DEMO_HOOFDSTUKKEN.items():
            values = {k: v for k, v in spec.items() if k not in ("rode_draden",)}
            if spec.get("rode_draden"):
                values["rode_draden"] = [
                    {"titel": titel, "tekst": uitleg} for titel, uitleg in bp.RODE_DRADEN[:3]
                ]
            bp.save_hoofdstuk(plan, by=coordinator, nummer=nummer, expected_version=0, **values)
        for titel, tekst in DEMO_PARAGRAFEN_6:
            bp.add_paragraaf(
                plan,
                by=coordinator,
                hoofdstuk=Hoofdstuk.objects.get(plan=plan, nummer=6),
                titel=titel,
                tekst=tekst,
            )
        inleiding = bp.add_hoofdstuk(
            plan, by=coordinator, titel="Inleiding", vooraan=True, tekst=DEMO_INLEIDING
        )
        bp.add_paragraaf(
            plan, by=coordinator, hoofdstuk=inleiding, titel="Leeswijzer", tekst=DEMO_LEESWIJZER
        )
        bp.add_hoofdstuk(plan, by=coordinator, titel="", soort=Hoofdstuk.Soort.BIJLAGE_THEMAS)
        bp.add_hoofdstuk(
            plan, by=coordinator, titel="", soort=Hoofdstuk.Soort.BIJLAGE_UITVOERINGSPLAN
        )
        bp.save_opmaak(
            plan,
            by=coordinator,
            expected_version=0,
            ondertitel="Samen werken aan veilige wijken",
            kop_waarom="",
            kop_hoofdlijnen="Hoofdlijnen 2027–2030",
            kop_flankerend="Flankerend beleid",
            kop_doel="Doelstelling 2030",
        )
        # Chapter 2: total registered crime from the bundled figures. The Veiligheidsmonitor's
        # mark is not bundled, so the demo does not invent one.
        total = bp.add_indicator(
            plan,
            by=coordinator,
            naam="Totaal geregistreerde misdrijven per 1.000 inwoners",
            bron=Effectindicator.Bron.POLITIE,
            eenheid=Effectindicator.Eenheid.PER_1000_INWONERS,
            reeks="47018NED|0.0.0",
            streefjaar=plan.periode_eind,
        )
        proposal = bp.target_proposal(plan, total)
        if total.uitgangswaarde is None:  # no total in the bundled figures: no empty row
            bp.delete_part(total, by=coordinator, expected_version=total.version)
        elif proposal is not None and proposal.value is not None:
            bp.update_part(
                total, by=coordinator, expected_version=total.version, streefwaarde=proposal.value
            )
    except vb.NoData:  # no bundled figures (tests without content): leave steps 3-4 empty
        return


# Per priority or cluster: (item, sub-group, partners as written, planning, budget) for the
# measures taken from the theme library, so the uitvoeringsplan shows the forms plans use.
DEMO_INZET = {
    "Veilige en leefbare wijken en buurten": (
        (
            "Preventie",
            "",
            "Team OOV, Wijkteams, Politie, Woningcorporaties",
            "doorlopend",
            25000,
            "A1",
            "Per wijk een wijkveiligheidsplan op basis van de wijkfoto, elk jaar bijgesteld.",
        ),
        ("Preventie", "", "Politie, Buurtpreventieteams", "2027 e.v.", None, "A1", ""),
        (
            "Daderaanpak",
            "",
            "Politie, OM, Zorg- en Veiligheidshuis, Reclassering",
            "Q2 2027",
            None,
            "A1",
            "",
        ),
    ),
    "Problematische jeugd en jeugdgroepen": (
        (
            "Groepsaanpak",
            "",
            "Jongerenwerk, Politie, Team OOV",
            "doorlopend",
            40000,
            "3.1",
            "Elke maand met politie en jongerenwerk: welke groepen, waar, en wie pakt wat op.",
        ),
        (
            "Groepsaanpak",
            "",
            "Politie, Jongerenwerk, Scholen",
            "2027, daarna jaarlijks",
            None,
            "3.1",
            "",
        ),
        (
            "Persoonsgerichte aanpak",
            "",
            "Zorg- en Veiligheidshuis, Bureau Halt, Jeugdzorg",
            "doorlopend",
            None,
            "3.2",
            "",
        ),
    ),
    "Fysieke veiligheid": (
        (
            "Brandveiligheid",
            "Risicobeheersing",
            "Veiligheidsregio, Woningcorporaties",
            "doorlopend",
            None,
            "4.2",
            "",
        ),
        (
            "Brandveiligheid",
            "Risicobeheersing",
            "Veiligheidsregio, Omgevingsdienst",
            "2027 e.v.",
            None,
            "4.2",
            "",
        ),
        (
            "Brandveiligheid",
            "Incidentbestrijding",
            "Veiligheidsregio",
            "doorlopend",
            None,
            "4.2",
            "",
        ),
    ),
    "Bedrijvigheid en veiligheid": (
        (
            "Veilig ondernemen",
            "",
            "Ondernemersverenigingen, Politie, Brandweer",
            "2027 e.v.",
            10000,
            "2.1",
            "Samen met ondernemers een meerjarenaanpak per winkelgebied.",
        ),
        ("Veilig ondernemen", "", "Team OOV, Politie", "voorjaar 2027", None, "2.1", ""),
    ),
}


def _demo_uitvoering(plan: Plan, coordinator: User) -> None:
    """A first implementation plan with measures per priority and cluster, picked from the
    catalogue, once (a later run keeps what users changed)."""
    if importlib.util.find_spec("ivp.uitvoering") is None:
        return
    from decimal import Decimal

    from ivp.uitvoering import services as uv
    from ivp.uitvoering.models import Uitvoeringsplan
    from ivp.uitvoering.spreadsheet import read_planning

    if Uitvoeringsplan.objects.filter(plan=plan).exists() or not plan.prioriteiten.exists():
        return
    up = uv.create_uitvoeringsplan(plan, by=coordinator, jaar=plan.periode_start)
    uv.update_part(
        up,
        by=coordinator,
        expected_version=up.version,
        hoofdlijn=(
            "Het IVP 2027–2030 kiest drie prioriteiten en houdt de overige thema's op niveau. "
            "Dit eerste uitvoeringsplan zet de hoofdlijnen om in concrete inzet voor 2027."
        ),
        begroting_toelichting=(
            "De inzet wordt betaald uit het budget integrale veiligheid en de reguliere budgetten "
            "van de partners."
        ),
    )
    owners = [*plan.prioriteiten.all(), *plan.overige_themas.all()]
    for owner in owners:
        rows = DEMO_INZET.get(owner.titel)
        if not rows:
            continue
        is_priority = owner in plan.prioriteiten.all()
        items: dict[str, object] = {}
        used: set[str] = set()
        for position, (titel, subgroep, partners, planning, budget, where, text) in enumerate(rows):
            offered = [
                m
                for m in uv.catalogue_measures(owner)
                if m[2].startswith(where) and m[0] not in used
            ]
            if not offered:
                continue
            if titel not in items:
                items[titel] = uv.add_onderdeel(
                    up,
                    by=coordinator,
                    titel=titel,
                    **({"prioriteit": owner} if is_priority else {"overig_thema": owner}),
                )
            code, _text, _where = offered[0]
            used.add(code)
            measure = uv.add_from_catalogue(items[titel], by=coordinator, catalogus_id=code)
            values = {
                "bestuurlijk_trekker": "Burgemeester" if is_priority else "Wethouder",
                "ambtelijk_trekker": "Team OOV",
                "partners": partners,
                "subgroep": subgroep,
                "status": "lopend" if position % 2 else "gepland",
                **read_planning(planning),
            }
            if text:
                values["beschrijving"] = text
            if budget is not None:
                values["budget"] = Decimal(budget)
                values["budget_bron"] = "Budget integrale veiligheid"
                values["prestatie_indicator"] = "Uitgevoerd volgens planning"
            uv.update_part(measure, by=coordinator, expected_version=measure.version, **values)

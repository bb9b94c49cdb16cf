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


# Example answers of the working group in step 2, so that the pages and the report show
# what goes where. They say they are examples and state no facts about the gemeente.
DEMO_ANALYSE = {
    "1.3": {
        "probleem": (
            "Voorbeeld (demo): hier legt de werkgroep vast wat de cijfers hiernaast laten "
            "zien en wat politie, wijkteams en inwoners daarover vertellen: welke delicten, "
            "in welke wijken, en wie er last van heeft."
        ),
        "oordeel": "aandacht",
    },
    "A1.5": {
        "huidige_aanpak": (
            "Voorbeeld (demo): de lopende inzet op toezicht en handhaving (boa's, "
            "cameratoezicht, gebiedsverboden) met de knelpunten die de werkgroep ziet."
        ),
        "extra": "Voorbeeld (demo): wat er extra nodig is, en wat dat vraagt van partners.",
    },
    "V1": {
        "conclusie": (
            "Voorbeeld (demo): de werkgroep noemt hier de plausibele prioriteiten van dit "
            "veld, met de redenen uit de analyse."
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
                "Demoplan om ivp te verkennen. Het plan volgt de zes stappen van Kernbeleid "
                "Veiligheid; de opstart is afgerond en de veiligheidsanalyse loopt."
            ),
        )
        for naam, organisatie, functie in DEMO_WERKGROEP:
            services.add_werkgroeplid(
                plan, by=coordinator, naam=naam, organisatie=organisatie, functie=functie
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
    logins = [(username, DEMO_PASSWORD, str(Rol(rol).label)) for username, *_x, rol in DEMO_USERS]
    logins.append((DEMO_BEHEERDER[0], DEMO_PASSWORD, "functioneel beheerder"))
    return DemoResult(plan=plan, logins=logins, loaded=loaded)


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


# Example content of steps 3 and 4: enough to show every chapter of the IVP. Texts say they
# are examples; baselines come from the bundled data, targets are ivp's own proposals.
DEMO_PRIORITEITEN = (
    {
        "titel": "Veilige en leefbare wijken en buurten",
        "themas": ["1.2", "1.3"],
        "accenten": ["Woninginbraak en autokraak", "Vernieling en verloedering"],
        "waarom": "Voorbeeld (demo): waarom dit een prioriteit is, met de cijfers uit de analyse.",
        "hoofdlijnen": "Voorbeeld (demo): de hoofdlijnen van de aanpak in de komende jaren.",
        "indicatoren": (
            ("Diefstal uit/vanaf motorvoertuigen per 1.000 inwoners", "47018NED|1.2.1"),
            ("Vernielingen per 1.000 inwoners", "47018NED|2.2.1"),
        ),
    },
    {
        "titel": "Ondermijning",
        "themas": ["5.2"],
        "accenten": [],
        "waarom": "Voorbeeld (demo): dit deel blijft buiten de openbare versie.",
        "hoofdlijnen": "Voorbeeld (demo): barrièremodel, bestuurlijke aanpak, weerbaarheid.",
        "vertrouwelijk": True,
        "indicatoren": (),
    },
)
DEMO_HOOFDSTUKKEN = {
    2: "Voorbeeld (demo): waar wil de gemeente in 2030 staan met de veiligheid?",
    3: "Voorbeeld (demo): de rode draden die in alle prioriteiten terugkomen.",
    6: "Voorbeeld (demo): ambtelijke en bestuurlijke coördinatie, voortgangsgesprekken per "
    "kwartaal en een jaarbeeld dat het volgende uitvoeringsplan voedt.",
    7: "Voorbeeld (demo): de financiële onderbouwing per prioriteit.",
}


def _demo_beleidsplan(plan: Plan, coordinator: User) -> None:
    """Fill steps 3 and 4 once (a later run keeps what users changed)."""
    if importlib.util.find_spec("ivp.beleidsplan") is None:
        return
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.beleidsplan import services as bp
    from ivp.beleidsplan.models import Effectindicator, Prioriteit

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
                proposal = bp.target_proposal(plan, indicator)
                if proposal is not None and proposal.value is not None:
                    bp.update_part(
                        indicator,
                        by=coordinator,
                        expected_version=indicator.version,
                        streefwaarde=proposal.value,
                    )
        bp.cluster_remaining_by_field(plan, by=coordinator)
        chapter_1 = bp.prefill_uitgangssituatie(plan)
        bp.save_hoofdstuk(plan, by=coordinator, nummer=1, expected_version=0, tekst=chapter_1)
        for nummer, tekst in DEMO_HOOFDSTUKKEN.items():
            extra = {}
            if nummer == 3:
                extra["rode_draden"] = [
                    {"titel": titel, "tekst": uitleg} for titel, uitleg in bp.RODE_DRADEN[:3]
                ]
            bp.save_hoofdstuk(
                plan, by=coordinator, nummer=nummer, expected_version=0, tekst=tekst, **extra
            )
        bp.add_default_strategic_indicators(plan, by=coordinator)
    except vb.NoData:  # no bundled figures (tests without content): leave steps 3-4 empty
        return


def _demo_uitvoering(plan: Plan, coordinator: User) -> None:
    """A first implementation plan with a few measures per priority and cluster, picked
    from the catalogue, once (a later run keeps what users changed)."""
    if importlib.util.find_spec("ivp.uitvoering") is None:
        return
    from ivp.uitvoering import services as uv
    from ivp.uitvoering.models import Uitvoeringsplan

    if Uitvoeringsplan.objects.filter(plan=plan).exists() or not plan.prioriteiten.exists():
        return
    up = uv.create_uitvoeringsplan(plan, by=coordinator, jaar=plan.periode_start)
    uv.update_part(
        up,
        by=coordinator,
        expected_version=up.version,
        hoofdlijn="Voorbeeld (demo): de hoofdlijn van het IVP en de beleidscyclus.",
    )
    owners = [*plan.prioriteiten.all(), *plan.overige_themas.all()[:2]]
    for number, owner in enumerate(owners):
        is_priority = owner in plan.prioriteiten.all()
        item = uv.add_onderdeel(
            up,
            by=coordinator,
            titel="Preventie" if number % 2 == 0 else "Toezicht en handhaving",
            **({"prioriteit": owner} if is_priority else {"overig_thema": owner}),
        )
        offered = uv.catalogue_measures(owner)[:2]
        for position, (code, _text, _where) in enumerate(offered):
            measure = uv.add_from_catalogue(item, by=coordinator, catalogus_id=code)
            uv.update_part(
                measure,
                by=coordinator,
                expected_version=measure.version,
                bestuurlijk_trekker="Burgemeester" if is_priority else "Wethouder",
                ambtelijk_trekker="Team OOV",
                partners_extern=["Politie"],
                planning="jaar" if position == 0 else "doorlopend",
                planning_jaar=plan.periode_start if position == 0 else None,
                planning_vervolg=position == 0,
                status="lopend" if position else "gepland",
            )

"""The startnotitie (step 1): the 'project plan' of the policy development — reason, products,
planning of the steps with the handbook's lead times, working group and partners, the role of
the council. Built from the plan record; a part the plan does not hold yet is marked as a gap of
the concept, never as a placeholder of the software."""

from __future__ import annotations

from ivp.documents.docx_writer import dutch_date
from ivp.documents.ivp_document import GAP
from ivp.documents.model import BulletList, Document, Paragraph, Section, Table
from ivp.plans.models import Plan
from ivp.plans.startnotitie import TEXTS, text_of
from ivp.plans.workflow import STAPPEN


def _lead_time(weeks: tuple[int, int]) -> str:
    low, high = weeks
    if high == 0:
        return "hele planperiode"
    return f"ca. {high} weken" if low == high else f"{low} à {high} weken"


def _paragraphs(text: str) -> list[Paragraph]:
    return [Paragraph(p.strip()) for p in text.strip().split("\n\n") if p.strip()]


def _date(value) -> str:
    return dutch_date(value) if value else "—"


def build_startnotitie(plan: Plan) -> Document:
    gemeenten = list(plan.gemeenten.all())
    names = ", ".join(g.naam for g in gemeenten)
    stappen = {s.nummer: s for s in plan.stappen.all()}
    werkgroep = list(plan.werkgroep.all())

    aanleiding = Section("Aanleiding")
    if plan.toelichting.strip():
        aanleiding.blocks += [Paragraph(p) for p in plan.toelichting.strip().split("\n\n")]
    else:
        aanleiding.blocks.append(Paragraph(GAP.format(what="de aanleiding"), "concept"))
    if len(gemeenten) > 1:
        aanleiding.blocks.append(
            Paragraph(
                f"Dit is een gezamenlijk plan van {len(gemeenten)} gemeenten: {names}. "
                "De prioriteiten worden gezamenlijk gekozen; elke gemeenteraad stelt zijn "
                "eigen versie van het plan vast."
            )
        )

    products = [line.strip() for line in text_of(plan, "startnotitie_producten").splitlines()]
    producten = Section(
        TEXTS["startnotitie_producten"][0],
        [BulletList(tuple(line for line in products if line))],
    )

    planning = Section(
        "Werkwijze en planning",
        [
            Paragraph(
                "De beleidsontwikkeling volgt de zes stappen van de methode Kernbeleid "
                "Veiligheid. De coördinator integrale veiligheid trekt het proces."
            ),
            Table(
                columns=("Stap", "Doorlooptijd (handreiking)", "Start", "Gereed", "Status"),
                rows=tuple(
                    (
                        f"{s.nummer}. {s.titel}",
                        _lead_time(s.doorlooptijd_weken),
                        _date(stappen[s.nummer].gepland_start),
                        _date(stappen[s.nummer].gepland_eind),
                        stappen[s.nummer].get_status_display(),
                    )
                    for s in STAPPEN
                ),
                caption="Planning van de stappen",
                source="Doorlooptijden: VNG, Kernbeleid Veiligheid (2021). Data: planning van de "
                "werkgroep.",
                widths=(3.2, 2.2, 2, 2, 1.4),
            ),
        ],
    )

    organisaties = sorted({lid.organisatie for lid in werkgroep})
    samenwerking = Section(
        "Werkgroep en partners",
        [
            Table(
                columns=("Naam", "Organisatie", "Rol in de werkgroep"),
                rows=tuple((lid.naam, lid.organisatie, lid.functie or "—") for lid in werkgroep),
                caption="Samenstelling van de werkgroep",
            )
            if werkgroep
            else Paragraph(GAP.format(what="de samenstelling van de werkgroep"), "concept"),
        ],
    )
    if organisaties:
        samenwerking.blocks += [
            Paragraph("Betrokken organisaties:"),
            BulletList(tuple(organisaties)),
        ]

    raad = Section(
        TEXTS["startnotitie_rol_raad"][0], _paragraphs(text_of(plan, "startnotitie_rol_raad"))
    )
    # the plan's own texts: a section only where the plan has one (what is still empty is
    # listed on the step-1 page, not in the document)
    own = [
        Section(TEXTS[field][0], _paragraphs(getattr(plan, field)))
        for field in (
            "startnotitie_capaciteit",
            "startnotitie_participatie",
            "startnotitie_samenhang",
        )
        if getattr(plan, field).strip()
    ]

    return Document(
        title=plan.titel,
        subtitle="",
        organisation=f"Gemeente {names}" if len(gemeenten) == 1 else f"Gemeenten {names}",
        kind="Startnotitie",
        status="Concept",
        sections=[aanleiding, producten, planning, samenwerking, *own, raad],
        period=plan.periode,
    )

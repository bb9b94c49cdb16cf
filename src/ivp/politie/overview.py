"""The overview of one politie-eenheid or base team over the shared plans (plain data for
the page and the exports). Only plans with ``delen_met_politie``; never a confidential
priority, cluster or indicator (``beleidsplan.confidential.confidential_parts``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from ivp.accounts.models import Organisatie, User
from ivp.areas.models import Basisteam, Gemeente, PolitieEenheid
from ivp.plans.models import Plan


def may_see(user: User) -> bool:
    """The police unit's view is for the police (members of a police organisation) and
    administrators; municipalities consented to share with the police, not with each other."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.lidmaatschappen.filter(organisatie__soort=Organisatie.Soort.POLITIE).exists()


@dataclass
class PlanLine:
    pk: int
    titel: str
    periode: str
    gemeenten: list[str]
    priorities: list[dict]  # titel, themes [(code, titel)], scope ("gezamenlijk" or a name)


@dataclass
class ThemeLine:
    code: str
    titel: str
    gemeenten: list[str] = field(default_factory=list)  # where it is a priority
    plans: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.gemeenten)


@dataclass
class IndicatorLine:
    naam: str
    eenheid: str
    reeks: str
    rows: list[dict] = field(default_factory=list)  # per plan/gemeente: baseline, target


@dataclass
class Overview:
    eenheid: PolitieEenheid
    basisteam: Basisteam | None
    gemeenten: list[Gemeente]  # of the unit (or the base team), current ones
    covered: list[str]  # names of the gemeenten with a shared plan
    plans: list[PlanLine]
    themes: list[ThemeLine]
    indicators: list[IndicatorLine]

    @property
    def shared_themes(self) -> list[ThemeLine]:
        """A priority in at least half of the gemeenten with a shared plan (and two)."""
        need = max(2, (len(self.covered) + 1) // 2)
        return [t for t in self.themes if t.count >= need]

    @property
    def diverging_themes(self) -> list[ThemeLine]:
        """A priority in one gemeente only: a local choice."""
        return [t for t in self.themes if t.count == 1]


def _theme_titles() -> dict[str, str]:
    from ivp.catalogue.content_loader import shipped_catalogue

    return {t.code: t.titel for v in shipped_catalogue().velden for t in v.themas}


def _unit_of(gemeente: Gemeente) -> str | None:
    region = gemeente.veiligheidsregio
    if region is None and gemeente.opgegaan_in is not None:
        region = gemeente.opgegaan_in.veiligheidsregio
    return region.politie_eenheid.code if region and region.politie_eenheid else None


def unit_overview(eenheid: PolitieEenheid, basisteam: Basisteam | None = None) -> Overview:
    from ivp.beleidsplan.confidential import confidential_parts

    if basisteam is not None:
        area = list(Gemeente.objects.filter(basisteam=basisteam).order_by("naam"))
    else:
        area = list(
            Gemeente.objects.filter(
                Q(veiligheidsregio__politie_eenheid=eenheid)
                | Q(opgegaan_in__veiligheidsregio__politie_eenheid=eenheid)
            ).order_by("naam")
        )
    area_ids = {g.pk for g in area}
    plans = (
        Plan.objects.filter(delen_met_politie=True, gemeenten__in=area_ids)
        .distinct()
        .prefetch_related("gemeenten")
        .order_by("-periode_eind", "titel")
    )
    # per gemeente the newest shared plan
    chosen: dict[int, Plan] = {}
    for plan in plans:
        for g in plan.gemeenten.all():
            if g.pk in area_ids and g.pk not in chosen:
                chosen[g.pk] = plan
    used = list({p.pk: p for p in chosen.values()}.values())
    titles = _theme_titles()
    themes: dict[str, ThemeLine] = {}
    indicators: dict[tuple[str, str], IndicatorLine] = {}
    plan_lines = []
    for plan in sorted(used, key=lambda p: p.titel):
        hidden = confidential_parts(plan)
        members = [g for g in plan.gemeenten.all() if g.pk in area_ids and chosen[g.pk] == plan]
        priorities = []
        for p in plan.prioriteiten.select_related("gemeente").order_by("volgorde", "pk"):
            if hidden.hides(p) or p.vertrouwelijk:
                continue
            scope = [p.gemeente] if p.gemeente_id else members
            scope = [g for g in scope if g.pk in area_ids and chosen.get(g.pk) == plan]
            priorities.append(
                {
                    "titel": p.titel,
                    "themes": [(c, titles.get(c, "")) for c in p.themas],
                    "scope": p.gemeente.naam if p.gemeente_id else "gezamenlijk",
                }
            )
            for code in p.themas:
                line = themes.setdefault(code, ThemeLine(code, titles.get(code, "")))
                for g in scope:
                    if g.naam not in line.gemeenten:
                        line.gemeenten.append(g.naam)
                if plan.titel not in line.plans:
                    line.plans.append(plan.titel)
            for ind in p.indicatoren.order_by("volgorde", "pk"):
                if hidden.hides(ind):
                    continue
                key = (ind.reeks or ind.naam.lower(), ind.eenheid)
                line = indicators.setdefault(
                    key, IndicatorLine(ind.naam, ind.get_eenheid_display(), ind.reeks)
                )
                line.rows.append(
                    {
                        "plan": plan.titel,
                        "prioriteit": p.titel,
                        "gebied": _scope_label(ind, plan, p),
                        "uitgangswaarde": ind.uitgangswaarde,
                        "uitgangsjaar": ind.uitgangsjaar,
                        "streefwaarde": ind.streefwaarde,
                        "streefjaar": ind.streefjaar,
                    }
                )
        plan_lines.append(
            PlanLine(
                plan.pk,
                plan.titel,
                plan.periode,
                [g.naam for g in plan.gemeenten.order_by("naam")],
                priorities,
            )
        )
    # the current gemeenten, and a former one whose plan is shared (it counts as covered)
    current = [g for g in area if g.actief or g.pk in chosen]
    covered = sorted(g.naam for g in area if g.pk in chosen)
    ordered = sorted(themes.values(), key=lambda t: (-t.count, [int(x) for x in t.code.split(".")]))
    for line in ordered:
        line.gemeenten.sort()
    return Overview(
        eenheid=eenheid,
        basisteam=basisteam,
        gemeenten=current,
        covered=covered,
        plans=plan_lines,
        themes=ordered,
        indicators=sorted(indicators.values(), key=lambda i: i.naam.lower()),
    )


def _scope_label(ind, plan: Plan, prioriteit) -> str:
    """Whose figures an indicator's baseline is: a gemeente, or the area of a joint plan."""
    if ind.gemeente and ind.gemeente != "gebied":
        found = Gemeente.objects.filter(code=ind.gemeente).values_list("naam", flat=True).first()
        return found or ind.gemeente
    names = [g.naam for g in plan.gemeenten.order_by("naam")]
    if prioriteit.gemeente_id:
        return prioriteit.gemeente.naam
    return names[0] if len(names) == 1 else "gebied (" + ", ".join(names) + ")"


def eenheden_with_counts() -> list[tuple[PolitieEenheid, int]]:
    """Every politie-eenheid with the number of shared plans of its gemeenten."""
    counts: dict[str, set[int]] = defaultdict(set)
    for plan in Plan.objects.filter(delen_met_politie=True).prefetch_related(
        "gemeenten__veiligheidsregio__politie_eenheid", "gemeenten__opgegaan_in__veiligheidsregio"
    ):
        for g in plan.gemeenten.all():
            code = _unit_of(g)
            if code:
                counts[code].add(plan.pk)
    return [(e, len(counts.get(e.code, ()))) for e in PolitieEenheid.objects.order_by("code")]

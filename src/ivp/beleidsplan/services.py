"""One door per use case of steps 3 and 4. Each function checks the actor's role, runs in
one transaction, refuses a stale save (the row's ``version``) and records the change in
the plan's history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ivp.accounts.models import User
from ivp.beleidsplan.models import (
    MAX_PRIORITEITEN,
    Effectindicator,
    Hoofdstuk,
    OverigThema,
    PlanVersie,
    Prioriteit,
)
from ivp.plans.access import Permission, can
from ivp.plans.models import Plan, Wijziging

PART_FIELDS = {
    Prioriteit: (
        "titel",
        "themas",
        "accenten",
        "volgorde",
        "waarom",
        "hoofdlijnen",
        "flankerend_beleid",
        "doel",
        "vertrouwelijk",
        "reden_boven_maximum",
    ),
    OverigThema: (
        "titel",
        "themas",
        "volgorde",
        "waarom",
        "hoofdlijnen",
        "flankerend_beleid",
        "doel",
        "vertrouwelijk",
    ),
    Hoofdstuk: ("tekst", "rode_draden", "strategische_themas", "vertrouwelijk"),
    Effectindicator: (
        "naam",
        "bron",
        "bron_toelichting",
        "eenheid",
        "reeks",
        "gemeente",
        "catalogus_id",
        "uitgangswaarde",
        "uitgangsjaar",
        "streefwaarde",
        "streefjaar",
        "richting",
        "volgorde",
    ),
}

WHY_MAXIMUM = gettext_lazy(
    "De methode adviseert hoogstens drie à vier prioriteiten: alleen dan blijven het echte "
    "speerpunten waarop de gemeente extra inzet pleegt, en blijft er ruimte om ze in de "
    "jaarlijkse uitvoeringsplannen scherp te kiezen. Wilt u toch meer prioriteiten, leg dan "
    "vast waarom."
)

# Suggestions for chapter 3 (rode draden), after the handbook's examples.
RODE_DRADEN = (
    ("Burgerparticipatie", "Inwoners en ondernemers denken en doen mee in de aanpak."),
    ("Zorg en veiligheid", "Verbinding tussen het sociaal domein en de veiligheidsaanpak."),
    ("Wijk- en buurtgericht werken", "De aanpak sluit aan bij wat per wijk nodig is."),
    ("Informatiegestuurd werken", "Keuzes op basis van cijfers en een gedeeld beeld."),
    ("Preventie", "Voorkomen gaat voor genezen, met aandacht voor de vroege signalen."),
    ("Samenwerking met partners", "Politie, OM, zorg, onderwijs en ondernemers werken samen."),
)


class StaleEditError(Exception):
    """Someone else saved this part after the actor read it; nothing was stored.
    ``current`` is the part as it is now."""

    def __init__(self, current) -> None:
        self.current = current
        who = (
            (current.updated_by.get_full_name() or current.updated_by.username)
            if current.updated_by
            else _("iemand anders")
        )
        super().__init__(
            _(
                "%(who)s heeft dit onderdeel intussen opgeslagen. Uw wijziging is niet "
                "opgeslagen en staat nog in het formulier; hieronder ziet u de andere versie."
            )
            % {"who": who}
        )


class TooManyPriorities(ValidationError):
    """A fifth (or later) priority without a recorded reason."""

    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__(
            _("Dit wordt prioriteit %(n)s. %(why)s") % {"n": count + 1, "why": WHY_MAXIMUM}
        )


def _require(user: User, plan: Plan, permission: Permission = Permission.EDIT_CONTENT) -> None:
    if not can(user, plan, permission):
        raise PermissionDenied(_("U heeft geen rechten voor deze actie in dit plan."))


def _record(plan: Plan, user: User, actie: str, onderdeel: str, velden: dict) -> None:
    Wijziging.objects.create(plan=plan, user=user, actie=actie, onderdeel=onderdeel, velden=velden)


def _theme_codes() -> dict[str, str]:
    from ivp.catalogue.content_loader import shipped_catalogue

    return {t.code: t.titel for t in shipped_catalogue().themas}


def _check_themes(themas: Sequence[str]) -> list[str]:
    known = _theme_codes()
    themas = [str(t).strip() for t in themas if str(t).strip()]
    unknown = [t for t in themas if t not in known]
    if unknown:
        raise ValidationError(_("Onbekend thema: %(codes)s") % {"codes": ", ".join(unknown)})
    if len(set(themas)) != len(themas):
        raise ValidationError(_("Een thema staat er twee keer in."))
    return themas


def _label(obj) -> str:
    if isinstance(obj, Hoofdstuk):
        return f"Hoofdstuk {obj.nummer} {obj.get_nummer_display()}"
    kind = {Prioriteit: "Prioriteit", OverigThema: "Overig thema", Effectindicator: "Indicator"}
    name = getattr(obj, "titel", None) or getattr(obj, "naam", "")
    return f"{kind[type(obj)]} {name}"


# -- priorities and ongoing themes ------------------------------------------------------


def prioritised_themes(plan: Plan, *, exclude: Prioriteit | None = None) -> dict[str, str]:
    """Theme code → title of the priority it belongs to."""
    result = {}
    for p in plan.prioriteiten.all():
        if exclude is not None and p.pk == exclude.pk:
            continue
        for code in p.themas:
            result[code] = p.titel
    return result


def _drop_from_clusters(plan: Plan, themas: Iterable[str], by: User) -> None:
    """Themes that became (part of) a priority leave their ongoing cluster."""
    wanted = set(themas)
    for cluster in OverigThema.objects.select_for_update(of=("self",)).filter(plan=plan):
        kept = [t for t in cluster.themas if t not in wanted]
        if kept != list(cluster.themas):
            _record(plan, by, "gewijzigd", _label(cluster), {"thema's": [cluster.themas, kept]})
            cluster.themas = kept
            cluster.version += 1
            cluster.save(update_fields=["themas", "version", "updated_at"])


@transaction.atomic
def add_prioriteit(
    plan: Plan,
    *,
    by: User,
    titel: str,
    themas: Sequence[str],
    accenten: Sequence[str] = (),
    reden_boven_maximum: str = "",
    **texts: str,
) -> Prioriteit:
    """Add a priority; beyond :data:`MAX_PRIORITEITEN` only with a recorded reason."""
    _require(by, plan)
    titel = (titel or "").strip()
    if not titel:
        raise ValidationError(_("Geef de prioriteit een titel."))
    themas = _check_themes(themas)
    if not themas:
        raise ValidationError(_("Kies ten minste één thema."))
    taken = prioritised_themes(plan)
    clash = [f"{t} ({taken[t]})" for t in themas if t in taken]
    if clash:
        raise ValidationError(
            _("Al onderdeel van een andere prioriteit: %(t)s") % {"t": ", ".join(clash)}
        )
    count = plan.prioriteiten.count()
    if count >= MAX_PRIORITEITEN and not reden_boven_maximum.strip():
        raise TooManyPriorities(count)
    volgorde = (plan.prioriteiten.aggregate(m=Max("volgorde"))["m"] or 0) + 1
    prioriteit = Prioriteit.objects.create(
        plan=plan,
        titel=titel,
        themas=themas,
        accenten=[a for a in accenten if a.strip()],
        volgorde=volgorde,
        reden_boven_maximum=reden_boven_maximum.strip(),
        updated_by=by,
        **{k: v for k, v in texts.items() if k in PART_FIELDS[Prioriteit]},
    )
    _drop_from_clusters(plan, themas, by)
    _record(plan, by, "toegevoegd", _label(prioriteit), {"thema's": [None, themas]})
    return prioriteit


@transaction.atomic
def add_overig_thema(plan: Plan, *, by: User, titel: str, themas: Sequence[str]) -> OverigThema:
    """A cluster of ongoing themes under its own title."""
    _require(by, plan)
    titel = (titel or "").strip()
    if not titel:
        raise ValidationError(_("Geef het cluster een titel."))
    themas = _check_themes(themas)
    _check_cluster_themes(plan, themas, None)
    volgorde = (OverigThema.objects.filter(plan=plan).aggregate(m=Max("volgorde"))["m"] or 0) + 1
    cluster = OverigThema.objects.create(
        plan=plan, titel=titel, themas=themas, volgorde=volgorde, updated_by=by
    )
    _record(plan, by, "toegevoegd", _label(cluster), {"thema's": [None, themas]})
    return cluster


def _check_cluster_themes(plan: Plan, themas: Sequence[str], cluster: OverigThema | None):
    taken = prioritised_themes(plan)
    clash = [f"{t} ({taken[t]})" for t in themas if t in taken]
    if clash:
        raise ValidationError(_("Al een prioriteit: %(t)s") % {"t": ", ".join(clash)})
    others = OverigThema.objects.filter(plan=plan)
    if cluster is not None:
        others = others.exclude(pk=cluster.pk)
    placed = {t: o.titel for o in others for t in o.themas}
    double = [f"{t} ({placed[t]})" for t in themas if t in placed]
    if double:
        raise ValidationError(_("Al in een ander cluster: %(t)s") % {"t": ", ".join(double)})


def unplaced_themes(plan: Plan) -> list[str]:
    """Themes that are neither a priority nor in an ongoing cluster."""
    placed = set(prioritised_themes(plan))
    placed |= {t for o in OverigThema.objects.filter(plan=plan) for t in o.themas}
    return [code for code in _theme_codes() if code not in placed]


@transaction.atomic
def cluster_remaining_by_field(plan: Plan, *, by: User) -> list[OverigThema]:
    """Put every unplaced theme into a cluster per safety field (titled as the field), the
    starting point the user then renames, merges and orders."""
    from ivp.catalogue.content_loader import shipped_catalogue

    _require(by, plan)
    remaining = set(unplaced_themes(plan))
    made = []
    for veld in shipped_catalogue().velden:
        codes = [t.code for t in veld.themas if t.code in remaining]
        if not codes:
            continue
        existing = OverigThema.objects.filter(plan=plan, titel=veld.titel).first()
        if existing:
            update_part(
                existing,
                by=by,
                expected_version=existing.version,
                themas=[*existing.themas, *codes],
            )
            made.append(existing)
        else:
            made.append(add_overig_thema(plan, by=by, titel=veld.titel, themas=codes))
    return made


# -- editing any part ------------------------------------------------------------------


@transaction.atomic
def update_part(obj, *, by: User, expected_version: int, **values: Any):
    """Change fields of a priority, cluster, chapter or indicator. Refused with
    :class:`StaleEditError` when someone saved it after ``expected_version`` was read."""
    model = type(obj)
    _require(by, obj.plan)
    unknown = set(values) - set(PART_FIELDS[model])
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    current = model.objects.select_for_update(of=("self",)).get(pk=obj.pk)
    if current.version != expected_version:
        raise StaleEditError(current)
    if "themas" in values:
        values["themas"] = _check_themes(values["themas"])
        if model is Prioriteit:
            taken = prioritised_themes(obj.plan, exclude=current)
            clash = [f"{t} ({taken[t]})" for t in values["themas"] if t in taken]
            if clash:
                raise ValidationError(
                    _("Al onderdeel van een andere prioriteit: %(t)s") % {"t": ", ".join(clash)}
                )
        else:
            _check_cluster_themes(obj.plan, values["themas"], current)
    if model is Effectindicator:
        _validate_indicator(values)
    diff = {
        name: [getattr(current, name), value]
        for name, value in values.items()
        if getattr(current, name) != value
    }
    if not diff:
        return current
    for name, value in values.items():
        setattr(current, name, value)
    current.version += 1
    current.updated_by = by
    current.save()
    if model is Prioriteit and "themas" in diff:
        _drop_from_clusters(obj.plan, current.themas, by)
    _record(obj.plan, by, "gewijzigd", _label(current), diff)
    return current


@transaction.atomic
def delete_part(obj, *, by: User, expected_version: int) -> None:
    _require(by, obj.plan)
    current = type(obj).objects.select_for_update(of=("self",)).filter(pk=obj.pk).first()
    if current is None:
        return
    if current.version != expected_version:
        raise StaleEditError(current)
    _record(obj.plan, by, "verwijderd", _label(current), {})
    current.delete()


@transaction.atomic
def move_part(obj, *, by: User, direction: int) -> None:
    """Move a priority or cluster one place up (−1) or down (+1)."""
    _require(by, obj.plan)
    siblings = list(type(obj).objects.select_for_update(of=("self",)).filter(plan=obj.plan))
    index = next(i for i, s in enumerate(siblings) if s.pk == obj.pk)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for number, sibling in enumerate(siblings, start=1):
        if sibling.volgorde != number:
            sibling.volgorde = number
            sibling.save(update_fields=["volgorde"])
    _record(obj.plan, by, "verplaatst", _label(obj), {"volgorde": [index + 1, other + 1]})


# -- chapters --------------------------------------------------------------------------


def hoofdstuk(plan: Plan, nummer: int) -> Hoofdstuk:
    """The stored chapter, or an unsaved one (version 0)."""
    found = Hoofdstuk.objects.filter(plan=plan, nummer=nummer).first()
    return found or Hoofdstuk(plan=plan, nummer=nummer, version=0)


@transaction.atomic
def save_hoofdstuk(
    plan: Plan, *, by: User, nummer: int, expected_version: int, **values: Any
) -> Hoofdstuk:
    _require(by, plan)
    if nummer not in Hoofdstuk.Nummer.values:
        raise ValidationError(_("Het IVP heeft de hoofdstukken 1 tot en met 7."))
    current = (
        Hoofdstuk.objects.select_for_update(of=("self",)).filter(plan=plan, nummer=nummer).first()
    )
    if current is None:
        if expected_version != 0:
            raise ValidationError(_("Dit hoofdstuk bestaat niet meer; laad de pagina opnieuw."))
        current = Hoofdstuk.objects.create(plan=plan, nummer=nummer, version=0, updated_by=by)
    return update_part(current, by=by, expected_version=expected_version, **values)


def prefill_uitgangssituatie(plan: Plan) -> str:
    """A first text for chapter 1 from the analysis: per field the figures of its themes
    and the working group's conclusion (the user edits it)."""
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.veiligheidsanalyse import services as analyse

    try:
        picture = analyse.veiligheidsbeeld(plan)
    except vb.NoData as error:
        return str(error)
    texts = analyse.teksten(plan)
    lines = []
    for veld in picture.fields:
        lines.append(f"{veld.code}. {veld.title}")
        for theme in veld.themes:
            total = theme.total
            if not total.has_data:
                continue
            ev = total.evidence
            year = str(picture.year)
            rate = total.rates.get(year)
            change = ev.change.vs_previous.percent if ev else None
            part = f"- {theme.code} {theme.title}: {_nl(total.counts.get(year))} in {year}"
            if rate is not None:
                part += f" ({_nl(rate, 1)} per 1.000 inwoners)"
            if change is not None:
                verdict = ev.change.vs_previous.verdict
                part += f", {_signed(change)} t.o.v. {picture.year - 1} ({verdict})"
            lines.append(part)
        conclusion = texts.get(f"V{veld.code}")
        if conclusion and conclusion.conclusie:
            lines.append(conclusion.conclusie)
        lines.append("")
    lines.append(
        f"Bron: CBS / Politie, geregistreerde misdrijven (47018NED), peiljaar {picture.year}."
    )
    return "\n".join(lines).strip()


def _nl(value: float | None, digits: int = 0) -> str:
    from ivp.analysis.candidates import format_nl

    return "–" if value is None else format_nl(value, digits)


def _signed(value: float) -> str:
    return ("+" if value > 0 else "−") + _nl(abs(value)) + "%"


# -- effect indicators -----------------------------------------------------------------


def _validate_indicator(values: dict) -> None:
    if "bron" in values and values["bron"] not in Effectindicator.Bron.values:
        raise ValidationError(_("Kies een bron uit de lijst."))
    if "eenheid" in values and values["eenheid"] not in Effectindicator.Eenheid.values:
        raise ValidationError(_("Kies een eenheid uit de lijst."))
    if "richting" in values and values["richting"] not in Effectindicator.Richting.values:
        raise ValidationError(_("Kies ≤ of ≥."))
    if "naam" in values and not str(values["naam"]).strip():
        raise ValidationError(_("Geef de indicator een naam."))


@dataclass(frozen=True)
class Baseline:
    value: float | None
    year: int | None
    source: str
    reason: str = ""


def _series_key(reeks: str) -> str:
    """'47018NED|1.1.1' → '1.1.1'; 'thema:1.3' stays."""
    return reeks.split("|", 1)[1] if "|" in reeks else reeks


def baseline_from_data(plan: Plan, reeks: str, eenheid: str, year: int | None = None) -> Baseline:
    """The baseline of a linked series from the stored figures (the plan's gemeente,
    mapping and reference year unless ``year`` is given)."""
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.veiligheidsanalyse import services as analyse

    try:
        picture = analyse.veiligheidsbeeld(plan, year=year)
    except vb.NoData as error:
        return Baseline(None, year, "", str(error))
    series = analyse.series_by_key(picture, _series_key(reeks))
    if series is None or not series.has_data:
        return Baseline(
            None,
            picture.year,
            "",
            _("Geen cijfers voor %(r)s in de database; haal ze op (Data → Cijfers ophalen).")
            % {"r": reeks},
        )
    key = str(picture.year)
    if eenheid == Effectindicator.Eenheid.AANTAL:
        value = series.counts.get(key)
    elif eenheid == Effectindicator.Eenheid.PER_1000_WONINGEN:
        value = series.rates_dwellings.get(key)
    else:
        value = series.rates.get(key)
    tables = sorted({picture.sources[s]["table"] for s in series.sources if s in picture.sources})
    retrieved = sorted(
        {picture.sources[s]["retrieved"] for s in series.sources if s in picture.sources}
    )
    source = f"CBS / Politie, {', '.join(tables)} (opgehaald {', '.join(retrieved)})"
    if value is None:
        return Baseline(None, picture.year, source, _("Geen waarde in deze eenheid voor dit jaar."))
    return Baseline(round(value, 2), picture.year, source)


@transaction.atomic
def add_indicator(
    plan: Plan,
    *,
    by: User,
    naam: str,
    bron: str,
    eenheid: str,
    prioriteit: Prioriteit | None = None,
    overig_thema: OverigThema | None = None,
    **values: Any,
) -> Effectindicator:
    """Add an effect indicator; with a linked series (``reeks``) and no baseline given, the
    baseline is taken from the data."""
    _require(by, plan)
    values = {k: v for k, v in values.items() if k in PART_FIELDS[Effectindicator]}
    _validate_indicator({"naam": naam, "bron": bron, "eenheid": eenheid, **values})
    if values.get("reeks") and values.get("uitgangswaarde") is None:
        found = baseline_from_data(plan, values["reeks"], eenheid, values.get("uitgangsjaar"))
        values["uitgangswaarde"] = found.value
        values["uitgangsjaar"] = found.year
        if found.source and not values.get("bron_toelichting"):
            values["bron_toelichting"] = found.source
    owner = {"prioriteit": prioriteit, "overig_thema": overig_thema}
    siblings = Effectindicator.objects.filter(plan=plan, **owner)
    values.setdefault("volgorde", (siblings.aggregate(m=Max("volgorde"))["m"] or 0) + 1)
    indicator = Effectindicator.objects.create(
        plan=plan, naam=naam.strip(), bron=bron, eenheid=eenheid, updated_by=by, **owner, **values
    )
    _record(
        plan,
        by,
        "toegevoegd",
        _label(indicator),
        {"uitgangswaarde": [None, indicator.uitgangswaarde]},
    )
    return indicator


@transaction.atomic
def add_default_strategic_indicators(plan: Plan, *, by: User) -> list[Effectindicator]:
    """Chapter 2's overarching indicators (handbook: total crime and the residents'
    feeling of safety), unless the plan has them already."""
    _require(by, plan)
    existing = Effectindicator.objects.filter(plan=plan, prioriteit=None, overig_thema=None)
    made = []
    if not existing.filter(reeks="47018NED|0.0.0").exists():
        made.append(
            add_indicator(
                plan,
                by=by,
                naam="Totaal geregistreerde misdrijven per 1.000 inwoners",
                bron=Effectindicator.Bron.POLITIE,
                eenheid=Effectindicator.Eenheid.PER_1000_INWONERS,
                reeks="47018NED|0.0.0",
                streefjaar=plan.periode_eind,
            )
        )
    if not existing.filter(naam__icontains="rapportcijfer veiligheid").exists():
        made.append(
            add_indicator(
                plan,
                by=by,
                naam="Rapportcijfer veiligheid in de buurt",
                bron=Effectindicator.Bron.VEILIGHEIDSMONITOR,
                eenheid=Effectindicator.Eenheid.RAPPORTCIJFER,
                richting=Effectindicator.Richting.MINSTENS,
                streefjaar=plan.periode_eind,
            )
        )
    return made


def indicator_warnings(indicators: Sequence[Effectindicator]) -> list[str]:
    """The handbook's advice on choosing indicators, as warnings for one priority."""
    warnings = []
    if len(indicators) > 3:
        warnings.append(
            _("%(n)s indicatoren: de methode adviseert er twee à drie per prioriteit.")
            % {"n": len(indicators)}
        )
    if len(indicators) >= 2:
        objective = [i.objectief for i in indicators]
        if all(objective):
            warnings.append(
                _(
                    "Alleen objectieve indicatoren: combineer met een subjectieve, bv. uit de "
                    "Veiligheidsmonitor."
                )
            )
        elif not any(objective):
            warnings.append(
                _(
                    "Alleen subjectieve indicatoren: combineer met een objectieve, bv. uit de "
                    "politieregistratie."
                )
            )
    for ind in indicators:
        if ind.bron == Effectindicator.Bron.ANDERS and not ind.bron_toelichting.strip():
            warnings.append(_("‘%(n)s’ heeft geen gegevensbron.") % {"n": ind.naam})
        if ind.uitgangswaarde is None:
            warnings.append(_("‘%(n)s’ heeft nog geen uitgangswaarde.") % {"n": ind.naam})
    return warnings


def target_proposal(plan: Plan, indicator: Effectindicator):
    """ivp's proposed target for a linked indicator, with whether a realisation at it would
    differ demonstrably from the baseline, given the series' dispersion
    (``analysis.targets``)."""
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.analysis.targets import propose_target
    from ivp.veiligheidsanalyse import services as analyse

    if not indicator.reeks:
        return None
    try:
        picture = analyse.veiligheidsbeeld(plan, year=indicator.uitgangsjaar)
    except vb.NoData:
        return None
    series = analyse.series_by_key(picture, _series_key(indicator.reeks))
    if series is None or not series.has_data:
        return None
    per_count = indicator.eenheid == Effectindicator.Eenheid.AANTAL
    per_dwellings = indicator.eenheid == Effectindicator.Eenheid.PER_1000_WONINGEN
    base = None
    if per_dwellings:
        if not any(v is not None for v in series.rates_dwellings.values()):
            return None  # dwellings unknown: no proposal rather than one on inhabitants
        base = {
            y: picture.dwellings.get(y) for y, r in series.rates_dwellings.items() if r is not None
        }
    elif not per_count:
        # only years with a rate: before a boundary change the base is another area
        base = {y: picture.population.get(y) for y, r in series.rates.items() if r is not None}
    p25 = None
    if series.evidence and series.evidence.benchmark and not per_count and not per_dwellings:
        group = series.evidence.benchmark.group(vb.SIZE_CLASS)
        p25 = group.p25 if group else None
    counts = {y: c for y, c in series.counts.items() if per_count or y in (base or {})}
    ev = series.evidence
    return propose_target(
        counts,
        picture.year,
        indicator.streefjaar or plan.periode_eind,
        base=base,
        group_p25=p25,
        direction=indicator.richting,
        dispersion=ev.dispersion if ev else 1.0,
        dispersion_df=ev.dispersion_df if ev else None,
    )


# -- versions --------------------------------------------------------------------------


@transaction.atomic
def freeze(
    plan: Plan,
    *,
    by: User,
    status: str = PlanVersie.Status.CONCEPT,
    vastgesteld_op: date | None = None,
    toelichting: str = "",
) -> PlanVersie:
    """Freeze the current content as a version: a concept, or adopted by the council on a
    date (coordinator only). Later edits go into the next version."""
    from ivp.beleidsplan.content import plan_content

    _require(by, plan, Permission.MANAGE_PLAN)
    if status == PlanVersie.Status.VASTGESTELD and vastgesteld_op is None:
        raise ValidationError(_("Geef de datum waarop de raad het plan heeft vastgesteld."))
    if status not in PlanVersie.Status.values:
        raise ValidationError(_("Onbekende status."))
    content = plan_content(plan)
    nummer = content["plan"]["version"]
    content["plan"]["status"] = status
    content["plan"]["adopted_on"] = vastgesteld_op.isoformat() if vastgesteld_op else None
    versie = PlanVersie.objects.create(
        plan=plan,
        nummer=nummer,
        status=status,
        vastgesteld_op=vastgesteld_op,
        toelichting=toelichting,
        inhoud=content,
        created_by=by,
    )
    _record(
        plan,
        by,
        "vastgelegd",
        f"Versie {nummer}",
        {"status": [None, str(versie.get_status_display())]},
    )
    return versie

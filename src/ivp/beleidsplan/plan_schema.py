"""The schema of a plan export (``ivp-plan/1``): every key, its type and its limits, taken
from the models the import writes (``max_length``, ``choices``, year ranges), so a file
passes only with values that the forms would accept too.

``validate(data)`` returns every problem as (JSON path, Dutch message); an empty list
means the file can be imported. Plain Python over plain JSON values; the model fields are
read once, lazily.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

Problems = list[tuple[str, str]]
MAX_TEXT = 100_000  # characters in a free text (the longest real IVP chapter is ~30,000)
MAX_ITEMS = 5_000  # entries of any list
MAX_PROBLEMS = 50


class _Stop(Exception):
    pass


@dataclass
class _Ctx:
    problems: Problems = field(default_factory=list)

    def add(self, path: str, message: str) -> None:
        self.problems.append((path, message))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _Stop


Check = Callable[[Any, str, _Ctx], None]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _kind(value: Any) -> str:
    return {
        dict: "object",
        list: "lijst",
        str: "tekst",
        bool: "ja/nee",
        int: "getal",
        float: "getal",
        type(None): "leeg",
    }.get(type(value), type(value).__name__)


def string(
    max_length: int = MAX_TEXT,
    *,
    blank: bool = True,
    choices=None,
    null: bool = False,
    single_line: bool = False,
) -> Check:
    """Text; ``single_line``: no line breaks or control characters (a title, typed in a
    one-line field of a form)."""

    def check(value, path, ctx):
        if value is None and null:
            return
        if not isinstance(value, str):
            ctx.add(path, f"verwacht tekst, gevonden {_kind(value)}")
            return
        if "\x00" in value:
            ctx.add(path, "bevat een NUL-teken")
        elif single_line and any(ord(c) < 32 or c in "\u2028\u2029" for c in value):
            ctx.add(path, "een titel of naam is één regel, zonder regeleinden of tabs")
        elif len(value) > max_length:
            ctx.add(path, f"te lang: {len(value):,} tekens, hoogstens {max_length:,}")
        elif not blank and not value.strip():
            ctx.add(path, "mag niet leeg zijn")
        elif choices is not None and value not in choices:
            allowed = ", ".join(repr(c) for c in sorted(choices))
            ctx.add(path, f"onbekende waarde {_short(value)}; kies uit {allowed}")

    return check


def integer(low: int, high: int, *, null: bool = False) -> Check:
    def check(value, path, ctx):
        if value is None and null:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            ctx.add(path, f"verwacht een geheel getal, gevonden {_kind(value)}")
        elif not low <= value <= high:
            ctx.add(path, f"{value} ligt niet tussen {low} en {high}")

    return check


def number(*, null: bool = True, minimum: float | None = None) -> Check:
    def check(value, path, ctx):
        if value is None and null:
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            ctx.add(path, f"verwacht een getal, gevonden {_kind(value)}")
        elif not math.isfinite(value) or abs(value) > 1e15:
            ctx.add(path, "geen bruikbaar getal")
        elif minimum is not None and value < minimum:
            ctx.add(path, f"mag niet kleiner zijn dan {minimum}")

    return check


def boolean() -> Check:
    def check(value, path, ctx):
        if not isinstance(value, bool):
            ctx.add(path, f"verwacht true of false, gevonden {_kind(value)}")

    return check


def date(*, null: bool = True) -> Check:
    def check(value, path, ctx):
        if value is None and null:
            return
        if not isinstance(value, str) or len(value) > 32:
            ctx.add(path, f"verwacht een datum (JJJJ-MM-DD), gevonden {_kind(value)}")
            return
        try:
            (dt.datetime if "T" in value else dt.date).fromisoformat(value)
        except ValueError:
            ctx.add(path, f"geen datum: {_short(value)}")

    return check


def decimal_text(*, null: bool = True) -> Check:
    def check(value, path, ctx):
        from decimal import Decimal, InvalidOperation

        if value is None and null:
            return
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            ctx.add(path, f"verwacht een bedrag, gevonden {_kind(value)}")
            return
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            ctx.add(path, f"geen bedrag: {_short(value)}")
            return
        if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
            ctx.add(path, f"bedrag buiten bereik: {_short(value)}")

    return check


def array(item: Check, *, max_items: int = MAX_ITEMS) -> Check:
    def check(value, path, ctx):
        if not isinstance(value, list):
            ctx.add(path, f"verwacht een lijst, gevonden {_kind(value)}")
            return
        if len(value) > max_items:
            ctx.add(path, f"te veel elementen: {len(value):,}, hoogstens {max_items:,}")
            return
        for i, element in enumerate(value):
            item(element, f"{path}[{i}]", ctx)

    return check


def obj(fields: dict[str, Check], *, required: tuple[str, ...] = ()) -> Check:
    """An object: the known keys are checked; unknown keys are ignored (a newer export
    may carry more); ``required`` keys must be present and not null."""

    def check(value, path, ctx):
        if not isinstance(value, dict):
            ctx.add(path, f"verwacht een object, gevonden {_kind(value)}")
            return
        for key in required:
            if value.get(key) is None:
                ctx.add(f"{path}.{key}", "ontbreekt")
        for key, sub in fields.items():
            if key in value and not (value[key] is None and key not in required):
                sub(value[key], f"{path}.{key}", ctx)

    return check


# -- the plan --------------------------------------------------------------------------


def _char(model, name: str, **kwargs) -> Check:
    f = model._meta.get_field(name)
    choices = {c[0] for c in f.choices} if f.choices else None
    return string(f.max_length or MAX_TEXT, choices=choices, **kwargs)


@cache
def schema() -> Check:
    from ivp.beleidsplan.models import (
        Documentopmaak,
        Effectindicator,
        Hoofdstuk,
        OverigThema,
        Paragraaf,
        PlanVersie,
    )
    from ivp.beleidsplan.models import Prioriteit as P
    from ivp.catalogue.content_loader import shipped_catalogue
    from ivp.datasets.mapping import THEMA_CODES
    from ivp.plans.models import Plan, Reactie, Rol, WerkgroepLid, Wijziging
    from ivp.plans.workflow import StapStatus
    from ivp.uitvoering.models import Maatregel, Onderdeel, Uitvoeringsplan
    from ivp.veiligheidsanalyse.models import AnalyseTekst, Besluit, KandidaatBesluit, Oordeel

    themes = {t.code for t in shipped_catalogue().themas}
    theme = string(10, choices=themes)
    year = integer(2000, 2100)
    text = string(MAX_TEXT)
    indicator = obj(
        {
            "name": _char(Effectindicator, "naam", blank=False, single_line=True),
            "source": _char(Effectindicator, "bron"),
            "source_note": _char(Effectindicator, "bron_toelichting"),
            "unit": _char(Effectindicator, "eenheid"),
            "series": _char(Effectindicator, "reeks"),
            "municipality": _char(Effectindicator, "gemeente"),
            "catalogue_id": _char(Effectindicator, "catalogus_id"),
            "baseline": number(),
            "baseline_year": integer(1900, 2100, null=True),
            "target": number(),
            "target_year": integer(1900, 2100, null=True),
            "direction": _char(Effectindicator, "richting"),
            "order": integer(0, 32767),
        },
        required=("name", "source", "unit", "direction"),
    )
    part_fields = {
        "title": _char(P, "titel", blank=False, single_line=True),
        "key": _char(P, "sleutel"),
        "themes": array(theme, max_items=30),
        "order": integer(0, 32767),
        "why": text,
        "approach": text,
        "flanking": text,
        "goal": text,
        "confidential": boolean(),
        "indicators": array(indicator, max_items=100),
        "municipality": string(6, single_line=True, null=True),
    }
    action = obj(
        {"text": string(1000), "term": string(10, single_line=True)},
        required=("text",),
    )
    priority = obj(
        {
            **part_fields,
            "accents": array(string(200), max_items=50),
            "reason_over_maximum": text,
            "ambition": text,
            "effect": text,
            "actions": array(action, max_items=100),
        },
        required=("title", "themes"),
    )
    ongoing = obj(
        {**part_fields, "title": _char(OverigThema, "titel", blank=False, single_line=True)},
        required=("title", "themes"),
    )
    planning = obj(
        {
            "kind": _char(Maatregel, "planning"),
            "year": integer(2000, 2100, null=True),
            "onwards": boolean(),
            "quarter": integer(1, 4, null=True),
            "start": date(),
            "end": date(),
            "text": _char(Maatregel, "planning_vrij"),
        },
        required=("kind",),
    )
    measure = obj(
        {
            "title": _char(Maatregel, "titel", blank=False, single_line=True),
            "description": text,
            "administrative_lead": _char(Maatregel, "bestuurlijk_trekker"),
            "official_lead": _char(Maatregel, "ambtelijk_trekker"),
            "subgroup": _char(Maatregel, "subgroep"),
            "partners": array(string(200, single_line=True), max_items=100),
            "internal_partners": array(string(200), max_items=100),
            "external_partners": array(string(200), max_items=100),
            "carried_over": boolean(),
            "planning": planning,
            "performance_indicator": _char(Maatregel, "prestatie_indicator"),
            "performance_target": _char(Maatregel, "prestatie_doel"),
            "budget": decimal_text(),
            "budget_source": _char(Maatregel, "budget_bron"),
            "status": _char(Maatregel, "status"),
            "catalogue_id": _char(Maatregel, "catalogus_id"),
            "order": integer(0, 32767),
        },
        required=("title", "status", "planning"),
    )
    item = obj(
        {
            "owner_kind": string(10, choices={"priority", "ongoing"}),
            "owner": string(200),
            "title": _char(Onderdeel, "titel", blank=False, single_line=True),
            "order": integer(0, 32767),
            "measures": array(measure),
        },
        required=("owner_kind", "owner", "title"),
    )
    implementation_plan = obj(
        {
            "year": year,
            "status": _char(Uitvoeringsplan, "status"),
            "adopted_on": date(),
            "main_line": text,
            "look_back": text,
            "budget_note": text,
            "previous_year": integer(2000, 2100, null=True),
            "items": array(item, max_items=500),
        },
        required=("year",),
    )
    red_thread = obj({"title": string(300), "text": text})
    return obj(
        {
            "format": string(20, choices={"ivp-plan/1"}),
            "plan": obj(
                {
                    "uuid": string(36),
                    "title": _char(Plan, "titel", blank=False, single_line=True),
                    "municipalities": array(
                        obj({"code": string(6), "name": string(100)}, required=("code",)),
                        max_items=50,
                    ),
                    "period": array(year, max_items=2),
                    "introduction": text,
                },
                required=("title", "municipalities", "period"),
            ),
            "steps": array(
                obj(
                    {
                        "number": integer(1, 6),
                        "status": string(20, choices={s.value for s in StapStatus}),
                        "planned_start": date(),
                        "planned_end": date(),
                    },
                    required=("number", "status"),
                ),
                max_items=6,
            ),
            "working_group": array(
                obj(
                    {
                        "name": _char(WerkgroepLid, "naam", blank=False, single_line=True),
                        "organisation": _char(
                            WerkgroepLid, "organisatie", blank=False, single_line=True
                        ),
                        "role": _char(WerkgroepLid, "functie"),
                        "email": _char(WerkgroepLid, "email"),
                    },
                    required=("name", "organisation"),
                ),
                max_items=200,
            ),
            "mapping": array(
                obj(
                    {
                        "code": string(10, blank=False),
                        "themes": array(string(10, choices=set(THEMA_CODES)), max_items=22),
                        "note": text,
                    },
                    required=("code", "themes"),
                ),
                max_items=500,
            ),
            "analysis": obj(
                {
                    "reference_year": integer(2000, 2100, null=True),
                    "texts": array(
                        obj(
                            {
                                "subject": _char(AnalyseTekst, "onderwerp", blank=False),
                                "problem": text,
                                "current_approach": text,
                                "extra": text,
                                "conclusion": text,
                                "verdict": string(20, choices={o.value for o in Oordeel} | {""}),
                            },
                            required=("subject",),
                        ),
                        max_items=200,
                    ),
                    "decisions": array(
                        obj(
                            {
                                "key": _char(KandidaatBesluit, "sleutel", blank=False),
                                "title": _char(KandidaatBesluit, "titel"),
                                "municipality": _char(KandidaatBesluit, "gemeente"),
                                "year": year,
                                "decision": string(20, choices={b.value for b in Besluit}),
                                "note": text,
                                "score": integer(-32768, 32767),
                                "reasons": array(string(1000), max_items=50),
                                "decided_at": date(),
                            },
                            required=("key", "municipality", "year", "decision"),
                        ),
                        max_items=1000,
                    ),
                }
            ),
            "document": obj(
                {
                    "subtitle": _char(Documentopmaak, "ondertitel", single_line=True),
                    "part_titles": obj(
                        {
                            "why": _char(Documentopmaak, "kop_waarom", single_line=True),
                            "approach": _char(Documentopmaak, "kop_hoofdlijnen", single_line=True),
                            "flanking": _char(Documentopmaak, "kop_flankerend", single_line=True),
                            "goal": _char(Documentopmaak, "kop_doel", single_line=True),
                        }
                    ),
                }
            ),
            "chapters": array(
                obj(
                    {
                        "number": integer(1, 7, null=True),
                        "kind": _char(Hoofdstuk, "soort"),
                        "key": _char(Hoofdstuk, "sleutel"),
                        "title": _char(Hoofdstuk, "titel", single_line=True),
                        "order": integer(0, 32767),
                        "omitted": boolean(),
                        "text": text,
                        "red_threads": array(red_thread, max_items=50),
                        "strategic_themes": array(string(60), max_items=20),
                        "confidential": boolean(),
                        "sections": array(
                            obj(
                                {
                                    "key": _char(Paragraaf, "sleutel"),
                                    "title": _char(
                                        Paragraaf, "titel", blank=False, single_line=True
                                    ),
                                    "text": text,
                                    "order": integer(0, 32767),
                                    "confidential": boolean(),
                                },
                                required=("title",),
                            ),
                            max_items=100,
                        ),
                    },
                ),
                max_items=60,
            ),
            "partner_kinds": lambda value, path, ctx: _partner_kinds(value, path, ctx),
            "indicators": array(indicator, max_items=100),
            "priorities": array(priority, max_items=20),
            "ongoing": array(ongoing, max_items=40),
            "implementation_plans": array(implementation_plan, max_items=20),
            # the backup's extras
            "versions": array(
                obj(
                    {
                        "number": integer(1, 32767),
                        "status": _char(PlanVersie, "status"),
                        "adopted_on": date(),
                        "note": _char(PlanVersie, "toelichting"),
                        "content": lambda v, p, c: schema()(v, p, c),
                        "created_by": string(150, null=True),
                        "created_at": date(),
                    },
                    required=("number", "status", "content"),
                ),
                max_items=200,
            ),
            "comments": array(
                obj(
                    {
                        "author": string(150, null=True),
                        "subject": _char(Reactie, "onderwerp", blank=False),
                        "text": text,
                        "proposal": text,
                        "confidential": boolean(),
                        "created_at": date(),
                    },
                    required=("subject",),
                ),
                max_items=5000,
            ),
            "history": array(
                obj(
                    {
                        "user": string(150, null=True),
                        "at": date(),
                        "action": _char(Wijziging, "actie"),
                        "part": _char(Wijziging, "onderdeel"),
                        "fields": obj({}),
                        "key": _char(Wijziging, "sleutel"),
                        "confidential": boolean(),
                    },
                    required=("action",),
                ),
                max_items=100_000,
            ),
            "roles": array(
                obj(
                    {
                        "username": string(150, blank=False),
                        "role": string(20, choices={r.value for r in Rol}),
                    },
                    required=("username", "role"),
                ),
                max_items=500,
            ),
        },
        required=("format", "plan"),
    )


def _partner_kinds(value: Any, path: str, ctx: _Ctx) -> None:
    """``{"Politie": "extern", …}``: a partner's name and whether it is intern or extern."""
    if not isinstance(value, dict):
        ctx.add(path, f"verwacht een object, gevonden {_kind(value)}")
        return
    names = string(200, blank=False, single_line=True)
    kinds = string(10, choices={"intern", "extern", ""})
    for name, kind in value.items():
        names(name, f"{path}.{_short(name)}", ctx)
        kinds(kind, f"{path}.{_short(name)}", ctx)


def validate(data: Any) -> Problems:
    """Every problem of ``data`` as (JSON path, message); at most ``MAX_PROBLEMS``."""
    ctx = _Ctx()
    if not isinstance(data, dict):
        return [("$", f"verwacht een JSON-object, gevonden {_kind(data)}")]
    if data.get("format") != "ivp-plan/1":
        return [("$.format", f"verwacht 'ivp-plan/1', gevonden {_short(data.get('format'))}")]
    with contextlib.suppress(_Stop):
        schema()(data, "$", ctx)
    return ctx.problems

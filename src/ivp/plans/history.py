"""How a recorded change (``Wijziging``) is shown to a reader: the field's label (its
verbose name) instead of its code, values as a reader writes them (labels of choices,
"ja"/"nee", Dutch dates), and for texts a word-level difference (``textdiff``).

The labels come from the models that belong to a plan (``Plan`` and every model with a
foreign key that leads to it), so a package that records history needs no registration;
when two such models use one field name with different labels, the model named in the
change's ``onderdeel`` ("Uitvoeringsplan 2027: maatregel …") decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from django.apps import apps
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ivp.plans.models import Plan, Rol, Wijziging
from ivp.plans.textdiff import shorten, word_diff
from ivp.plans.workflow import STAP_BY_NUMMER, STATUS_LABELS, StapStatus

# A text longer than this (old and new together), or with a line break, is shown as a
# word-level difference rather than as "old → new".
TEXT_DIFF_FROM = 80

_ISO_DATE = re.compile(
    r"\b(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b"
)


@dataclass(frozen=True)
class FieldInfo:
    model: str  # the model's verbose name, lower case
    label: str
    choices: dict


@dataclass
class Regel:
    """One changed field of a change, ready to show."""

    label: str
    oud: str | None
    nieuw: str | None
    diff: list[tuple[str, str]] | None = None


def _plan_models() -> list[type[models.Model]]:
    """Plan and every model whose foreign keys lead to it."""
    found = {Plan}
    changed = True
    candidates = [m for m in apps.get_models() if m.__module__.startswith("ivp.")]
    while changed:
        changed = False
        for model in candidates:
            if model in found:
                continue
            for field in model._meta.fields:
                if field.is_relation and field.related_model in found:
                    found.add(model)
                    changed = True
                    break
    return [m for m in candidates if m in found and m is not Wijziging]


@lru_cache(maxsize=1)
def _fields() -> dict[str, list[FieldInfo]]:
    index: dict[str, list[FieldInfo]] = {}
    for model in _plan_models():
        for field in model._meta.get_fields():
            if field.auto_created or not hasattr(field, "verbose_name"):
                continue
            choices = {str(k): str(v) for k, v in (getattr(field, "choices", None) or [])}
            index.setdefault(field.name, []).append(
                FieldInfo(str(model._meta.verbose_name).lower(), str(field.verbose_name), choices)
            )
    return index


def _field(name: str, onderdeel: str) -> FieldInfo | None:
    infos = _fields().get(name)
    if not infos:
        return None
    if len({(i.label, tuple(sorted(i.choices.items()))) for i in infos}) == 1:
        return infos[0]
    text = onderdeel.lower()
    best, best_at = None, None
    for info in infos:
        match = re.search(rf"\b{re.escape(info.model)}\b", text)
        if match and (best_at is None or match.start() < best_at):
            best, best_at = info, match.start()
    if best is not None:
        return best
    plan_field = next((i for i in infos if i.model == str(Plan._meta.verbose_name)), None)
    if plan_field is not None:
        return plan_field
    # No model named: the label if they share one, with the choices of all of them.
    if len({i.label for i in infos}) == 1:
        merged = {k: v for i in infos for k, v in i.choices.items()}
        return FieldInfo(infos[0].model, infos[0].label, merged)
    return None


def _extra_labels() -> dict[str, str]:
    return {
        "periode": _("periode"),
        "gemeenten": _("gemeenten"),
        "lid": _("werkgroeplid"),
        "bron": _("bron"),
        "volgorde": _("volgorde"),
        "thema's": _("thema's"),
    }


def field_label(name: str, onderdeel: str) -> str:
    """The label of field ``name`` in a change of ``onderdeel``."""
    step = re.fullmatch(r"stap (\d)", name)
    if step and int(step.group(1)) in STAP_BY_NUMMER:
        nummer = int(step.group(1))
        return _("Stap %(nummer)s %(titel)s") % {
            "nummer": nummer,
            "titel": STAP_BY_NUMMER[nummer].titel,
        }
    if onderdeel == str(_("Rollen")) or onderdeel == "Rollen":
        return _("Rol van %(gebruiker)s") % {"gebruiker": name}
    info = _field(name, onderdeel)
    if info is not None:
        return capfirst(info.label)
    return capfirst(_extra_labels().get(name, name.replace("_", " ")))


def _known_labels() -> dict[str, str]:
    return {
        **{s.value: str(STATUS_LABELS[s]) for s in StapStatus},
        **{value: str(label) for value, label in Rol.choices},
    }


def _dutch_dates(text: str) -> str:
    def one(match: re.Match) -> str:
        year, month, day, hour, minute = match.groups()
        when = date(int(year), int(month), int(day))
        if hour is None:
            return formats.date_format(when, "j F Y")
        moment = datetime.fromisoformat(match.group(0).replace("Z", "+00:00"))
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "j F Y H:i")

    try:
        return _ISO_DATE.sub(one, text)
    except ValueError:
        return text


def show_value(value: object, info: FieldInfo | None = None) -> str:
    """A recorded value as a reader writes it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, list | tuple):
        return ", ".join(show_value(v, info) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {show_value(v, info)}" for k, v in value.items())
    text = str(value)
    if info is not None and text in info.choices:
        return info.choices[text]
    if text in _known_labels():
        return _known_labels()[text]
    if text in ("True", "False"):
        return _("ja") if text == "True" else _("nee")
    return _dutch_dates(text)


def rows(wijziging: Wijziging) -> list[Regel]:
    """The changed fields of ``wijziging``, ready to show."""
    result = []
    for name, values in (wijziging.velden or {}).items():
        old, new = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
        info = None if name.startswith("stap ") else _field(name, wijziging.onderdeel)
        regel = Regel(
            label=field_label(name, wijziging.onderdeel),
            oud=None if old is None else show_value(old, info),
            nieuw=show_value(new, info),
        )
        if (
            isinstance(old, str)
            and isinstance(new, str)
            and (info is None or not info.choices)
            and (len(old) + len(new) > TEXT_DIFF_FROM or "\n" in old or "\n" in new)
        ):
            regel.diff = shorten(word_diff(old, new))
        result.append(regel)
    return result

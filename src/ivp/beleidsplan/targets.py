"""The parts of the prioritering and the IVP that people comment on and propose texts for
(``plans.targets``): priorities, other themes, chapters and the plan's own sections. Saving
an adopted proposal goes through ``services.update_part`` (the part's version is the lock)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ivp.beleidsplan import services
from ivp.beleidsplan.confidential import history_keys
from ivp.beleidsplan.models import Hoofdstuk, OverigThema, Paragraaf, Prioriteit
from ivp.plans.targets import StaleTarget, Target

_THEME_FIELDS = ("waarom", "hoofdlijnen", "flankerend_beleid", "doel")


def _saver(obj):
    def save(*, by, expected_version: int, **values) -> None:
        try:
            services.update_part(obj, by=by, expected_version=expected_version, **values)
        except services.StaleEditError as error:
            raise StaleTarget(str(error)) from error

    return save


def _target(obj, key: str, label: str, url: str, fields, secret: set[str]) -> Target:
    return Target(
        key=key,
        label=label,
        url=url,
        fields={name: str(obj._meta.get_field(name).verbose_name) for name in fields},
        version=obj.version,
        texts={name: getattr(obj, name) or "" for name in fields},
        confidential=key in secret,
        save=_saver(obj),
    )


def plan_targets(plan) -> list:
    secret = history_keys(plan)
    ivp = reverse("beleidsplan:ivp", args=[plan.pk])
    prioritering = reverse("beleidsplan:prioritering", args=[plan.pk])
    found = []
    for p in Prioriteit.objects.filter(plan=plan):
        found.append(
            _target(
                p,
                f"prioriteit:{p.pk}",
                _("Prioriteit ‘%(titel)s’") % {"titel": p.titel},
                f"{prioritering}#prioriteit-{p.pk}",
                _THEME_FIELDS,
                secret,
            )
        )
    for o in OverigThema.objects.filter(plan=plan):
        found.append(
            _target(
                o,
                f"overigthema:{o.pk}",
                _("Thema ‘%(titel)s’") % {"titel": o.titel},
                f"{prioritering}#cluster-{o.pk}",
                _THEME_FIELDS,
                secret,
            )
        )
    for h in Hoofdstuk.objects.filter(plan=plan):
        titel = h.titel or (str(Hoofdstuk.Nummer(h.nummer).label) if h.nummer else "")
        anchor = f"hoofdstuk-{h.nummer}" if h.nummer else f"deel-{h.pk}"
        found.append(
            _target(
                h,
                f"hoofdstuk:{h.pk}",
                _("Hoofdstuk ‘%(titel)s’") % {"titel": titel},
                f"{ivp}#{anchor}",
                ("tekst",),
                secret,
            )
        )
    for s in Paragraaf.objects.filter(hoofdstuk__plan=plan):
        found.append(
            _target(
                s,
                f"paragraaf:{s.pk}",
                _("Paragraaf ‘%(titel)s’") % {"titel": s.titel},
                f"{ivp}#paragraaf-{s.pk}",
                ("tekst",),
                secret,
            )
        )
    return found

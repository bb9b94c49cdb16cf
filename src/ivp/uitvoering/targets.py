"""The measures of the implementation plans as parts that people comment on and propose a
description for (``plans.targets``); saving goes through ``services.update_part``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ivp.plans.targets import StaleTarget, Target
from ivp.uitvoering import services
from ivp.uitvoering.confidential import history_keys
from ivp.uitvoering.models import Maatregel


def plan_targets(plan) -> list:
    secret = history_keys(plan)
    found = []
    measures = Maatregel.objects.filter(onderdeel__uitvoeringsplan__plan=plan).select_related(
        "onderdeel__uitvoeringsplan"
    )
    for m in measures:
        year = m.onderdeel.uitvoeringsplan.jaar

        def save(*, by, expected_version: int, _m=m, **values) -> None:
            try:
                services.update_part(_m, by=by, expected_version=expected_version, **values)
            except services.StaleEditError as error:
                raise StaleTarget(str(error)) from error

        key = f"maatregel:{m.pk}"
        found.append(
            Target(
                key=key,
                label=_("Maatregel ‘%(titel)s’ (%(jaar)s)") % {"titel": m.titel, "jaar": year},
                url=reverse("uitvoering:detail", args=[plan.pk, year]) + f"#maatregel-{m.pk}",
                fields={
                    "beschrijving": str(Maatregel._meta.get_field("beschrijving").verbose_name)
                },
                version=m.version,
                texts={"beschrijving": m.beschrijving or ""},
                confidential=key in secret,
                save=save,
            )
        )
    return found

"""Write and restore the backup of an installation (see the package docstring).

The file::

    {"format": "ivp-backup/1", "created_at": "…", "counts": {"plans.plan": 3, …},
     "objects": [ … Django's JSON serialisation, natural keys for gemeenten, users and
                  the data models … ]}

Restoring needs an installation without plans and own data (a fresh ``migrate``); it first
loads the bundled data (regions and official figures), then every object in one
transaction: any problem and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

FORMAT = "ivp-backup/1"

# In dependency order. (label, filter): the filter picks the rows that belong in a backup.
MODELS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("accounts.user", {}),
    ("datasets.dataset", {"owner__isnull": False}),
    ("datasets.series", {"dataset__owner__isnull": False}),
    ("datasets.importrun", {"owner__isnull": False}),
    ("datasets.observation", {"series__dataset__owner__isnull": False}),
    ("plans.plan", {}),
    ("plans.planstap", {}),
    ("plans.planrol", {}),
    ("plans.werkgroeplid", {}),
    ("plans.reactie", {}),
    ("plans.wijziging", {}),
    ("datasets.planmapping", {}),
    ("datasets.ownseriestheme", {}),
    ("veiligheidsanalyse.analyseinstelling", {}),
    ("veiligheidsanalyse.analysetekst", {}),
    ("veiligheidsanalyse.kandidaatbesluit", {}),
    ("beleidsplan.prioriteit", {}),
    ("beleidsplan.overigthema", {}),
    ("beleidsplan.hoofdstuk", {}),
    ("beleidsplan.effectindicator", {}),
    ("beleidsplan.planversie", {}),
    ("uitvoering.uitvoeringsplan", {}),
    ("uitvoering.onderdeel", {}),
    ("uitvoering.maatregel", {}),
    ("uitvoering.partner", {}),
    ("sturing.rapportagecyclus", {}),
    ("sturing.toewijzing", {}),
    ("sturing.voortgangsupdate", {}),
    ("sturing.realisatie", {}),
    ("sturing.rapportage", {}),
    ("sturing.overlegpunt", {}),
    ("sturing.herinnering", {}),
)


class RestoreError(ValueError):
    """The file cannot be restored here; nothing was stored."""


@dataclass
class Summary:
    counts: dict[str, int]

    def __str__(self) -> str:
        parts = [f"{n} {label.split('.')[1]}" for label, n in self.counts.items() if n]
        return ", ".join(parts) or "niets"


def _querysets() -> Iterable[tuple[str, Any]]:
    for label, filters in MODELS:
        model = apps.get_model(label)
        yield label, model._default_manager.filter(**filters).order_by("pk")


def write_backup() -> tuple[bytes, Summary]:
    """The whole installation (without official data) as one JSON document."""
    objects: list[dict] = []
    counts: dict[str, int] = {}
    for label, queryset in _querysets():
        data = json.loads(
            serializers.serialize(
                "json",
                queryset.iterator(chunk_size=2000),
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
            )
        )
        counts[label] = len(data)
        objects.extend(data)
    document = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "counts": counts,
        "objects": objects,
    }
    return json.dumps(document, ensure_ascii=False).encode("utf-8"), Summary(counts)


def _check_empty() -> None:
    from ivp.datasets.models import Dataset
    from ivp.plans.models import Plan

    if Plan.objects.exists() or Dataset.objects.filter(owner__isnull=False).exists():
        raise RestoreError(
            "deze installatie heeft al plannen of eigen data; herstel in een lege database "
            "(na 'ivp manage migrate')"
        )


def restore_backup(data: Any) -> Summary:
    """Restore a backup into an installation without plans and own data."""
    from ivp.datasets.services import load_bundled_data

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RestoreError(f"geen back-up van ivp (verwacht format {FORMAT!r})")
    objects = data.get("objects")
    if not isinstance(objects, list):
        raise RestoreError("de back-up heeft geen lijst 'objects'")
    allowed = {label for label, _f in MODELS}
    for i, obj in enumerate(objects):
        if not isinstance(obj, dict) or obj.get("model") not in allowed:
            model = obj.get("model") if isinstance(obj, dict) else None
            raise RestoreError(f"objects[{i}]: onbekend of niet toegestaan model {model!r}")
    _check_empty()
    load_bundled_data()  # regions and official figures, which the backup refers to
    counts: dict[str, int] = {label: 0 for label in allowed}
    touched: set = set()
    try:
        with transaction.atomic():
            _check_empty()
            for item in serializers.deserialize(
                "json", json.dumps(objects), handle_forward_references=True
            ):
                item.save()
                touched.add(type(item.object))
                counts[item.object._meta.label_lower] += 1
            _reset_sequences(touched)
    except (serializers.base.DeserializationError, DatabaseError, ValueError) as error:
        message = str(error).splitlines()[0][:300]
        raise RestoreError(
            f"de back-up is niet te herstellen, er is niets opgeslagen: {message}"
        ) from error
    return Summary({label: counts[label] for label, _f in MODELS})


def _reset_sequences(models: set) -> None:
    """After rows with explicit primary keys, PostgreSQL's sequences must move past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

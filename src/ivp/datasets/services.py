"""One door per use case for figures: load the bundled data, import a file, fetch from the
CBS API, set a plan's own mapping. Every function that writes runs in one transaction:
a file with one bad row stores nothing, and a second import of the same figures changes
nothing (the unique key is series, region, period; unchanged values are left alone).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ivp import readcache
from ivp.areas import services as area_services
from ivp.datasets import cbs_client, fetch
from ivp.datasets.mapping import Indeling, MappingError, default_indeling
from ivp.datasets.models import (
    Dataset,
    ImportRun,
    Observation,
    Origin,
    PlanMapping,
    Series,
)
from ivp.datasets.sources import (
    DatasetSpec,
    ImportFormatError,
    ParseResult,
    Problem,
    SeriesSpec,
)
from ivp.datasets.sources import bundled as bundled_sources
from ivp.datasets.sources.cbs_odata import CbsMetadata
from ivp.datasets.sources.detect import parse_file
from ivp.datasets.sources.regions import RegionResolver

BATCH = 5000
SAMPLE_ROWS = 50
MAX_CHANGES = 500
STATUS_CODES = {"definitief": "d", "voorlopig": "v", "nader_voorlopig": "nv", "": ""}
STATUS_NAMES = {v: k for k, v in STATUS_CODES.items()}


# --- helpers ---------------------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def region_resolver() -> RegionResolver:
    """A resolver over every region in the database (codes and names)."""
    return RegionResolver(area_services.region_entries())


def metadata_for(tabel_id: str) -> CbsMetadata | None:
    """Metadata ivp has at hand for a table (bundled for 47018NED), to give an uploaded
    API page its period status and category titles."""
    if tabel_id and tabel_id.upper() in ("47018NED", "47022NED"):
        return bundled_sources.metadata_47018()
    return None


@dataclass
class _Plan:
    """What storing a parse result will do, per record."""

    series_ids: dict[int, int | None]  # result series index → Series pk (None: new series)
    actions: list[str]  # per record: "nieuw", "gewijzigd", "ongewijzigd", "behouden"
    old_values: dict[int, tuple[float | None, str]]  # record index → stored (value, status)


def _existing_series(result: ParseResult) -> dict[int, int | None]:
    keys = {(s.dataset, s.code) for s in result.series}
    found: dict[tuple[str, str], int] = {}
    for dataset_key in {k[0] for k in keys}:
        codes = [c for d, c in keys if d == dataset_key]
        for start in range(0, len(codes), 500):
            for pk, code in Series.objects.filter(
                dataset__key=dataset_key, code__in=codes[start : start + 500]
            ).values_list("pk", "code"):
                found[(dataset_key, code)] = pk
    return {i: found.get((s.dataset, s.code)) for i, s in enumerate(result.series)}


def _classify(result: ParseResult, overwrite: bool) -> _Plan:
    series_ids = _existing_series(result)
    actions = ["nieuw"] * len(result.records)
    old_values: dict[int, tuple[float | None, str]] = {}
    by_series: dict[int, list[int]] = defaultdict(list)
    for index, record in enumerate(result.records):
        series_pk = series_ids[record.series]
        if series_pk is not None:
            by_series[series_pk].append(index)
    all_regions = {result.records[i].regio for ix in by_series.values() for i in ix}
    all_periods = {result.records[i].periode for ix in by_series.values() for i in ix}
    together: dict[int, dict[tuple[str, str], tuple[float | None, str]]] | None = None
    if by_series and len(all_regions) <= 900 and len(all_periods) <= 900:
        # A page of a fetch or a small file: one query for all its series.
        together = defaultdict(dict)
        for sid, region, period, value, status in (
            Observation.objects.filter(
                series_id__in=sorted(by_series),
                region__in=sorted(all_regions),
                period__in=sorted(all_periods),
            )
            .values_list("series_id", "region", "period", "value", "status")
            .iterator(chunk_size=5000)
        ):
            together[sid][(region, period)] = (value, status)
    else:
        # A large file: per series, skipping series without any figure yet (one index probe
        # each; a GROUP BY over all their figures would read millions of rows).
        by_series = {
            pk: ix
            for pk, ix in by_series.items()
            if Observation.objects.filter(series_id=pk).exists()
        }
    for series_pk, indexes in by_series.items():
        if together is not None:
            stored = together.get(series_pk, {})
        else:
            regions = {result.records[i].regio for i in indexes}
            periods = {result.records[i].periode for i in indexes}
            # Many regions: read the series for these periods once; few: ask by name.
            stored = {
                (region, period): (value, status)
                for region, period, value, status in _stored(
                    series_pk, regions if len(regions) <= 900 else None, periods
                )
            }
        for i in indexes:
            record = result.records[i]
            old = stored.get((record.regio, record.periode))
            if old is None:
                continue
            old_values[i] = old
            new = (record.waarde, STATUS_CODES.get(record.status, ""))
            # An unknown status does not replace a known one for the same value.
            if old == new or (new[1] == "" and old[0] == new[0]):
                actions[i] = "ongewijzigd"
            else:
                actions[i] = "gewijzigd" if overwrite else "behouden"
    return _Plan(series_ids, actions, old_values)


def _stored(series_pk: int, regions: set[str] | None, periods: set[str]):
    queryset = Observation.objects.filter(series_id=series_pk)
    if regions is not None:
        queryset = queryset.filter(region__in=sorted(regions))
    if len(periods) <= 900:
        queryset = queryset.filter(period__in=sorted(periods))
    return queryset.values_list("region", "period", "value", "status").iterator(chunk_size=5000)


def _for_owner(result: ParseResult, owner) -> ParseResult:
    """The result with every dataset renamed into ``owner``'s own namespace
    (``GM0796:<key>``): an upload shaped like an official table becomes the gemeente's own
    copy and can never write into the official one or into another gemeente's data."""
    if owner is None:
        return result
    from dataclasses import replace

    from ivp.datasets.access import own_dataset_key

    renamed = {key: own_dataset_key(owner, key) for key in result.datasets}
    for spec in result.series:
        renamed.setdefault(spec.dataset, own_dataset_key(owner, spec.dataset))
    out = ParseResult(
        result.format,
        datasets={renamed[k]: replace(d, key=renamed[k]) for k, d in result.datasets.items()},
        series=[replace(s, dataset=renamed[s.dataset]) for s in result.series],
        records=result.records,
        problems=result.problems,
        meta=result.meta,
        truncated_problems=result.truncated_problems,
    )
    return out


def _check_owners(result: ParseResult, owner) -> None:
    """Refuse to write into a dataset of another owner (defence in depth: the keys of own
    datasets carry their owner's code, so this only fires on a bug or a crafted key)."""
    keys = set(result.datasets) | {s.dataset for s in result.series}
    owner_pk = owner.pk if owner is not None else None
    foreign = Dataset.objects.filter(key__in=keys).exclude(
        **({"owner__isnull": True} if owner_pk is None else {"owner_id": owner_pk})
    )
    if foreign.exists():
        raise PermissionDenied(
            _("Deze cijfers horen bij een andere eigenaar; er is niets opgeslagen.")
        )


def _upsert_dataset(spec: DatasetSpec, owner=None) -> Dataset:
    values = {
        "title": spec.titel,
        "source": spec.bron,
        "table_id": spec.tabel_id,
        "url": spec.url,
        "licence": spec.licentie,
        "attribution": spec.attributie,
    }
    dataset, created = Dataset.objects.get_or_create(
        key=spec.key, defaults={**values, "notes": spec.toelichting, "owner": owner}
    )
    if not created:
        changed = [f for f, v in values.items() if v and getattr(dataset, f) != v]
        if spec.toelichting and spec.toelichting not in dataset.notes:
            dataset.notes = (dataset.notes + "\n\n" + spec.toelichting).strip()
            changed.append("notes")
        for field in changed:
            if field != "notes":
                setattr(dataset, field, values[field])
        if changed:
            dataset.save()
    return dataset


def _upsert_series(spec: SeriesSpec, dataset: Dataset) -> Series:
    values = {
        "name": spec.naam,
        "kind": spec.soort,
        "unit": spec.eenheid,
        "soort_misdrijf": spec.soort_misdrijf,
        "incident_code": spec.incident_code,
        "topic": spec.onderwerp,
        "notes": spec.toelichting,
    }
    series, created = Series.objects.get_or_create(dataset=dataset, code=spec.code, defaults=values)
    if not created:
        changed = [f for f, v in values.items() if v and getattr(series, f) != v]
        for field in changed:
            setattr(series, field, values[field])
        if changed:
            series.save(update_fields=changed)
    return series


def _row_dict(result: ParseResult, index: int, action: str, names: dict[str, str]) -> dict:
    record = result.records[index]
    spec = result.series[record.series]
    return {
        "regel": record.line,
        "dataset": spec.dataset,
        "reeks": spec.naam,
        "regio": record.regio,
        "regionaam": names.get(record.regio, ""),
        "periode": record.periode,
        "waarde": record.waarde,
        "status": record.status,
        "actie": action,
    }


# --- storing a parse result ------------------------------------------------------------


def store_result(
    result: ParseResult,
    *,
    origin: str,
    filename: str = "",
    digest: str = "",
    user=None,
    dry_run: bool = False,
    overwrite: bool = True,
    urls: Sequence[str] = (),
    retrieved_at: dt.datetime | None = None,
    retrieved_note: str = "",
    run: ImportRun | None = None,
    keep_file: bytes | None = None,
    table_id: str = "",
    dataset_name: str = "",
    owner=None,
) -> ImportRun:
    """Store ``result`` as one import run, all or nothing.

    - ``owner`` (a ``Gemeente``): the figures become that gemeente's own data, in datasets
      of its own (``GM0796:<key>``); without an owner they go into the official datasets
      (callers check the right to do so: ``access.may_import``);
    - a result with problems stores no figure; the run records every problem;
    - ``dry_run``: nothing is stored but a run with status *voorbeeld* that shows what
      would happen (counts and the first rows); with ``keep_file`` the upload is kept so
      the user can confirm without uploading again;
    - ``overwrite=False`` (the bundled data): values that exist are kept, so loading the
      bundle never replaces fresher figures.
    """
    run = run or ImportRun(origin=origin, owner=owner)
    owner = run.owner if run.pk else owner
    result = _for_owner(result, owner)
    run.origin = origin
    run.format = result.format
    run.filename = filename or run.filename
    run.sha256 = digest or run.sha256
    run.urls = list(urls) or list(result.meta.get("urls", [])) or run.urls
    run.retrieved_at = retrieved_at or run.retrieved_at
    run.retrieved_note = retrieved_note or run.retrieved_note
    run.table_id = table_id or result.meta.get("tabel_id", "") or run.table_id
    run.dataset_name = dataset_name or run.dataset_name
    run.rows = int(result.meta.get("rows", len(result.records)))
    run.user = user if getattr(user, "is_authenticated", False) else run.user
    run.meta = {k: v for k, v in result.meta.items() if k not in ("urls",)}
    run.problems = [p.as_dict() for p in result.problems]
    run.problems_truncated = result.truncated_problems
    if not result.ok:
        run.status = ImportRun.Status.FAILED
        run.created = run.changed = run.unchanged = run.kept = 0
        run.sample = []
        run.finished_at = timezone.now()
        run.save()
        return run

    with transaction.atomic():
        _check_owners(result, owner)
        plan = _classify(result, overwrite)
        counts = defaultdict(int)
        for action in plan.actions:
            counts[action] += 1
        run.created, run.changed = counts["nieuw"], counts["gewijzigd"]
        run.unchanged, run.kept = counts["ongewijzigd"], counts["behouden"]
        names = area_services.region_names({r.regio for r in result.records[:SAMPLE_ROWS]})
        changed_indexes = [i for i, a in enumerate(plan.actions) if a == "gewijzigd"]
        run.sample = [
            _row_dict(result, i, plan.actions[i], names)
            for i in range(min(SAMPLE_ROWS, len(result.records)))
        ]
        run.changes = [
            {**_row_dict(result, i, "gewijzigd", {}), "oud": plan.old_values[i][0]}
            for i in changed_indexes[:MAX_CHANGES]
        ]
        if dry_run:
            run.status = ImportRun.Status.PREVIEW
            if keep_file is not None and not run.file:
                run.file.save(
                    f"{run.sha256[:16] or 'upload'}-{_safe(filename)}",
                    ContentFile(keep_file),
                    save=False,
                )
            run.finished_at = None
            run.save()
            return run

        run.status = ImportRun.Status.DONE
        run.finished_at = timezone.now()
        run.save()
        datasets = {key: _upsert_dataset(spec, owner) for key, spec in result.datasets.items()}
        series_pk: dict[int, int] = {}
        for index, spec in enumerate(result.series):
            if spec.dataset not in datasets:
                datasets[spec.dataset] = _upsert_dataset(
                    DatasetSpec(key=spec.dataset, titel=spec.dataset), owner
                )
            dataset = datasets[spec.dataset]
            series_pk[index] = _upsert_series(spec, dataset).pk
        run.datasets.set(datasets.values())
        _write(result, plan, series_pk, run)
        if run.file and keep_file is None:
            run.file.delete(save=False)
            run.file = ""
            run.save(update_fields=["file"])
    return run


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in ".-_" else "_" for c in (name or "bestand"))[-80:]


_INSERT_FIELDS = ("series", "region", "period", "value", "status", "import_run")


def _columns() -> tuple[str, list[str]]:
    meta = Observation._meta
    quote = connection.ops.quote_name
    return quote(meta.db_table), [quote(meta.get_field(f).column) for f in _INSERT_FIELDS]


def _insert_rows(cursor, rows: list[tuple]) -> None:
    """Insert new observations fast: PostgreSQL's COPY where available, else a plain
    INSERT run with executemany (SQL that every backend accepts). The ORM's bulk_create
    spends most of its time building SQL; these take the values as parameters."""
    table, columns = _columns()
    raw = getattr(cursor, "cursor", None)
    if connection.vendor == "postgresql" and hasattr(raw, "copy"):
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    cursor.executemany(sql, rows)


def _write(result: ParseResult, plan: _Plan, series_pk: dict[int, int], run: ImportRun) -> None:
    new: list[tuple] = []
    changed: list[Observation] = []
    run_pk = run.pk
    with connection.cursor() as cursor:
        for index, record in enumerate(result.records):
            action = plan.actions[index]
            if action == "nieuw":
                new.append(
                    (
                        series_pk[record.series],
                        record.regio,
                        record.periode,
                        record.waarde,
                        STATUS_CODES.get(record.status, ""),
                        run_pk,
                    )
                )
                if len(new) >= BATCH:
                    _insert_rows(cursor, new)
                    new = []
            elif action == "gewijzigd":
                changed.append(
                    Observation(
                        series_id=series_pk[record.series],
                        region=record.regio,
                        period=record.periode,
                        value=record.waarde,
                        # an unknown status (police tables) keeps the known one
                        status=STATUS_CODES.get(record.status, "") or plan.old_values[index][1],
                        import_run_id=run_pk,
                    )
                )
                if len(changed) >= BATCH:
                    _update(changed)
                    changed = []
        if new:
            _insert_rows(cursor, new)
    if changed:
        _update(changed)
    # raw inserts and bulk upserts send no signal: a new data version, in this transaction
    readcache.bump()


def _update(observations: list[Observation]) -> None:
    Observation.objects.bulk_create(
        observations,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["series", "region", "period"],
        update_fields=["value", "status", "import_run"],
    )


def append_to_run(
    result: ParseResult, run: ImportRun, *, series_cache: dict[tuple[str, str], int] | None = None
) -> None:
    """Store one more part of a run (a page of a fetch) under the same rules as
    :func:`store_result` (no doubles; a different value is a revision with its old value;
    an unknown status keeps the known one) and add its counts to the run. The caller holds
    the transaction, so a page and the checkpoint saved with it commit together."""
    if not result.ok:
        raise ValueError("append_to_run: a result with problems stores nothing")
    plan = _classify(result, overwrite=True)
    counts: dict[str, int] = defaultdict(int)
    for action in plan.actions:
        counts[action] += 1
    run.rows += int(result.meta.get("rows", len(result.records)))
    run.created += counts["nieuw"]
    run.changed += counts["gewijzigd"]
    run.unchanged += counts["ongewijzigd"]
    run.kept += counts["behouden"]
    room = SAMPLE_ROWS - len(run.sample)
    if room > 0 and result.records:
        names = area_services.region_names({r.regio for r in result.records[:room]})
        run.sample = [
            *run.sample,
            *(
                _row_dict(result, i, plan.actions[i], names)
                for i in range(min(room, len(result.records)))
            ),
        ]
    room = MAX_CHANGES - len(run.changes)
    if room > 0:
        changed = [i for i, a in enumerate(plan.actions) if a == "gewijzigd"][:room]
        run.changes = [
            *run.changes,
            *(
                {**_row_dict(result, i, "gewijzigd", {}), "oud": plan.old_values[i][0]}
                for i in changed
            ),
        ]
    cache = series_cache if series_cache is not None else {}
    datasets = {}
    for key, spec in result.datasets.items():
        datasets[key] = _upsert_dataset(spec)
    if datasets:
        run.datasets.add(*datasets.values())
    series_pk: dict[int, int] = {}
    for index, spec in enumerate(result.series):
        pk = cache.get(spec.key)
        if pk is None:
            dataset = datasets.get(spec.dataset) or _upsert_dataset(
                DatasetSpec(key=spec.dataset, titel=spec.dataset)
            )
            pk = cache[spec.key] = _upsert_series(spec, dataset).pk
        series_pk[index] = pk
    _write(result, plan, series_pk, run)


# --- use cases -------------------------------------------------------------------------


def parse_upload(
    data: bytes, filename: str, *, tabel_id: str | None = None, dataset_name: str = ""
) -> ParseResult:
    """Parse an uploaded file; a file ivp cannot read at all becomes one problem."""
    try:
        return parse_file(
            data,
            filename=filename,
            resolver=region_resolver(),
            tabel_id=tabel_id or None,
            dataset_name=dataset_name,
            metadata_for=metadata_for,
        )
    except ImportFormatError as error:
        result = ParseResult("onbekend")
        result.problem(None, None, str(error))
        return result.finish()


def import_file(
    data: bytes,
    filename: str,
    *,
    user=None,
    tabel_id: str = "",
    dataset_name: str = "",
    dry_run: bool = False,
    keep_file: bool = False,
    owner=None,
) -> ImportRun:
    """Import a file (the web upload and ``ivp data import`` both end here).

    ``owner`` (a ``Gemeente``): the gemeente's own data; the user must be allowed to import
    for it (``access.may_import``). Without an owner the figures are official: only with
    system rights (``user=None``: the command line on the server) or as a superuser."""
    from ivp.datasets import access

    if user is not None and not access.may_import(user, owner):
        raise PermissionDenied(
            _("U mag geen cijfers inlezen voor %(owner)s.")
            % {"owner": owner.naam if owner else _("de officiële datasets")}
        )
    result = parse_upload(data, filename, tabel_id=tabel_id, dataset_name=dataset_name)
    return store_result(
        result,
        origin=Origin.FILE,
        filename=filename,
        digest=sha256(data),
        user=user,
        dry_run=dry_run,
        keep_file=data if (dry_run and keep_file) else None,
        table_id=tabel_id,
        dataset_name=dataset_name,
        owner=owner,
    )


def discard_old_previews(hours: int = 24) -> int:
    """Remove the kept files of previews nobody confirmed (the runs stay as a record)."""
    old = ImportRun.objects.filter(
        status=ImportRun.Status.PREVIEW,
        started_at__lt=timezone.now() - dt.timedelta(hours=hours),
    ).exclude(file="")
    count = 0
    for run in old:
        run.file.delete(save=False)
        run.file = ""
        run.save(update_fields=["file"])
        count += 1
    return count


def confirm_import(run: ImportRun, *, user=None) -> ImportRun:
    """Store a previewed upload (the kept file is parsed again: the regions or the stored
    figures may have changed since the preview). Only who may import for the run's owner
    (``user=None``: system rights)."""
    from ivp.datasets import access

    if user is not None and not access.may_import(user, run.owner):
        raise PermissionDenied(_("U mag dit voorbeeld niet opslaan."))
    if run.status != ImportRun.Status.PREVIEW or not run.file:
        raise ValueError(
            _("Dit voorbeeld kan niet meer worden opgeslagen; lees het bestand opnieuw in.")
        )
    with run.file.open("rb") as handle:
        data = handle.read()
    result = parse_upload(data, run.filename, tabel_id=run.table_id, dataset_name=run.dataset_name)
    run = store_result(result, origin=Origin.FILE, run=run, user=user, owner=run.owner)
    return run


def load_bundled_data() -> str:
    """Load the regions and every bundled data file (idempotent; called by ``ivp demo``).

    A file already loaded (same SHA-256) is skipped; bundled values never overwrite values
    that are already there (those may be fresher, from the CBS API or an upload).
    """
    report = [str(area_services.load_areas())]
    resolver = None
    loaded = skipped = 0
    for bundled_set in bundled_sources.BUNDLED_SETS:
        data = bundled_set.content()
        digest = sha256(data)
        if ImportRun.objects.filter(
            origin=Origin.BUNDLED, sha256=digest, status=ImportRun.Status.DONE
        ).exists():
            skipped += 1
            continue
        resolver = resolver or region_resolver()
        result = bundled_set.parse(resolver)
        retrieved = (
            dt.datetime.fromisoformat(bundled_set.retrieved).replace(tzinfo=dt.UTC)
            if bundled_set.retrieved
            else None
        )
        run = store_result(
            result,
            origin=Origin.BUNDLED,
            filename=f"datasets/bundled/{bundled_set.name}",
            digest=digest,
            overwrite=False,
            retrieved_at=retrieved,
            retrieved_note=bundled_set.retrieved_note,
        )
        if run.status != ImportRun.Status.DONE:
            raise RuntimeError(f"bundled file {bundled_set.name} did not load: {run.problems[:3]}")
        loaded += 1
    groups = update_size_classes()
    report.append(f"meegeleverde bestanden: {loaded} geladen, {skipped} al aanwezig")
    report.append(f"grootteklassen: {groups} gemeenten ingedeeld")
    return "; ".join(report)


def update_size_classes() -> int:
    """Comparison groups by size class, from the latest year in which the population of
    (nearly) all current gemeenten is known."""
    from ivp.datasets import queries

    year, values = queries.latest_population_year()
    if year is None:
        return 0
    return area_services.update_size_classes(values, year)


# --- fetching from the CBS API ---------------------------------------------------------


@dataclass
class FetchOutcome:
    runs: list[ImportRun]

    @property
    def ok(self) -> bool:
        return all(r.status == ImportRun.Status.DONE for r in self.runs)


class FetchInterrupted(cbs_client.CbsError):
    """A fetch stopped halfway. What arrived before is stored; the same fetch again resumes
    at the page where it stopped. ``str()`` says why (the API's cause) and what is kept."""

    def __init__(self, error: cbs_client.CbsError | str, runs: Sequence[ImportRun]) -> None:
        self.error = error
        self.cause = getattr(error, "cause", "") or str(error)
        self.runs = list(runs)
        kept = []
        for run in self.runs:
            info = (run.meta or {}).get("ophalen", {})
            if info.get("done"):
                kept.append(_("%(t)s volledig (%(n)s cijfers)") % {"t": run.table_id, "n": _n(run)})
            else:
                kept.append(
                    _("%(t)s: %(p)s pagina('s) met %(n)s cijfers, deel %(u)s van %(of)s")
                    % {
                        "t": run.table_id,
                        "p": info.get("pages", 0),
                        "n": _n(run),
                        "u": int(info.get("unit", 0)) + 1,
                        "of": info.get("eenheden", "?"),
                    }
                )
        message = str(error)
        if kept:
            message += " " + _("Wat al binnen was, is opgeslagen: %(k)s.") % {"k": "; ".join(kept)}
            message += " " + _(
                "Haal dezelfde cijfers opnieuw op om verder te gaan waar het stopte."
            )
        else:
            message += " " + _("Er is niets opgeslagen.")
        super().__init__(message)


def _n(run: ImportRun) -> str:
    return f"{run.created + run.changed + run.unchanged + run.kept:,}".replace(",", ".")


def _unfinished_run(plan: fetch.FetchPlan) -> ImportRun | None:
    """The latest interrupted fetch of exactly these requests, to resume."""
    candidates = ImportRun.objects.filter(
        origin=Origin.API, table_id=plan.table, status=ImportRun.Status.DONE
    ).order_by("-started_at", "-id")[:20]
    for run in candidates:
        info = (run.meta or {}).get("ophalen") or {}
        if info.get("handtekening") == plan.signature and not info.get("done"):
            return run
    return None


def _stream(
    client: cbs_client.CbsClient,
    plan: fetch.FetchPlan,
    *,
    user,
    resume: bool,
    progress: cbs_client.Progress,
    done_runs: list[ImportRun],
) -> ImportRun:
    """Fetch one table page by page; each page and the checkpoint after it are stored in
    one transaction, so an interruption keeps every page before it and a new run of the
    same fetch resumes at the next page."""
    now = timezone.now()
    note = _("Opgehaald bij de CBS-API op %(date)s.") % {"date": now.strftime("%d-%m-%Y %H:%M")}
    if plan.problem:
        failed = ParseResult("cbs-odata-json")
        failed.problem(None, None, plan.problem)
        return store_result(
            failed.finish(),
            origin=Origin.API,
            filename=plan.table,
            user=user,
            retrieved_at=now,
            retrieved_note=note,
            table_id=plan.table,
        )
    run = _unfinished_run(plan) if resume else None
    start = fetch.Checkpoint.from_dict((run.meta or {}).get("ophalen") if run else None)
    state: dict[str, ImportRun | None] = {"run": run}
    cache: dict[tuple[str, str], int] = {}

    def on_page(result: ParseResult, after: fetch.Checkpoint, url: str) -> None:
        if not result.ok:
            raise cbs_client.CbsResponseError(
                url, "; ".join(problems_as_text(result.problems[:5])), after.pages - 1
            )
        with transaction.atomic():
            current = state["run"]
            if current is None:
                current = ImportRun.objects.create(
                    origin=Origin.API,
                    status=ImportRun.Status.DONE,
                    format=result.format,
                    filename=plan.table,
                    table_id=plan.table,
                    retrieved_at=now,
                    retrieved_note=note,
                    user=user if getattr(user, "is_authenticated", False) else None,
                    meta=dict(plan.meta),
                )
            else:
                current.retrieved_at = now
                current.retrieved_note = note
            append_to_run(result, current, series_cache=cache)
            first_of_unit = "$skip=" not in url and "$skiptoken=" not in url
            if first_of_unit and url not in current.urls:
                current.urls = [*current.urls, url]
            for key in ("verborgen_nullen", "rijen_zonder_regionaam"):
                if result.meta.get(key):
                    current.meta[key] = current.meta.get(key, 0) + result.meta[key]
            current.meta["ophalen"] = {
                **after.as_dict(),
                "handtekening": plan.signature,
                "eenheden": len(plan.units),
            }
            current.problems = []
            current.finished_at = timezone.now() if after.done else None
            current.save()
            state["run"] = current

    try:
        fetch.run(client, plan, on_page, checkpoint=start, progress=progress)
    except cbs_client.CbsError as error:
        current = state["run"]
        if current is not None:
            current.refresh_from_db()
            current.problems = [
                Problem(None, None, _("Onderbroken: %(e)s") % {"e": error}).as_dict()
            ]
            current.meta = {
                **current.meta,
                "onderbroken": getattr(error, "cause", "") or str(error),
            }
            current.finished_at = timezone.now()
            current.save(update_fields=["problems", "meta", "finished_at"])
        stored = [*done_runs, *([current] if current is not None else [])]
        raise FetchInterrupted(error, stored) from error
    current = state["run"]
    if current is None:  # every unit answered, but without a single page: nothing to store
        empty = ParseResult("cbs-odata-json")
        empty.meta.update(plan.meta)
        return store_result(
            empty.finish(),
            origin=Origin.API,
            filename=plan.table,
            user=user,
            retrieved_at=now,
            retrieved_note=note,
            table_id=plan.table,
        )
    if current.meta.get("onderbroken"):
        current.meta = {k: v for k, v in current.meta.items() if k != "onderbroken"}
        current.meta["hervat"] = True
        current.save(update_fields=["meta"])
    return current


def fetch_from_cbs(
    *,
    gemeenten: list[str] | None,
    user=None,
    years: Iterable[int] | None = None,
    levels: tuple[str, ...] | None = None,
    progress: cbs_client.Progress | None = None,
    client: cbs_client.CbsClient | None = None,
    resume: bool = True,
) -> FetchOutcome:
    """Fetch 47018NED and then population and dwellings (70072NED) for the given gemeenten
    (None: all) and store them page by page (see :func:`_stream`).

    ``progress(done, total, label)`` is called before each request and after each page
    (``done``/``total`` count the requests of the table being fetched; ``label`` names the
    table, year, page and rows so far). ``resume`` (default): an earlier fetch of exactly
    the same requests that stopped halfway continues at its next page.

    Raises :class:`~ivp.datasets.cbs_client.CbsOffline` when the API cannot be reached
    before anything arrived (nothing is stored), and :class:`FetchInterrupted` when it
    failed halfway (what arrived is stored; the message says what and why).
    """
    progress = progress or (lambda done, total, label: None)
    own_client = client is None
    client = client or cbs_client.CbsClient()
    runs: list[ImportRun] = []
    try:
        for make_plan in (
            lambda: fetch.plan_crime(client, gemeenten=gemeenten, years=years, levels=levels),
            lambda: fetch.plan_population(client, gemeenten=gemeenten, years=years),
        ):
            try:
                plan = make_plan()
            except cbs_client.CbsError as error:
                if runs:
                    raise FetchInterrupted(error, runs) from error
                raise
            runs.append(
                _stream(client, plan, user=user, resume=resume, progress=progress, done_runs=runs)
            )
    finally:
        if own_client:
            client.close()
    if runs and runs[-1].status == ImportRun.Status.DONE:
        update_size_classes()
    return FetchOutcome(runs)


def can_fetch(user) -> bool:
    """Fetching from the CBS refreshes official figures with the CBS's own published
    values (nothing the user supplies): coordinators of a plan (for the gemeenten of their
    plans, see ``fetchable_gemeenten``) and superusers (any or all gemeenten)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.planrollen.filter(rol="coordinator").exists()


def fetchable_gemeenten(user):
    """The gemeenten ``user`` may fetch CBS figures for: those of the plans in which the
    user is coordinator (a superuser: every current gemeente)."""
    from ivp.areas.models import Gemeente

    if not can_fetch(user):
        return Gemeente.objects.none()
    if user.is_superuser:
        return Gemeente.objects.filter(actief=True)
    return Gemeente.objects.filter(
        actief=True,
        pk__in=Gemeente.objects.filter(
            plannen__rollen__user=user, plannen__rollen__rol="coordinator"
        ).values("pk"),
    )


# --- a plan's own mapping --------------------------------------------------------------


def mapping_for_plan(plan) -> Indeling:
    """The default mapping with the plan's own choices applied (a new object)."""
    overrides = {m.code: m.themes for m in PlanMapping.objects.filter(plan=plan)}
    if not overrides:
        return default_indeling()
    return default_indeling().with_overrides(overrides)


@transaction.atomic
def set_plan_mapping(plan, *, by, code: str, themes: Sequence[str] | None, note: str = "") -> None:
    """Give ``code`` its own themes in ``plan`` (``themes=None``: back to the default).
    Only the plan's coordinator or editor may; other plans are untouched."""
    from ivp.plans.access import Permission, can  # the web door checks with the plan's rules

    if not can(by, plan, Permission.EDIT_CONTENT):
        raise PermissionDenied(_("U mag de indeling van dit plan niet wijzigen."))
    default = default_indeling()
    if themes is None:
        PlanMapping.objects.filter(plan=plan, code=code).delete()
        return
    themes = list(themes)
    try:
        default.with_overrides({code: themes})
    except MappingError as error:
        raise ValueError("; ".join(error.errors)) from error
    base = default.soort_misdrijf.get(code) or default.incidentcodes.get(code)
    if base is not None and tuple(themes) == base.themas:
        PlanMapping.objects.filter(plan=plan, code=code).delete()
        return
    PlanMapping.objects.update_or_create(
        plan=plan, code=code, defaults={"themes": themes, "note": note, "user": by}
    )


@transaction.atomic
def set_series_theme(plan, *, by, series_key: str, theme: str | None) -> None:
    """Place one other series of the plan's gemeente (own upload or survey table) at
    ``theme`` in ``plan`` ('' : at no theme; None: back to ivp's suggestion). Only the
    plan's coordinator or editor may, and only for a series of a gemeente of the plan."""
    from ivp.datasets import own_series
    from ivp.datasets.mapping import THEMA_CODES
    from ivp.datasets.models import OwnSeriesTheme
    from ivp.plans.access import Permission, can

    if not can(by, plan, Permission.EDIT_CONTENT):
        raise PermissionDenied(_("U mag de indeling van dit plan niet wijzigen."))
    if theme and theme not in THEMA_CODES:
        raise ValueError(_("Onbekend thema: %(t)s.") % {"t": theme})
    key = series_key.removeprefix(own_series.LINK_PREFIX)
    found = None
    for code in plan.gemeenten.values_list("code", flat=True):
        found = next((s for s in own_series.other_series(code) if s.key == key), None)
        if found:
            break
    if found is None:
        raise ValueError(_("Deze reeks hoort niet bij een gemeente van dit plan."))
    series = Series.objects.get(dataset__key=found.dataset, code=found.code)
    if theme is None:
        OwnSeriesTheme.objects.filter(plan=plan, series=series).delete()
        return
    OwnSeriesTheme.objects.update_or_create(
        plan=plan, series=series, defaults={"theme": theme, "user": by}
    )


# --- overview --------------------------------------------------------------------------


def dataset_overview(user=None) -> list[dict]:
    """Datasets (those ``user`` may see; None: all) with their series count, observation
    count, periods and last import."""
    from ivp.datasets.access import datasets_for_user

    rows = []
    datasets = Dataset.objects.all() if user is None else datasets_for_user(user)
    for dataset in (
        datasets.select_related("owner")
        .annotate(n_series=Count("series", distinct=True))
        .order_by("key")
    ):
        last = (
            dataset.import_runs.filter(status=ImportRun.Status.DONE).order_by("-started_at").first()
        )
        stats = Observation.objects.filter(series__dataset=dataset).aggregate(
            n=Count("id"), last_period=Max("period")
        )
        rows.append(
            {
                "dataset": dataset,
                "series": dataset.n_series,
                "observations": stats["n"],
                "last_period": stats["last_period"],
                "last_run": last,
            }
        )
    return rows


def problems_as_text(problems: Iterable[dict | Problem]) -> list[str]:
    out = []
    for problem in problems:
        if isinstance(problem, dict):
            problem = Problem(
                problem.get("regel"),
                problem.get("kolom"),
                problem.get("melding", ""),
                problem.get("waarde"),
            )
        out.append(str(problem))
    return out


ProgressCallback = Callable[[int, int, str], None]

"""Who sees and changes which figures.

- **Official datasets** (``Dataset.owner`` empty: the bundled CBS/politie tables and what is
  fetched from the CBS API) are read by every signed-in user and changed only with system
  rights: a superuser, or ``ivp data …`` on the server.
- **Own datasets** (``owner`` = a gemeente) hold what a municipality uploads. They are seen
  by the users of that gemeente and by everyone who sees a plan of that gemeente, and are
  uploaded by a coordinator or redacteur of a plan of that gemeente (or a superuser).
- An **import run** is seen by whoever sees its owner's data; a *preview* (not stored yet)
  only by those who may import for its owner, and by the user who uploaded it.

Anything a user may not see does not exist for that user: pages and the API answer 404.
Plans are referred to through the relations by name (``plannen``, ``planrollen``); this
module does not import ``plans``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ivp.areas.models import Gemeente
from ivp.datasets.models import Dataset, ImportRun, Observation, Series

IMPORT_ROLES = ("coordinator", "redacteur")


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_system(user) -> bool:
    """May change official figures (a superuser; the command line runs as the system)."""
    return _active(user) and user.is_superuser


def visible_owners(user) -> QuerySet[Gemeente]:
    """The gemeenten whose own data ``user`` may read: the user's organisations and the
    gemeenten of every plan the user sees (own organisation or explicit role)."""
    if not _active(user):
        return Gemeente.objects.none()
    if user.is_superuser:
        return Gemeente.objects.all()
    from ivp.accounts import gemeenten_of

    ids = Gemeente.objects.filter(
        Q(pk__in=gemeenten_of(user).values("pk"))
        | Q(plannen__rollen__user=user)
        | Q(plannen__gemeenten__gebruikers=user)
    ).values("pk")
    return Gemeente.objects.filter(pk__in=ids)


def importable_gemeenten(user) -> QuerySet[Gemeente]:
    """The gemeenten for which ``user`` may upload own data: those of the plans in which
    the user is coordinator or redacteur (a superuser: all)."""
    if not _active(user):
        return Gemeente.objects.none()
    if user.is_superuser:
        return Gemeente.objects.all()
    ids = Gemeente.objects.filter(
        plannen__rollen__user=user, plannen__rollen__rol__in=IMPORT_ROLES
    ).values("pk")
    return Gemeente.objects.filter(pk__in=ids)


def may_import(user, owner: Gemeente | None) -> bool:
    """May ``user`` store figures for ``owner`` (None: into the official datasets)?"""
    if owner is None:
        return is_system(user)
    return importable_gemeenten(user).filter(pk=owner.pk).exists()


def may_import_anything(user) -> bool:
    return is_system(user) or importable_gemeenten(user).exists()


def _owner_filter(user, prefix: str = "") -> Q:
    official = Q(**{f"{prefix}owner__isnull": True})
    if not _active(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return official | Q(**{f"{prefix}owner__in": visible_owners(user)})


def datasets_for_user(user) -> QuerySet[Dataset]:
    if not _active(user):
        return Dataset.objects.none()
    return Dataset.objects.filter(_owner_filter(user))


def series_for_user(user) -> QuerySet[Series]:
    if not _active(user):
        return Series.objects.none()
    return Series.objects.filter(_owner_filter(user, "dataset__"))


def observations_for_user(user) -> QuerySet[Observation]:
    if not _active(user):
        return Observation.objects.none()
    if user.is_superuser:
        return Observation.objects.all()
    return Observation.objects.filter(series__in=series_for_user(user).values("pk"))


def import_runs_for_user(user, *, previews: bool = True) -> QuerySet[ImportRun]:
    """Runs ``user`` may see. A preview only for who may import for its owner, and for
    the user who uploaded it; ``previews=False`` leaves previews out altogether."""
    if not _active(user):
        return ImportRun.objects.none()
    runs = ImportRun.objects.all()
    if not previews:
        runs = runs.exclude(status=ImportRun.Status.PREVIEW)
    if user.is_superuser:
        return runs
    stored = ~Q(status=ImportRun.Status.PREVIEW) & _owner_filter(user)
    preview = Q(status=ImportRun.Status.PREVIEW) & (
        Q(owner__in=importable_gemeenten(user)) | Q(user=user, owner__isnull=False)
    )
    return runs.filter(stored | preview) if previews else runs.filter(stored)


def own_dataset_key(owner: Gemeente | str, key: str) -> str:
    """The key of a gemeente's own copy of a source: ``GM0796:<key>``."""
    code = owner if isinstance(owner, str) else owner.code
    return f"{code}:{key}"[:100]


def official_or_owned_by(gemeente: str) -> Q:
    """Series filter for the picture of one gemeente: the official data and the gemeente's
    own data; never another gemeente's."""
    return Q(dataset__owner__isnull=True) | Q(dataset__owner__code=gemeente)

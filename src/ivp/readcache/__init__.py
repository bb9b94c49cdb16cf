"""An in-process cache of data reads, keyed by the **data version** (ADR 0029).

The data version is a random token in a one-row table (:class:`models.DataVersion`). Every
write to the data the analysis reads — figures, series, datasets, import runs, regions and
their groups — gives it a fresh token *in the same transaction* (:func:`bump`): the
services that write call it after their bulk writes, and the models' ``post_save``,
``post_delete`` and ``m2m_changed`` signals call it for every other save (the apps connect
them in their ``ready``). A random token, not a counter or the largest primary key: after a
rolled-back transaction SQLite reuses primary keys and a counter would count to the same
number again, with other data behind it; a token that came back after a rollback belongs
to the data that came back with it.

A reader opens :func:`reading` (``veiligheidsbeeld.build`` does): it reads the token once,
first, and within the block :func:`cached` keeps what it computes under (database, token,
key). The token is read before the data, so a write that commits in between can only make
a cached value newer than its token, never older. Outside :func:`reading` nothing is
cached. Without the row (a table emptied by a test's flush) nothing is cached either.

Values are shared by every later reader: treat them as immutable (tuples, frozen
dataclasses; a caller that changes what it read takes its own copy or reads uncached).
Memory is bounded: at most :data:`LARGE` large values (a gemeente's figures, its wijk
figures) and :data:`SMALL` small ones, least recently used first out, and only values of
the latest token of a database are kept.

Imports no models at import time (it is imported by ``areas`` and ``datasets``, below which
it sits).
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

# a gemeente's store (its figures and its groups', 2–3 MB on the demo store, about 6 MB
# with every category of every gemeente) and its wijk figures: three gemeenten
LARGE = 6
SMALL = 64

# (database name, token) of the reading block of this thread or task; None: not caching
_reading: ContextVar[tuple[str, str] | None] = ContextVar("ivp_readcache", default=None)


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.large: OrderedDict[tuple, object] = OrderedDict()
        self.small: OrderedDict[tuple, object] = OrderedDict()
        self.tokens: dict[str, str] = {}  # database → the token whose values are kept

    def clear(self) -> None:
        with self.lock:
            self.large.clear()
            self.small.clear()
            self.tokens.clear()

    def start(self, database: str, token: str) -> None:
        """Drop the values of an older token of ``database``: they are not read again
        (except after a rollback to that very state, in tests)."""
        with self.lock:
            if self.tokens.get(database) != token:
                for pool in (self.large, self.small):
                    for key in [k for k in pool if k[0] == database]:
                        del pool[key]
                self.tokens[database] = token

    def get(self, key: tuple, large: bool) -> tuple[bool, object]:
        pool = self.large if large else self.small
        with self.lock:
            if key in pool:
                pool.move_to_end(key)
                return True, pool[key]
        return False, None

    def put(self, key: tuple, value: object, large: bool) -> None:
        pool, size = (self.large, LARGE) if large else (self.small, SMALL)
        with self.lock:
            pool[key] = value
            pool.move_to_end(key)
            while len(pool) > size:
                pool.popitem(last=False)


_cache = _Cache()


def _database(using: str) -> str:
    from django.db import connections

    settings = connections[using].settings_dict
    return f"{using}:{settings.get('HOST', '')}:{settings.get('PORT', '')}:{settings['NAME']}"


def version(using: str = "default") -> str | None:
    """The current data version of the database (None: no version row, cache nothing)."""
    from ivp.readcache.models import DataVersion

    return DataVersion.objects.using(using).filter(pk=1).values_list("token", flat=True).first()


def bump(using: str = "default") -> None:
    """Give the data a new version. Call it in the transaction of the write (after it), so
    the new data and the new token commit or roll back together."""
    from django.db import connections

    from ivp.readcache.models import DataVersion

    token = uuid.uuid4().hex
    connection = connections[using]
    # plain SQL every backend accepts: a delete of many regions sends a signal per row, and
    # the ORM's update costs several times this statement
    table = connection.ops.quote_name(DataVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET token = %s WHERE id = 1", [token])  # noqa: S608
        if cursor.rowcount == 1:
            return
    _row, created = DataVersion.objects.using(using).get_or_create(pk=1, defaults={"token": token})
    if not created:  # made by another writer meanwhile: still ours must be new
        DataVersion.objects.using(using).filter(pk=1).update(token=token)


def bump_on_signal(sender=None, using: str = "default", **kwargs) -> None:
    """A receiver for ``post_save``, ``post_delete`` and ``m2m_changed``."""
    if kwargs.get("action", "post_").startswith("post_"):
        bump(using)


@contextmanager
def reading(using: str = "default") -> Iterator[str | None]:
    """A block whose :func:`cached` reads may come from the cache, all of one data version
    (read here, before any data). Nested blocks share the outer one's version."""
    outer = _reading.get()
    if outer is not None:
        yield outer[1]
        return
    token = version(using)
    if token is None:
        yield None
        return
    database = _database(using)
    _cache.start(database, token)
    handle = _reading.set((database, token))
    try:
        yield token
    finally:
        _reading.reset(handle)


def cached(key: tuple[Hashable, ...], compute: Callable[[], T], *, large: bool = False) -> T:
    """``compute()``, kept under ``key`` and the data version while in :func:`reading`;
    outside it, simply ``compute()``. ``large``: a value of the small pool of large ones."""
    current = _reading.get()
    if current is None:
        return compute()
    full = (*current, *key)
    found, value = _cache.get(full, large)
    if found:
        return value  # type: ignore[return-value]
    value = compute()
    _cache.put(full, value, large)
    return value


def clear() -> None:
    """Forget every cached value (tests)."""
    _cache.clear()

"""Results computed from shipped files, kept as JSON in ``IVP_VAR_DIR/cache/``.

Parsing the catalogue's YAML or the boundaries file takes tenths of a second; a one-line
``ivp analyse`` needs only a few hundred titles and codes of them. The first process to need
a result computes it and writes it here, named by a hash of its source files, so an edited
file gets a new entry and a stale one is never read; later processes read the JSON (a
millisecond). Without a writable folder (or without settings) the result is computed each
time. Imports nothing of ivp: every package may use it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any


def fingerprint(sources: Iterable[Path], version: str = "1") -> str:
    digest = hashlib.sha1(f"v{version}".encode(), usedforsecurity=False)
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_dir() -> Path | None:
    try:
        from django.conf import settings

        return Path(getattr(settings, "VAR_DIR")) / "cache"  # noqa: B009
    except Exception:  # noqa: BLE001 - no settings: no cache
        return None


def cached_json(
    name: str, sources: Iterable[Path], compute: Callable[[], Any], *, version: str = "1"
) -> Any:
    """``compute()`` (a JSON-able result), kept on disk under a hash of ``sources``."""
    folder = cache_dir()
    if folder is None:
        return compute()
    path = folder / f"{name}-{fingerprint(sources, version)}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    data = compute()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=folder, delete=False, suffix=".tmp"
        ) as handle:
            json.dump(data, handle, ensure_ascii=False)
        os.replace(handle.name, path)  # atomic: a parallel reader sees all or nothing
    except OSError:
        pass
    return data

"""Datasets: imported and bundled figures with their provenance — datasets, series,
observations, import runs, the CBS sources, and the mapping of offence categories to themes.

Plain Python (no Django): ``sources/`` (parsers: CBS OData JSON, StatLine CSV, the long
format, the bundled files), ``cbs_client`` and ``fetch`` (the CBS API), ``mapping/`` (the
default mapping and aggregates), ``rates``, ``periods``, ``offences``. Django: ``models``,
``services`` (every write: load the bundle, import, fetch, a plan's mapping), ``access``
(official data shared and read-only, a gemeente's own data seen by it and its plans; see
ADR 0011), ``queries``
(plain values for ``analysis``), ``views``/``urls``, ``api``, ``cli``.

May import ``areas``, ``catalogue`` and ``accounts`` (whose gemeenten a user works for);
refers to ``plans`` only for a plan's own mapping.
See docs/data.md and docs/mapping.md.
"""

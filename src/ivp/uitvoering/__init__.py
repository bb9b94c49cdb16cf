"""Step 5 of the method: the yearly uitvoeringsplan (implementation plan) of an IVP. Owns
the implementation plans per year, their onderdelen (items) per priority and per cluster of
ongoing themes, the maatregelen (measures) with leads, partners, planning, performance
indicator, budget and status, the growing list of partners per gemeente, the XLSX round
trip and the follow-up plan with its terugblik.

May import ``plans`` (roles, history), ``beleidsplan`` (priorities, clusters, indicators),
``veiligheidsanalyse`` and ``analysis`` (the figures of the terugblik), ``catalogue`` (the
measures offered per theme) and ``areas``. ``documents`` imports this package, never the
other way round.
"""

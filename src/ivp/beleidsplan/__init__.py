"""Steps 3 and 4 of the method: the prioritering and the IVP itself. Owns the plan's
priorities (prioriteiten, possibly combining themes, at most 3–4 by the method), the
clusters of ongoing themes (overige strategische thema's), the chapters, sections and
annexes of the IVP in the plan's own shape (the method's seven chapters as the default) and
their numbering (``outline``),
the effect indicators with baseline and target, and the frozen versions of the content
(concept / vastgesteld door de raad).

May import ``plans`` (roles, history), ``analysis`` (baselines, target proposals),
``datasets``, ``catalogue``, ``areas`` and ``veiligheidsanalyse`` (the accepted
candidates and answers that pre-fill chapters). ``documents`` imports this package for the
IVP, the council handout and the slides; never the other way round.
"""

"""Step 2 of the method, the veiligheidsanalyse of a plan: the working group's answers to
the three questions per theme (field 1: the problem per theme, the current approach and the
extra per aspect of approach), its verdict, the plausible priorities per field, and its
decisions on the priority candidates ivp proposes.

Owns the models and services of that content, and the pages of step 2. The figures come
from :mod:`ivp.analysis.veiligheidsbeeld`; this package may import ``plans`` (roles,
history), ``analysis``, ``datasets`` (a plan's mapping), ``catalogue`` and ``areas``; the
report (``documents.analyserapport``) imports this package, never the other way round.
"""

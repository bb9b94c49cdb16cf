"""Pages of step 2, the veiligheidsanalyse: the overview of the five safety fields (a map
of the whole safety terrain with the priority candidates), one page per field with the
figures, chart, comparison and trend per theme and the working group's texts, and the
POST endpoints that save a text, the reference year or a decision on a candidate.

Views validate input and call ``services``; every figure comes from
``ivp.analysis.veiligheidsbeeld`` (through ``services.veiligheidsbeeld``, cached), so a
number on these pages is the number of ``ivp analyse`` and of the analysis report. The
numbers are formatted here for the active language (Dutch: thousands dot, decimal comma).
"""

from ivp.veiligheidsanalyse.views.gebied import gebied
from ivp.veiligheidsanalyse.views.overview import besluit, overview, peiljaar, vergelijking
from ivp.veiligheidsanalyse.views.veld import tekst, veld

__all__ = ["besluit", "gebied", "overview", "peiljaar", "tekst", "veld", "vergelijking"]

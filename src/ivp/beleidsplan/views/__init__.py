"""Pages of steps 3 and 4.

- **Prioritering** (``/plannen/<pk>/prioritering/``): the themes of the five fields with
  the signal of the analysis and the working group's decisions of step 2, the priorities
  (at most three à four, more only with a reason), the clusters of ongoing themes, the
  themes not placed yet and the resulting table of contents of the IVP.
- **IVP** (``/plannen/<pk>/ivp/``): the seven chapters, each saved on its own (a stale save
  keeps the user's input and shows the other version next to it), the parts of every
  priority and cluster, their effect indicators with a proposed target, and the frozen
  versions.

Views validate input and call ``services``; the figures come from the analysis of step 2
(``ivp.veiligheidsanalyse.services``) and are formatted here for the active language.
"""

from ivp.beleidsplan.views.common import DASH, PARTS, PROPOSAL_UNITS, num  # noqa: F401
from ivp.beleidsplan.views.indicators import indicator, indicator_toevoegen, standaardindicatoren  # noqa: F401
from ivp.beleidsplan.views.ivp import gereedheid, hoofdstuk, ivp, onderdeel, vastleggen  # noqa: F401
from ivp.beleidsplan.views.prioritering import (  # noqa: F401
    cluster,
    cluster_toevoegen,
    indelen,
    prioriteit,
    prioritering,
    verplaatsen,
    verwijderen,
)
from ivp.beleidsplan.views.shape import (  # noqa: F401
    deel,
    deel_verwijderen,
    hoofdstuk_toevoegen,
    hoofdstuk_verplaatsen,
    hoofdstuk_weglaten,
    opmaak,
    paragraaf,
    paragraaf_toevoegen,
    paragraaf_verplaatsen,
    paragraaf_verwijderen,
)

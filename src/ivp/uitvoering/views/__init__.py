"""Pages of step 5, the uitvoeringsplan (implementation plan), under
``/plannen/<pk>/uitvoering/``:

- the list of the implementation plans of the IVP per year, with the first plan and the
  follow-up plan for the next year;
- one plan per year: its texts and adoption, per priority and per cluster of ongoing themes
  a table of its items (onderdelen) with their measures as rows, edited in place with htmx
  (without JavaScript on a page of their own), moved, deleted, added by hand or from the
  theme library; the budgets and the status counts;
- the XLSX round trip: download, upload with a preview of what would change (nothing is
  stored), and "Wijzigingen doorvoeren" to apply it. The uploaded bytes wait in the
  session under a random single-use token.

Views validate input and call ``services``; a stale save keeps the user's input and shows
the other version next to it.
"""

from ivp.uitvoering.views.common import (  # noqa: F401
    CHANGED_EVENT,
    DASH,
    KINDS,
    MAX_PENDING_UPLOADS,
    PLANNING_FIELDS,
    SESSION_KEY,
    XLSX_TYPE,
    money,
)
from ivp.uitvoering.views.maatregelen import (  # noqa: F401
    catalogus,
    maatregel,
    maatregel_bewerken,
    maatregel_nieuw,
    maatregel_verwijderen,
    verplaatsen,
)
from ivp.uitvoering.views.overzicht import lijst, nieuw, vervolg  # noqa: F401
from ivp.uitvoering.views.partners import partners  # noqa: F401
from ivp.uitvoering.views.uitvoeringsplan import (  # noqa: F401
    detail,
    onderdeel,
    onderdeel_nieuw,
    onderdeel_verwijderen,
    teksten,
)
from ivp.uitvoering.views.xlsx import doorvoeren, inlezen, xlsx  # noqa: F401

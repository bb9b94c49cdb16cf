"""The startnotitie's standard texts (step 1): what a new plan starts from, in our own words
after the handbook's description of the steps. The coordinator edits them on the step-1 page
(``Plan.startnotitie_*``); the document (``documents.startnotitie``) uses the plan's text and,
for the products and the council's role, this standard text while the plan has none.

Plain Python: no models, nothing from other packages."""

from __future__ import annotations

# What each step delivers.
PRODUCTS = {
    1: "Startnotitie, samengestelde werkgroep en startbijeenkomst",
    2: "Veiligheidsanalyse: per thema probleem, huidige aanpak en gewenste extra inzet, "
    "met de plausibele prioriteiten per veiligheidsveld",
    3: "Voorstel van 3 à 4 prioriteiten en de overige strategische thema's, besproken met de raad",
    4: "Het integraal veiligheidsplan (IVP), vast te stellen door de gemeenteraad",
    5: "Het uitvoeringsplan voor het eerste jaar, vast te stellen door het college",
    6: "Voortgangsoverleggen, voortgangsrapportages en een jaarbeeld per uitvoeringsjaar",
}

DEFAULT_PRODUCTEN = "\n".join(f"Stap {n}: {PRODUCTS[n]}" for n in sorted(PRODUCTS))

DEFAULT_ROL_RAAD = (
    "De raad stelt de kaders: hij bespreekt de veiligheidsanalyse en de voorgestelde "
    "prioriteiten (stap 3) en stelt het integraal veiligheidsplan vast (stap 4). Het college "
    "stelt jaarlijks het uitvoeringsplan vast en informeert de raad over de voortgang.\n\n"
    "Deze startnotitie wordt vastgesteld door het college (of, waar gekozen, door de raad) en "
    "vormt de bestuurlijke opdracht voor de beleidsontwikkeling."
)

# field name → (heading in the document, standard text or "" when the plan must write it)
TEXTS: dict[str, tuple[str, str]] = {
    "startnotitie_producten": ("Op te leveren producten", DEFAULT_PRODUCTEN),
    "startnotitie_rol_raad": ("Rol van de gemeenteraad en besluitvorming", DEFAULT_ROL_RAAD),
    "startnotitie_capaciteit": ("Capaciteit en middelen", ""),
    "startnotitie_participatie": ("Betrekken van inwoners", ""),
    "startnotitie_samenhang": ("Samenhang met ander beleid", ""),
}


def text_of(plan, field: str) -> str:
    """The plan's text for ``field``, or the standard text while the plan has none."""
    own = (getattr(plan, field, "") or "").strip()
    return own or TEXTS[field][1]

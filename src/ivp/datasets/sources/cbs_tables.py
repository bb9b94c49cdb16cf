"""The CBS and politie tables ivp knows: identifier, title, host, licence and attribution.

Police tables are published by the politie through CBS "StatLine voor derden"
(``dataderden.cbs.nl``); CBS's own tables through ``opendata.cbs.nl``. Both are open data;
the attribution ivp shows with every figure is "Bron: CBS / Politie" (or "Bron: CBS").
"""

from __future__ import annotations

from dataclasses import dataclass

from ivp.datasets.sources import DatasetSpec

DATADERDEN = "dataderden.cbs.nl"
OPENDATA = "opendata.cbs.nl"

LICENTIE_POLITIE = (
    "Open data van de politie, gepubliceerd via CBS StatLine voor derden "
    "(data.politie.nl; ‘Copyright (c) Politie’); vrij te gebruiken met bronvermelding."
)
LICENTIE_CBS = "CBS open data, Creative Commons Naamsvermelding (CC BY 4.0)."
ATTRIBUTIE_POLITIE = "Bron: CBS / Politie"
ATTRIBUTIE_CBS = "Bron: CBS"


@dataclass(frozen=True)
class CbsTable:
    tabel_id: str
    titel: str
    host: str
    region_dimension: str = "RegioS"
    series_dimensions: tuple[str, ...] = ()
    primary_topic: str = ""

    @property
    def politie(self) -> bool:
        return self.host == DATADERDEN

    def dataset(self, toelichting: str = "") -> DatasetSpec:
        return DatasetSpec(
            key=self.tabel_id,
            titel=self.titel,
            bron="CBS / Politie" if self.politie else "CBS",
            tabel_id=self.tabel_id,
            url=f"https://{self.host}/ODataApi/OData/{self.tabel_id}",
            licentie=LICENTIE_POLITIE if self.politie else LICENTIE_CBS,
            attributie=ATTRIBUTIE_POLITIE if self.politie else ATTRIBUTIE_CBS,
            toelichting=toelichting,
        )


TABLES: dict[str, CbsTable] = {
    t.tabel_id.upper(): t
    for t in (
        CbsTable(
            "47018NED",
            "Geregistreerde misdrijven; soort misdrijf, wijk, buurt, jaarcijfers",
            DATADERDEN,
            region_dimension="WijkenEnBuurten",
            series_dimensions=("SoortMisdrijf",),
            primary_topic="GeregistreerdeMisdrijven_1",
        ),
        CbsTable(
            "47022NED",
            "Geregistreerde misdrijven; soort misdrijf, wijk, buurt, maandcijfers",
            DATADERDEN,
            region_dimension="WijkenEnBuurten",
            series_dimensions=("SoortMisdrijf",),
            primary_topic="GeregistreerdeMisdrijven_1",
        ),
        CbsTable(
            "47013NED",
            "Geregistreerde misdrijven en aangiften; soort misdrijf, gemeente",
            DATADERDEN,
            series_dimensions=("SoortMisdrijf",),
            primary_topic="GeregistreerdeMisdrijven_1",
        ),
        CbsTable(
            "47025NED",
            "Geregistreerde misdrijven; soort misdrijf, jaarcijfers (landelijk)",
            DATADERDEN,
            series_dimensions=("SoortMisdrijf",),
            primary_topic="GeregistreerdeMisdrijven_1",
        ),
        CbsTable(
            "47021NED",
            "Geregistreerde overlast; soort overlast, jaarcijfers (landelijk)",
            DATADERDEN,
            series_dimensions=("SoortOverlast",),
        ),
        CbsTable(
            "47024NED",
            "Geregistreerde overlast; soort overlast, wijk, buurt",
            DATADERDEN,
            region_dimension="WijkenEnBuurten",
            series_dimensions=("SoortOverlast",),
        ),
        CbsTable(
            "83648NED",
            "Geregistreerde criminaliteit; soort misdrijf, regio (stopgezet)",
            OPENDATA,
            series_dimensions=("SoortMisdrijf",),
            primary_topic="TotaalGeregistreerdeMisdrijven_1",
        ),
        CbsTable("70072NED", "Regionale kerncijfers Nederland", OPENDATA),
        CbsTable("85984NED", "Kerncijfers wijken en buurten 2024", OPENDATA, "WijkenEnBuurten"),
        CbsTable("37230NED", "Bevolkingsontwikkeling; regio per maand", OPENDATA),
        CbsTable(
            "81877NED",
            "Veiligheidsmonitor; (on)veiligheidsbeleving, regio",
            OPENDATA,
            series_dimensions=("Marges",),
        ),
        CbsTable(
            "81928NED",
            "Veiligheidsmonitor; contact met en oordeel over de politie, regio",
            OPENDATA,
            series_dimensions=("Marges",),
        ),
    )
}


def table(tabel_id: str) -> CbsTable | None:
    return TABLES.get((tabel_id or "").strip().upper())


def table_dataset(tabel_id: str, toelichting: str = "") -> DatasetSpec:
    """The dataset record of a known table, or a generic one for an unknown identifier."""
    known = table(tabel_id)
    if known:
        return known.dataset(toelichting)
    return DatasetSpec(
        key=tabel_id.upper(),
        titel=f"CBS-tabel {tabel_id}",
        bron="CBS",
        tabel_id=tabel_id.upper(),
        licentie=LICENTIE_CBS,
        attributie=ATTRIBUTIE_CBS,
        toelichting=toelichting,
    )

"""Resolve what a file says about a region — a CBS code or a StatLine label such as
``Groningen (PV)``, ``'s-Gravenhage (gemeente)`` or a buurt name — to a CBS region code.

Plain Python: the resolver is built from ``(code, name, gemeente)`` entries (the service
builds them from ``areas``; tests build them from the bundled metadata files).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ivp.areas.codes import RegioSoort, is_region_code, normalize_code, region_kind

_SUFFIX = re.compile(r"\s*\((PV|RE|LD|GM|gemeente|BT|PD|VR)\)\s*$", re.IGNORECASE)
_CODE_IN_LABEL = re.compile(r"\(((?:GM|WK|BU|PV|RE|VR|LD|NL)[0-9G]{2,8})\)\s*$", re.IGNORECASE)

# Names written differently in older or other CBS tables.
ALIASES = {
    "friesland": "fryslan",
    "den haag": "'s-gravenhage",
    "s-gravenhage": "'s-gravenhage",
    "s-hertogenbosch": "'s-hertogenbosch",
    "den bosch": "'s-hertogenbosch",
    "nuenen": "nuenen, gerwen en nederwetten",
}

_SUFFIX_KIND = {
    "pv": RegioSoort.PROVINCIE,
    "re": RegioSoort.POLITIE_EENHEID,
    "ld": RegioSoort.LANDSDEEL,
    "gemeente": RegioSoort.GEMEENTE,
    "gm": RegioSoort.GEMEENTE,
    "vr": RegioSoort.VEILIGHEIDSREGIO,
}

SOORT_REGIO_LABELS = {
    "gemeente": RegioSoort.GEMEENTE,
    "wijk": RegioSoort.WIJK,
    "buurt": RegioSoort.BUURT,
    "land": RegioSoort.LAND,
}


def simplify(name: str) -> str:
    """Lower case, no accents, single spaces, straight quotes."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").lower()
    return " ".join(text.split())


class RegionResolver:
    """Labels and codes to CBS codes. Ambiguous labels resolve to nothing, with a reason."""

    def __init__(self, entries: Iterable[tuple[str, str, str | None]] = ()) -> None:
        # (kind, simplified name, gemeente code or "") -> set of codes
        self._by_name: dict[tuple[RegioSoort, str, str], set[str]] = {}
        self._known: set[str] = set()
        self._gemeente_names: dict[str, str] = {}
        for code, name, gemeente in entries:
            self.add(code, name, gemeente)

    def add(self, code: str, name: str, gemeente: str | None = None) -> None:
        code = normalize_code(code)
        kind = region_kind(code)
        if kind is None:
            return
        self._known.add(code)
        key_gemeente = (gemeente or "") if kind in (RegioSoort.WIJK, RegioSoort.BUURT) else ""
        base = simplify(_SUFFIX.sub("", name))
        self._by_name.setdefault((kind, base, key_gemeente), set()).add(code)
        if kind is RegioSoort.GEMEENTE:
            self._gemeente_names[simplify(name)] = code

    @property
    def known_codes(self) -> set[str]:
        return self._known

    def is_known(self, code: str) -> bool:
        return code in self._known

    def gemeente_code(self, name: str) -> str | None:
        simple = simplify(_SUFFIX.sub("", name))
        simple = ALIASES.get(simple, simple)
        return self._gemeente_names.get(simple)

    def resolve(
        self,
        label: str,
        *,
        gemeentenaam: str | None = None,
        soort_regio: str | None = None,
    ) -> tuple[str | None, str | None]:
        """Return ``(code, None)`` or ``(None, reason)``.

        ``gemeentenaam`` and ``soort_regio`` are the extra columns of a 47018NED download
        (topics ``Gemeentenaam`` and ``Soort regio``) that make wijk and buurt names unique.
        """
        text = (label or "").strip()
        if not text:
            return None, "regio ontbreekt"
        code = normalize_code(text)
        if is_region_code(code):
            return code, None
        match = _CODE_IN_LABEL.search(text)
        if match and is_region_code(normalize_code(match.group(1))):
            return normalize_code(match.group(1)), None
        suffix = _SUFFIX.search(text)
        kinds: list[RegioSoort]
        if suffix:
            tag = suffix.group(1).lower()
            if tag in ("bt", "pd"):
                return None, (
                    f"‘{text}’ is een basisteam of district van de politie; daarvoor heeft het "
                    "CBS geen regiocode in deze tabel"
                )
            kinds = [_SUFFIX_KIND[tag]]
        elif soort_regio and simplify(soort_regio) in SOORT_REGIO_LABELS:
            kinds = [SOORT_REGIO_LABELS[simplify(soort_regio)]]
        else:
            kinds = [RegioSoort.LAND, RegioSoort.GEMEENTE, RegioSoort.WIJK, RegioSoort.BUURT]
        base = simplify(_SUFFIX.sub("", text))
        base = ALIASES.get(base, base)
        gemeente = self.gemeente_code(gemeentenaam) if gemeentenaam else None
        if base == "nederland":
            return "NL01", None
        candidates: set[str] = set()
        for kind in kinds:
            if kind in (RegioSoort.WIJK, RegioSoort.BUURT):
                if gemeente:
                    candidates |= self._by_name.get((kind, base, gemeente), set())
                elif not candidates:
                    # Without the gemeente a wijk/buurt name is only usable when unique.
                    for (k, name, _g), codes in self._by_name.items():
                        if k is kind and name == base:
                            candidates |= codes
            else:
                candidates |= self._by_name.get((kind, base, ""), set())
            if candidates and kind is RegioSoort.GEMEENTE:
                break
        if len(candidates) == 1:
            return next(iter(candidates)), None
        if not candidates:
            return None, f"onbekende regio ‘{text}’; gebruik de CBS-code (bijvoorbeeld GM0796)"
        listed = ", ".join(sorted(candidates)[:5])
        return None, f"‘{text}’ is niet eenduidig ({listed}); gebruik de CBS-code"

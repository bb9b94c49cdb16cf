"""Targets for effect indicators (step 4): will a realisation at the target be distinguishable
from the baseline? The band of the *difference*, and a proposed target from the trend and
the comparison group. Plain Python.

A target is judged the way its realisation will be: by the test of the realised count
against the baseline count (:func:`ivp.analysis.significance.compare_counts`, with the
series' dispersion). :func:`noise_band` gives the counts (and rates) a realisation can take
that the test would *not* tell from the baseline — "de gewone schommeling" of the
difference. A target inside it cannot show an effect, however the policy works: the figure
may reach it by chance, or miss it by chance. :func:`check_target` says which side of the
band a target lies.

(The band is wider than the spread of the baseline alone: both the baseline and the
realisation vary, and an overdispersed series varies more than a Poisson count. For a
baseline of 100 offences and Poisson variation, a fall to 75 is needed, not to 81.)

:func:`propose_target` (direction ≤, for crime; ≥ for a grade) follows the handbook's
advice on targets — balance realism and ambition, take the recent trend into account, look
at comparable gemeenten — as one documented rule:

1. start from the baseline; when the trend of the last five years is demonstrable, continue
   it to the target year (``projection``), else keep the baseline;
2. make it demonstrable: beyond the band of the baseline, i.e. at most the largest
   realisation the test would call a fall (for ≤);
3. keep it realistic: not below the first quartile (P25) of comparable gemeenten when the
   gemeente is above it now. When that cap lies inside the band, the proposal says so: then
   no target on this indicator alone can show an effect, and a composite indicator (more
   counts) is the better choice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ivp.analysis.series import Series, as_years
from ivp.analysis.significance import compare_counts
from ivp.analysis.trend import trend
from ivp.datasets.rates import PER, per_1000

ALPHA = 0.05
AT_MOST = "<="
AT_LEAST = ">="


def _nl(value: float, digits: int = 1) -> str:
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@dataclass(frozen=True)
class NoiseBand:
    """The realisations (as counts, and as rates with a base) that the test would not tell
    from the baseline: ``low_count`` … ``high_count``."""

    count: float
    low_count: float
    high_count: float
    base: float | None = None
    per: int = PER
    dispersion: float = 1.0

    @property
    def low(self) -> float:
        return per_1000(self.low_count, self.base, self.per) if self.base else self.low_count

    @property
    def high(self) -> float:
        return per_1000(self.high_count, self.base, self.per) if self.base else self.high_count

    @property
    def value(self) -> float:
        return per_1000(self.count, self.base, self.per) if self.base else self.count

    def to_count(self, value: float) -> float:
        """A target in the band's unit as a count."""
        return value * self.base / self.per if self.base else value


def _differs(baseline: int, realised: int, dispersion: float, dispersion_df, alpha) -> bool:
    test = compare_counts(
        baseline, realised, alpha=alpha, dispersion=dispersion, dispersion_df=dispersion_df
    )
    return test.significant


def noise_band(
    count: float,
    base: float | None = None,
    *,
    per: int = PER,
    alpha: float = ALPHA,
    dispersion: float = 1.0,
    dispersion_df: float | None = None,
) -> NoiseBand:
    """The band of the difference around a baseline ``count``: the lowest and highest
    realised count (on the same base) that the two-count test, with the series'
    ``dispersion``, would not call different from it."""
    if count is None or count < 0:
        raise ValueError("a noise band needs a count ≥ 0")
    c0 = int(round(count))

    def within(realised: int) -> bool:
        return realised + c0 == 0 or not _differs(c0, realised, dispersion, dispersion_df, alpha)

    # lowest count still within: search 0 … c0 (significance grows as the count falls)
    low, high = 0, c0
    if within(0):
        low_count = 0
    else:
        while high - low > 1:  # within(high) and not within(low)
            middle = (low + high) // 2
            if within(middle):
                high = middle
            else:
                low = middle
        low_count = high
    # highest count still within: grow until outside, then bisect
    step = max(1, c0)
    top = c0 + step
    while within(top):
        top += step
        step *= 2
    low, high = c0, top  # within(low), not within(high)
    while high - low > 1:
        middle = (low + high) // 2
        if within(middle):
            low = middle
        else:
            high = middle
    return NoiseBand(float(count), float(low_count), float(low), base, per, max(1.0, dispersion))


@dataclass(frozen=True)
class TargetCheck:
    outside_noise: bool
    text: str


def check_target(target: float, band: NoiseBand, direction: str = AT_MOST) -> TargetCheck:
    """Whether a realisation at ``target`` would differ demonstrably from the baseline, in
    the target's direction (the band is that of the difference, see :func:`noise_band`)."""
    if direction == AT_MOST:
        outside = band.to_count(target) < band.low_count - 1e-9
        edge, side = band.low, "onder"
    else:
        outside = band.to_count(target) > band.high_count + 1e-9
        edge, side = band.high, "boven"
    span = f"{_nl(band.low, 2)}–{_nl(band.high, 2)}"
    if outside:
        return TargetCheck(
            True,
            f"ligt buiten de gewone schommeling rond de uitgangswaarde ({span}): komt het "
            "cijfer op de streefwaarde uit, dan is dat een aantoonbare verandering",
        )
    return TargetCheck(
        False,
        f"ligt binnen de gewone schommeling rond de uitgangswaarde ({span}): ook zonder "
        f"effect kan het cijfer zo uitvallen; kies een streefwaarde {side} {_nl(edge, 2)} of "
        "een samengestelde indicator met meer aantallen",
    )


@dataclass(frozen=True)
class TargetProposal:
    value: float | None
    year: int
    direction: str
    baseline: float | None
    baseline_year: int
    reasons: tuple[str, ...]
    band: NoiseBand | None
    check: TargetCheck | None


def _demonstrable(band: NoiseBand, direction: str) -> float:
    """The nearest value (2 decimals, rounded away from the baseline) a realisation must
    reach to differ demonstrably from the baseline."""
    if direction == AT_MOST:
        count = band.low_count - 1
        value = per_1000(count, band.base, band.per) if band.base else count
        return math.floor(max(value, 0.0) * 100) / 100
    count = band.high_count + 1
    value = per_1000(count, band.base, band.per) if band.base else count
    return math.ceil(value * 100) / 100


def propose_target(
    counts: Series,
    baseline_year: int,
    target_year: int,
    *,
    base: Series | None = None,
    group_p25: float | None = None,
    direction: str = AT_MOST,
    per: int = PER,
    is_count: bool = True,
    dispersion: float = 1.0,
    dispersion_df: float | None = None,
) -> TargetProposal:
    """A target for ``target_year`` from the series up to ``baseline_year`` (rule in the
    module docstring). ``group_p25``: P25 of comparable gemeenten in the same unit;
    ``dispersion``: the series' φ (see :mod:`ivp.analysis.dispersion`)."""
    values = as_years(counts)
    bases = as_years(base) if base is not None else None
    count = values.get(baseline_year)
    own_base = bases.get(baseline_year) if bases else None
    if count is None:
        return TargetProposal(
            None,
            target_year,
            direction,
            None,
            baseline_year,
            (f"geen uitgangswaarde voor {baseline_year}",),
            None,
            None,
        )
    baseline = per_1000(count, own_base, per) if bases else count
    if baseline is None:
        return TargetProposal(
            None, target_year, direction, None, baseline_year, ("geen basis bekend",), None, None
        )
    reasons: list[str] = []
    years = target_year - baseline_year
    fitted = trend(
        values,
        base=bases,
        first_year=baseline_year - 4,
        last_year=baseline_year,
        is_count=is_count,
        dispersion=dispersion if is_count else None,
        dispersion_df=dispersion_df,
    )
    projection = baseline
    if fitted.significant and fitted.annual_percent is not None:
        projection = baseline * (1 + fitted.annual_percent / 100) ** years
        reasons.append(
            f"trend {fitted.period} {_nl(fitted.annual_percent, 1)}% per jaar (aantoonbaar), "
            f"doorgetrokken naar {target_year}: {_nl(projection, 2)}"
        )
    else:
        reasons.append(
            f"geen trend buiten de gewone schommeling ({fitted.period or 'te weinig jaren'})"
        )
    if not is_count:
        return TargetProposal(
            round(projection, 2),
            target_year,
            direction,
            baseline,
            baseline_year,
            (*reasons, "geen aantallen: geen gewone schommeling te berekenen"),
            None,
            None,
        )
    band = noise_band(count, own_base, per=per, dispersion=dispersion, dispersion_df=dispersion_df)
    value = projection
    if direction == AT_MOST:
        needed = _demonstrable(band, AT_MOST)
        if value > needed:
            value = needed
            reasons.append(
                "zo ver onder de uitgangswaarde dat het buiten de gewone schommeling valt "
                f"(bij {_nl(needed, 2)} of lager)"
            )
        if group_p25 is not None and baseline > group_p25 and value < group_p25:
            value = group_p25
            reasons.append(
                "niet lager dan het eerste kwartiel van vergelijkbare gemeenten "
                f"({_nl(group_p25, 2)})"
            )
    else:
        needed = _demonstrable(band, AT_LEAST)
        if value < needed:
            value = needed
            reasons.append(
                "zo ver boven de uitgangswaarde dat het buiten de gewone schommeling valt "
                f"(bij {_nl(needed, 2)} of hoger)"
            )
    value = round(value, 2)
    return TargetProposal(
        value,
        target_year,
        direction,
        baseline,
        baseline_year,
        tuple(reasons),
        band,
        check_target(value, band, direction),
    )

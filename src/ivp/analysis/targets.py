"""Targets for effect indicators (step 4): the normal random variation of a baseline, and a
proposed target from the trend and the comparison group. Plain Python.

A registered count varies from year to year by chance alone: with no real change, a
Poisson count with mean n lies within its 2.5 %–97.5 % quantiles 95 times in 100. A target
inside that band of the baseline cannot show an effect, however the policy works: the
figure may reach it by chance, or miss it by chance. :func:`noise_band` gives the band
(as counts and, with a base, as rates); :func:`check_target` says whether a target lies
outside it.

:func:`propose_target` (direction ≤, for crime; ≥ for a grade) follows the handbook's
advice on targets — balance realism and ambition, take the recent trend into account, look
at comparable gemeenten — as one documented rule:

1. start from the baseline; when the trend of the last five years is significant, continue
   it to the target year (``projection``), else keep the baseline;
2. make it demonstrable: at least beyond the noise band of the baseline (the band's low end
   for ≤), i.e. ``min(projection, band.low)``;
3. keep it realistic: not below the first quartile (P25) of comparable gemeenten when the
   gemeente is above it now (a strong fall rarely continues below what most gemeenten of
   its size reach). When that cap lies inside the noise band, the proposal says so: then no
   target on this indicator alone can show an effect, and a composite indicator (more
   counts) is the better choice.
"""

from __future__ import annotations

from dataclasses import dataclass

from scipy.stats import poisson

from ivp.analysis.rates import Series, as_years
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
    """The range the baseline's figure takes by chance alone (95 %)."""

    count: float
    low_count: float
    high_count: float
    base: float | None = None
    per: int = PER

    @property
    def low(self) -> float:
        return per_1000(self.low_count, self.base, self.per) if self.base else self.low_count

    @property
    def high(self) -> float:
        return per_1000(self.high_count, self.base, self.per) if self.base else self.high_count

    @property
    def value(self) -> float:
        return per_1000(self.count, self.base, self.per) if self.base else self.count


def noise_band(
    count: float, base: float | None = None, *, per: int = PER, alpha: float = ALPHA
) -> NoiseBand:
    """The Poisson band of a count (exact quantiles), and of its rate when ``base`` is given
    (the base of the baseline year is assumed for the target year too)."""
    if count is None or count < 0:
        raise ValueError("a noise band needs a count ≥ 0")
    low = float(poisson.ppf(alpha / 2, count)) if count > 0 else 0.0
    high = float(poisson.ppf(1 - alpha / 2, count)) if count > 0 else 0.0
    return NoiseBand(float(count), low, high, base, per)


@dataclass(frozen=True)
class TargetCheck:
    outside_noise: bool
    text: str


def check_target(target: float, band: NoiseBand, direction: str = AT_MOST) -> TargetCheck:
    """Whether ``target`` lies outside the chance band of the baseline in its direction."""
    if direction == AT_MOST:
        outside = target < band.low
        edge = band.low
        side = "onder"
    else:
        outside = target > band.high
        edge = band.high
        side = "boven"
    if outside:
        return TargetCheck(
            True,
            f"ligt buiten de toevalsmarge van de uitgangswaarde ({_nl(band.low, 2)}–"
            f"{_nl(band.high, 2)}): een bereikte streefwaarde wijst op een echte verandering",
        )
    return TargetCheck(
        False,
        f"ligt binnen de toevalsmarge van de uitgangswaarde ({_nl(band.low, 2)}–"
        f"{_nl(band.high, 2)}): ook zonder effect kan het cijfer zo uitvallen; kies een "
        f"streefwaarde {side} {_nl(edge, 2)} of een samengestelde indicator met meer aantallen",
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
) -> TargetProposal:
    """A target for ``target_year`` from the series up to ``baseline_year`` (rule in the
    module docstring). ``group_p25``: P25 of comparable gemeenten in the same unit."""
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
    )
    projection = baseline
    if fitted.significant and fitted.annual_percent is not None:
        projection = baseline * (1 + fitted.annual_percent / 100) ** years
        reasons.append(
            f"trend {fitted.period} {_nl(fitted.annual_percent, 1)}% per jaar (significant), "
            f"doorgetrokken naar {target_year}: {_nl(projection, 2)}"
        )
    else:
        reasons.append(f"geen aantoonbare trend ({fitted.period or 'te weinig jaren'})")
    if not is_count:
        return TargetProposal(
            round(projection, 2),
            target_year,
            direction,
            baseline,
            baseline_year,
            (*reasons, "geen aantallen: geen toevalsmarge te berekenen"),
            None,
            None,
        )
    band = noise_band(count, own_base, per=per)
    value = projection
    if direction == AT_MOST:
        if value >= band.low:
            value = band.low * 0.99
            reasons.append(
                f"onder de toevalsmarge van de uitgangswaarde (vanaf {_nl(band.low, 2)})"
            )
        if group_p25 is not None and baseline > group_p25 and value < group_p25:
            value = group_p25
            reasons.append(
                "niet lager dan het eerste kwartiel van vergelijkbare gemeenten "
                f"({_nl(group_p25, 2)})"
            )
    else:
        if value <= band.high:
            value = band.high * 1.01
            reasons.append(f"boven de toevalsmarge van de uitgangswaarde (tot {_nl(band.high, 2)})")
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

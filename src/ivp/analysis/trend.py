"""The multi-year trend of a count: Poisson regression of count on year. Plain Python
(numpy).

Model: ``log E[count_t] = log(base_t) + b0 + b1 * (t - mean year)``, a Poisson GLM with log
link, fitted by iteratively reweighted least squares (IRLS). With a base (inhabitants,
dwellings) its log is an offset, so ``b1`` is the trend of the *rate*; without a base, of the
count. ``exp(b1) - 1`` is the average annual change, reported in % with its 95 % interval and
the p-value of ``b1 = 0``.

Overdispersion: registered crime varies more than a pure Poisson process (police priorities,
registration changes, a single series of break-ins). The Pearson statistic divided by its
degrees of freedom, ``phi = X² / (n - 2)``, measures it.

- ``phi <= 1``: Poisson; Wald interval and p-value from the normal distribution.
- ``phi > 1``: **quasi-Poisson**: the same estimates, standard errors multiplied by
  ``sqrt(phi)``, interval and p-value from Student's t with ``n - 2`` degrees of freedom
  (as R's ``glm(family = quasipoisson)`` does).

A known dispersion can be given instead (``dispersion=``, ``dispersion_df=``): the
veiligheidsbeeld passes the series' dispersion of :mod:`ivp.analysis.dispersion`, estimated
on the years before the reference year and pooled with similar gemeenten, for the trend of
the last five years, where three residual degrees of freedom would make the own estimate
too unsteady to be of use. That trend is then tested with the quasi-score test
(:func:`score_statistic`), which holds its error rate on five skewed counts where the Wald
test is cautious; the interval stays Wald's.

Why quasi-Poisson and not negative binomial: a series has 5 to 14 yearly points; the extra
shape parameter of the negative binomial cannot be estimated reliably from so few points
(its estimate often runs off to infinity), while quasi-Poisson needs only ``phi``, keeps
the Poisson point estimate (the annual % does not depend on the choice) and widens the
interval in proportion to the extra variation. With the t distribution on ``n - 2``
degrees of freedom it is conservative for short series. Underdispersion (``phi < 1``) is not
credited: the Poisson error is the floor.

Withheld years (``None``) are left out and listed; provisional years are used and listed
(``exclude_provisional=True`` leaves them out). At least :data:`MIN_YEARS` (3) years with a
count are needed, and offences in at least two of them (with offences in one year only,
the maximum-likelihood slope is infinite); fewer than :data:`FEW_YEARS` (5) years is
flagged ``few_years``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from ivp.analysis import distributions as dist
from ivp.analysis.series import Series, YearKey, as_years, provisional_years, year_of

ALPHA = 0.05
MIN_YEARS = 3
FEW_YEARS = 5
MAX_ITERATIONS = 100
TOLERANCE = 1e-10


class Methode(StrEnum):
    POISSON = "poisson"
    QUASI_POISSON = "quasi-poisson"


class TrendRichting(StrEnum):
    STIJGEND = "stijgend"
    DALEND = "dalend"
    GEEN = "geen"  # no demonstrable trend
    ONBEKEND = "onbekend"  # not computable


TREND_VERDICTS = {
    TrendRichting.STIJGEND: "aantoonbaar stijgende trend",
    TrendRichting.DALEND: "aantoonbaar dalende trend",
    TrendRichting.GEEN: "geen trend buiten de gewone schommeling",
    TrendRichting.ONBEKEND: "geen trend te berekenen",
}


@dataclass(frozen=True)
class GlmFit:
    """A fitted log-linear Poisson model (IRLS)."""

    coefficients: tuple[float, ...]
    covariance: tuple[tuple[float, ...], ...]  # unscaled (Poisson) covariance
    fitted: tuple[float, ...]
    deviance: float
    pearson_chi2: float
    df_resid: int
    iterations: int
    converged: bool


def fit_poisson(
    y: Iterable[float], x: Iterable[Iterable[float]], offset: Iterable[float] | None = None
) -> GlmFit:
    """Fit ``log mu = X b + offset`` to counts ``y`` by IRLS (Newton's method; the log link
    is canonical, so both coincide). ``x`` is the design matrix (rows = observations)."""
    counts = np.asarray(list(y), dtype=float)
    design = np.asarray([list(row) for row in x], dtype=float)
    off = np.zeros_like(counts) if offset is None else np.asarray(list(offset), dtype=float)
    n, p = design.shape
    mu = (counts + counts.mean()) / 2 + 0.1
    eta = np.log(mu)
    deviance_old = math.inf
    beta = np.zeros(p)
    converged = False
    iterations = 0
    for iterations in range(1, MAX_ITERATIONS + 1):  # noqa: B007
        z = eta - off + (counts - mu) / mu
        w = mu
        xtw = design.T * w
        beta = np.linalg.solve(xtw @ design, xtw @ z)
        eta = design @ beta + off
        mu = np.exp(eta)
        deviance = _deviance(counts, mu)
        if abs(deviance - deviance_old) <= TOLERANCE * (abs(deviance) + 0.1):
            converged = True
            break
        deviance_old = deviance
    covariance = np.linalg.inv((design.T * mu) @ design)
    pearson = float(np.sum((counts - mu) ** 2 / mu))
    return GlmFit(
        coefficients=tuple(float(b) for b in beta),
        covariance=tuple(tuple(float(v) for v in row) for row in covariance),
        fitted=tuple(float(m) for m in mu),
        deviance=float(_deviance(counts, mu)),
        pearson_chi2=pearson,
        df_resid=n - p,
        iterations=iterations,
        converged=converged,
    )


def _deviance(y: np.ndarray, mu: np.ndarray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(y > 0, y * np.log(y / mu), 0.0)
    return float(2 * np.sum(term - (y - mu)))


@dataclass(frozen=True)
class Trend:
    """The trend of one series over its years."""

    years: tuple[int, ...]  # the years used
    counts: tuple[float, ...]
    bases: tuple[float, ...] | None
    methode: Methode | None
    annual_percent: float | None  # average change per year, %
    ci_low: float | None  # 95 % interval of the annual %, at level 1 - alpha
    ci_high: float | None
    p_value: float | None
    dispersion: float | None  # Pearson X² / df (None with 2 points)
    slope: float | None  # b1, log scale per year
    se: float | None  # of b1, after scaling
    df: int
    fitted: tuple[float, ...]  # expected counts per year used
    alpha: float
    richting: TrendRichting
    excluded: tuple[tuple[int, str], ...] = ()  # (year, reason) left out
    provisional: tuple[int, ...] = ()  # provisional years used
    reason: str = ""

    @property
    def significant(self) -> bool:
        return self.richting in (TrendRichting.STIJGEND, TrendRichting.DALEND)

    @property
    def few_years(self) -> bool:
        return len(self.years) < FEW_YEARS

    @property
    def verdict(self) -> str:
        text = TREND_VERDICTS[self.richting]
        return f"{text} ({self.reason})" if self.richting is TrendRichting.ONBEKEND else text

    @property
    def period(self) -> str:
        return f"{self.years[0]}–{self.years[-1]}" if self.years else ""


def slope_inference(
    slope: float, se: float, phi: float | None, phi_df: float | None, alpha: float = ALPHA
) -> tuple[Methode, float, float, float]:
    """(method, scaled se, quantile, two-sided p) of a Poisson slope with dispersion ``phi``
    estimated on ``phi_df`` degrees of freedom (None: known): quasi-Poisson (se × √φ, t on
    ``phi_df``) when φ > 1, else Poisson (normal); underdispersion is not credited."""
    if phi is not None and phi > 1:
        scaled = se * math.sqrt(phi)
        df = math.inf if phi_df is None else phi_df
        quantile = dist.t_isf(alpha / 2, df)
        p_value = float(dist.two_sided_t(slope / scaled, df))
        return Methode.QUASI_POISSON, scaled, quantile, p_value
    quantile = dist.norm_isf(alpha / 2)
    return Methode.POISSON, se, quantile, float(dist.two_sided_t(slope / se, math.inf))


def score_statistic(
    counts: list[float], years: list[int], exposures: list[float] | None = None
) -> float:
    """The score statistic of a log-linear trend under the null of a constant rate
    (Poisson; divide by √φ for overdispersion): ``μ₀ = e·Σy/Σe``,
    ``z = Σ (t − t̄)(y − μ₀) / √Σ μ₀(t − t̄)²`` with ``t̄`` weighted by ``μ₀``. Its variance
    does not depend on the fitted slope, which keeps the test of five skewed counts at its
    nominal level where the Wald test is cautious (``bench/bench_calibration.py``)."""
    e = exposures if exposures is not None else [1.0] * len(counts)
    total_e = sum(e)
    mu0 = [sum(counts) * x / total_e for x in e]
    if not sum(mu0):
        return 0.0
    centre = sum(m * t for m, t in zip(mu0, years, strict=True)) / sum(mu0)
    u = sum((t - centre) * (y - m) for t, y, m in zip(years, counts, mu0, strict=True))
    v = sum(m * (t - centre) ** 2 for m, t in zip(mu0, years, strict=True))
    return u / math.sqrt(v) if v > 0 else 0.0


def _empty(years, counts, bases, alpha, excluded, provisional, reason) -> Trend:
    return Trend(
        years=tuple(years),
        counts=tuple(counts),
        bases=bases,
        methode=None,
        annual_percent=None,
        ci_low=None,
        ci_high=None,
        p_value=None,
        dispersion=None,
        slope=None,
        se=None,
        df=max(0, len(years) - 2),
        fitted=(),
        alpha=alpha,
        richting=TrendRichting.ONBEKEND,
        excluded=tuple(excluded),
        provisional=tuple(provisional),
        reason=reason,
    )


def trend(
    counts: Series,
    *,
    base: Series | None = None,
    first_year: YearKey | None = None,
    last_year: YearKey | None = None,
    provisional: Mapping[YearKey, str] | Iterable[YearKey] | None = None,
    exclude_provisional: bool = False,
    alpha: float = ALPHA,
    is_count: bool = True,
    dispersion: float | None = None,
    dispersion_df: float | None = None,
) -> Trend:
    """The trend of ``counts`` from ``first_year`` to ``last_year`` (default: all years).

    With ``base`` the trend is of the rate (offset log base); a year without a base is then
    left out with the reason. ``is_count=False`` (a grade, a percentage): no trend, with the
    reason; a Poisson model is for counts. ``dispersion``: a known φ (on ``dispersion_df``
    degrees of freedom; None: exact) instead of the fit's own Pearson estimate.
    """
    values = as_years(counts)
    bases = as_years(base) if base is not None else None
    flagged = provisional_years(provisional)
    low = year_of(first_year) if first_year is not None else -math.inf
    high = year_of(last_year) if last_year is not None else math.inf
    years: list[int] = []
    ys: list[float] = []
    es: list[float] = []
    excluded: list[tuple[int, str]] = []
    for year, count in values.items():
        if not low <= year <= high:
            continue
        if count is None:
            excluded.append((year, "niet gepubliceerd"))
            continue
        if exclude_provisional and year in flagged:
            excluded.append((year, "voorlopig"))
            continue
        if bases is not None:
            b = bases.get(year)
            if b is None or b <= 0:
                excluded.append((year, "geen basis bekend"))
                continue
            es.append(b)
        years.append(year)
        ys.append(count)
    used_provisional = [y for y in years if y in flagged]
    exposure = tuple(es) if bases is not None else None
    if not is_count:
        return _empty(years, ys, exposure, alpha, excluded, used_provisional, "geen aantallen")
    if len(years) < MIN_YEARS:
        return _empty(
            years,
            ys,
            exposure,
            alpha,
            excluded,
            used_provisional,
            f"minder dan {MIN_YEARS} jaren met een cijfer",
        )
    if sum(1 for y in ys if y > 0) < 2:
        # With offences in one year only the maximum-likelihood slope is infinite.
        return _empty(
            years,
            ys,
            exposure,
            alpha,
            excluded,
            used_provisional,
            "in hoogstens één jaar misdrijven" if sum(ys) else "in alle jaren 0",
        )
    centre = sum(years) / len(years)
    design = [(1.0, year - centre) for year in years]
    offset = [math.log(e) for e in es] if exposure is not None else None
    fit = fit_poisson(ys, design, offset)
    df = fit.df_resid
    own = fit.pearson_chi2 / df if df > 0 else None
    slope = fit.coefficients[1]
    se = math.sqrt(fit.covariance[1][1])
    phi, phi_df = (own, float(df)) if dispersion is None else (dispersion, dispersion_df)
    inference = slope_inference(slope, se, phi, phi_df, alpha)
    methode, se, quantile, p_value = inference
    if dispersion is not None:
        # a given dispersion: the quasi-score test (see score_statistic), Wald's interval
        z = score_statistic(ys, years, es if exposure is not None else None)
        scale = math.sqrt(phi) if phi > 1 else 1.0
        df_t = math.inf if phi <= 1 or phi_df is None else phi_df
        p_value = float(dist.two_sided_t(z / scale, df_t))
    dispersion = phi
    if p_value < alpha:
        richting = TrendRichting.STIJGEND if slope > 0 else TrendRichting.DALEND
    else:
        richting = TrendRichting.GEEN
    return Trend(
        years=tuple(years),
        counts=tuple(ys),
        bases=exposure,
        methode=methode,
        annual_percent=math.expm1(slope) * 100,
        ci_low=math.expm1(slope - quantile * se) * 100,
        ci_high=math.expm1(slope + quantile * se) * 100,
        p_value=p_value,
        dispersion=dispersion,
        slope=slope,
        se=se,
        df=df,
        fitted=fit.fitted,
        alpha=alpha,
        richting=richting,
        excluded=tuple(excluded),
        provisional=tuple(used_provisional),
        reason="" if fit.converged else "schatting niet geconvergeerd",
    )

"""The analysis of one kind of series (an offence category, a theme's or a field's sum) for
many gemeenten at once: arrays in, arrays out. Plain numpy.

A :class:`Panel` holds the counts of every region (rows) and year (columns) of one series
kind with the inhabitants; :func:`analyse` computes, for the rows in ``targets`` and one
reference year, everything the veiligheidsbeeld reports: the change against the previous
year and the three-year mean with their tests, the dispersion, the trend of the last five
years and of all years, the run of worsening years, and the comparison with each group
(median, quartiles, rank, percentile, funnel limits). The same function serves one gemeente
(its group members are rows of the panel too) and a batch of 342: a batch is one call per
series kind instead of ~20,000 calls per gemeente and series (docs/analysis.md, "Speed").

Conventions are those of :mod:`ivp.analysis.change`, :mod:`~ivp.analysis.trend` and
:mod:`~ivp.analysis.benchmark`: NaN is a withheld or absent figure, never 0; a rate needs a
base (no rate before a boundary change); the three-year mean needs all three years.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ivp.analysis import dispersion as disp
from ivp.analysis import distributions as dist
from ivp.analysis.funnel import FunnelArrays, funnel
from ivp.analysis.glm import fit_rows, polynomial_design
from ivp.analysis.significance import TestArrays, two_count_arrays

PER = 1000
TREND_WINDOW = 5
MEAN_YEARS = 3
SMALL_COUNT = 100
MIN_TREND_YEARS = 3


@dataclass
class Panel:
    """One series kind: counts (R × T, NaN = withheld or absent), whether a figure exists at
    all (``present``: a withheld figure is present, an absent one is not) and the base
    (inhabitants, NaN where unknown or before a boundary change)."""

    years: np.ndarray  # T ints
    counts: np.ndarray
    present: np.ndarray
    base: np.ndarray

    def column(self, year: int) -> int:
        found = np.nonzero(self.years == year)[0]
        if not found.size:
            raise KeyError(year)
        return int(found[0])


@dataclass(frozen=True)
class TrendArrays:
    used: np.ndarray  # G × T bool: the years in the fit
    slope: np.ndarray
    se: np.ndarray  # scaled by √φ where φ > 1
    p_value: np.ndarray
    p_up: np.ndarray
    p_down: np.ndarray
    quasi: np.ndarray  # bool: quasi-Poisson (φ > 1)
    dispersion: np.ndarray  # φ reported (own Pearson for the long trend)
    df: np.ndarray  # residual df of the fit
    phi_df: np.ndarray  # df of φ (inf: known / Poisson)
    ci_low: np.ndarray  # annual %
    ci_high: np.ndarray
    fitted: np.ndarray  # G × T
    reason: np.ndarray  # 0 ok, 1 too few years, 2 offences in one year only, 3 all zero


@dataclass(frozen=True)
class ChangeArrays:
    count: np.ndarray
    earlier_count: np.ndarray  # the previous year's count, or the three years' mean
    earlier_total: np.ndarray
    rate: np.ndarray
    earlier_rate: np.ndarray
    exposure: np.ndarray  # of the year (1 without base)
    earlier_exposure: np.ndarray
    base_fallback: np.ndarray  # bool: rates missing, tested on counts
    missing_years: np.ndarray  # G × k bool: earlier years withheld or absent
    test: TestArrays


@dataclass(frozen=True)
class GroupArrays:
    name: str
    members: np.ndarray  # G × m row indices of the other members (−1: none)
    values: np.ndarray  # G × m their rates in the year (NaN: none)
    missing: np.ndarray  # G × m bool: member without a rate
    boundary: np.ndarray  # G × m bool: member with a count but no rate (boundary change)
    n: np.ndarray
    median: np.ndarray
    p25: np.ndarray
    p75: np.ndarray
    minimum: np.ndarray
    maximum: np.ndarray
    rank: np.ndarray  # NaN without own value
    percentile: np.ndarray
    ratio: np.ndarray
    funnel: FunnelArrays | None
    # the members (and the gemeente) taken as one area, for groups given as ``pooled``
    pooled_rate: np.ndarray | None = None  # rate in the year
    pooled_change: np.ndarray | None = None  # % against the year before, same members
    pooled_left: np.ndarray | None = None  # G × (m + 1) members left out (own first)


@dataclass(frozen=True)
class KindArrays:
    """The results of :func:`analyse` for the G target rows."""

    targets: np.ndarray
    year: int
    col: int
    counts: np.ndarray  # G × T
    present: np.ndarray
    rates: np.ndarray
    base: np.ndarray
    previous: ChangeArrays
    mean: ChangeArrays
    dispersion: disp.Dispersion
    trend: TrendArrays
    long_trend: TrendArrays
    streak: np.ndarray  # length of the run of worsening years ending in the year
    streak_test: TestArrays
    groups: tuple[GroupArrays, ...] = field(default_factory=tuple)


# -- helpers ---------------------------------------------------------------------------


def _rates(counts: np.ndarray, base: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.isfinite(base) & (base > 0), counts / base * PER, np.nan)


def sorted_quantiles(values: np.ndarray, qs) -> list[np.ndarray]:
    """Quantiles along axis 1 ignoring NaN (linear interpolation, numpy's default)."""
    ordered = np.sort(values, axis=1)
    n = np.sum(np.isfinite(values), axis=1)
    rows = np.arange(values.shape[0])
    result = []
    for q in qs:
        position = q * np.maximum(n - 1, 0)
        lower = np.floor(position).astype(int)
        upper = np.minimum(lower + 1, np.maximum(n - 1, 0))
        if values.shape[1] == 0:
            result.append(np.full(values.shape[0], np.nan))
            continue
        low = ordered[rows, lower]
        high = ordered[rows, upper]
        result.append(np.where(n > 0, low + (high - low) * (position - lower), np.nan))
    return result


# -- change ----------------------------------------------------------------------------


def _change(
    counts: np.ndarray,
    base: np.ndarray,
    col: int,
    earlier: list[int],
    phi: np.ndarray,
    phi_df: np.ndarray,
) -> ChangeArrays:
    g = counts.shape[0]
    count = counts[:, col] if col >= 0 else np.full(g, np.nan)
    cols = [c for c in earlier if c >= 0]
    k = len(earlier)
    earlier_counts = np.full((g, k), np.nan)
    earlier_bases = np.full((g, k), np.nan)
    for i, c in enumerate(earlier):
        if c >= 0:
            earlier_counts[:, i] = counts[:, c]
            earlier_bases[:, i] = base[:, c]
    missing = ~np.isfinite(earlier_counts)
    any_missing = missing.any(axis=1)
    total = np.where(any_missing, np.nan, np.nansum(earlier_counts, axis=1))
    earlier_count = total / k
    rate = _rates(count, base[:, col]) if col >= 0 else np.full(g, np.nan)
    earlier_rates = _rates(earlier_counts, earlier_bases)
    rates_ok = np.isfinite(rate) & np.all(np.isfinite(earlier_rates), axis=1)
    earlier_rate = np.where(rates_ok, np.mean(earlier_rates, axis=1), np.nan)
    exposure = np.where(rates_ok, base[:, col] if col >= 0 else 1.0, 1.0)
    earlier_exposure = np.where(rates_ok, np.sum(earlier_bases, axis=1), float(k))
    fallback = ~rates_ok & np.isfinite(count) & ~any_missing
    test = two_count_arrays(total, count, earlier_exposure, exposure, phi, phi_df)
    del cols
    return ChangeArrays(
        count=count,
        earlier_count=earlier_count,
        earlier_total=total,
        rate=np.where(np.isfinite(rate), rate, np.nan),
        earlier_rate=earlier_rate,
        exposure=exposure,
        earlier_exposure=earlier_exposure,
        base_fallback=fallback,
        missing_years=missing,
        test=test,
    )


# -- trend ------------------------------------------------------------------------------


def trend_arrays(
    counts: np.ndarray,
    base: np.ndarray,
    years: np.ndarray,
    window: np.ndarray,
    phi: np.ndarray | None = None,
    phi_df: np.ndarray | None = None,
    *,
    prior: np.ndarray | None = None,
    prior_df: np.ndarray | None = None,
    score_test: bool = False,
) -> TrendArrays:
    """Log-linear Poisson trends of the rows over the years in ``window`` (G × T bool),
    with the rate's offset where the base is known (a year without base is left out).
    ``phi``: the dispersion to use (None: each fit's own Pearson estimate, quasi-Poisson
    on its residual df, shrunk towards ``prior`` with weight ``prior_df`` when given).
    ``score_test``: the p-value of the quasi-score test (:func:`score_z`) instead of the
    Wald test; the interval stays Wald's."""
    g, t = counts.shape
    with_base = np.isfinite(base) & (base > 0)
    used = window & np.isfinite(counts) & with_base
    n = used.sum(axis=1)
    positives = (used & (counts > 0)).sum(axis=1)
    reason = np.zeros(g, dtype=np.int8)
    reason[n < MIN_TREND_YEARS] = 1
    reason[(reason == 0) & (positives < 2)] = 2
    reason[(reason == 2) & (positives == 0)] = 3
    ok = reason == 0
    centre = np.where(n > 0, (used * years).sum(axis=1) / np.maximum(n, 1), 0.0)
    design = polynomial_design(years.astype(float), centre, 1)
    offset = np.where(with_base, np.log(np.where(with_base, base, 1.0)), 0.0)
    fits = fit_rows(counts, design, used & ok[:, None], offset)
    slope = np.where(ok, fits.coefficients[:, 1], np.nan)
    se0 = np.sqrt(fits.covariance[:, 1, 1])
    df = np.where(ok, n - 2, 0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        own = np.where(df > 0, fits.pearson / df, np.nan)
    if phi is None and prior is not None:
        level = np.where(n > 0, (np.where(used, counts, 0.0)).sum(axis=1) / np.maximum(n, 1), 0.0)
        w = np.where(np.isfinite(own), df * 2 * level / (2 * level + 1), 0.0)
        d0 = np.where(np.isfinite(prior), prior_df, 0.0)
        total = w + d0
        with np.errstate(invalid="ignore", divide="ignore"):
            reported = np.where(
                total > 0,
                (w * np.nan_to_num(own) + d0 * np.nan_to_num(prior)) / np.maximum(total, 1e-12),
                np.nan,
            )
        use_phi = reported
        phi_df_used = np.where(total > 0, total, np.inf)
    elif phi is None:
        reported = own
        use_phi = own
        phi_df_used = df
    else:
        reported = np.asarray(phi, dtype=float)
        use_phi = reported
        phi_df_used = np.asarray(phi_df, dtype=float)
    quasi = ok & np.isfinite(use_phi) & (use_phi > 1)
    scale = np.where(quasi, np.sqrt(np.where(quasi, use_phi, 1.0)), 1.0)
    se = np.where(ok, se0 * scale, np.nan)
    tdf = np.where(quasi, np.where(np.isfinite(phi_df_used), phi_df_used, np.inf), np.inf)
    tdf = np.where(quasi & (tdf <= 0), np.inf, tdf)
    with np.errstate(invalid="ignore", divide="ignore"):
        if score_test:
            stat = np.where(ok, score_z(counts, base, years, used & ok[:, None]) / scale, 0.0)
        else:
            stat = np.where(ok, slope / se, 0.0)
    p_up = np.where(ok, dist.t_sf(stat, tdf), np.nan)
    p_down = np.where(ok, dist.t_sf(-stat, tdf), np.nan)
    p_value = np.minimum(1.0, 2 * np.minimum(p_up, p_down))
    quantile = dist.t_quantile_975(tdf)
    ci_low = np.where(ok, np.expm1(slope - quantile * se) * 100, np.nan)
    ci_high = np.where(ok, np.expm1(slope + quantile * se) * 100, np.nan)
    return TrendArrays(
        used=used,
        slope=slope,
        se=se,
        p_value=p_value,
        p_up=p_up,
        p_down=p_down,
        quasi=quasi,
        dispersion=np.where(ok, reported, np.nan),
        df=df,
        phi_df=np.where(quasi, tdf, np.inf),
        ci_low=ci_low,
        ci_high=ci_high,
        fitted=fits.fitted,
        reason=reason,
    )


def score_z(counts: np.ndarray, base: np.ndarray, years: np.ndarray, used: np.ndarray):
    """The score statistic of a log-linear trend per row, under the null of a constant
    rate (Poisson; divide by √φ for overdispersion): with ``μ₀ = e·Σy/Σe``,
    ``z = Σ (t − t̄)(y − μ₀) / √Σ μ₀ (t − t̄)²``, ``t̄`` weighted by ``μ₀``. Unlike the Wald
    statistic its variance does not depend on the fitted slope, which keeps a test of five
    skewed counts at its nominal level (docs/analysis.md)."""
    with_base = np.isfinite(base) & (base > 0)
    y = np.where(used, counts, 0.0)
    e = np.where(used, np.where(with_base, base, 1.0), 0.0)
    t = np.where(used, years[None, :].astype(float), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mu0 = y.sum(axis=1, keepdims=True) * e / e.sum(axis=1, keepdims=True)
        centre = (mu0 * t).sum(axis=1) / mu0.sum(axis=1)
        x = np.where(used, t - centre[:, None], 0.0)
        return (x * (y - mu0)).sum(axis=1) / np.sqrt((mu0 * x**2).sum(axis=1))


# -- streak -------------------------------------------------------------------------------


def _streak(values: np.ndarray, col: int, worse: int) -> np.ndarray:
    g = values.shape[0]
    length = np.zeros(g, dtype=int)
    alive = np.ones(g, dtype=bool)
    for c in range(col, 0, -1):
        now, before = values[:, c], values[:, c - 1]
        step = np.isfinite(now) & np.isfinite(before) & ((now - before) * worse > 0)
        alive &= step
        if not alive.any():
            break
        length += alive
    return length


# -- groups -------------------------------------------------------------------------------


def _group(
    name: str,
    members: np.ndarray,
    targets: np.ndarray,
    rates_col: np.ndarray,
    counts_col: np.ndarray,
    base_col: np.ndarray,
    own_rate: np.ndarray,
    own_count: np.ndarray,
    own_base: np.ndarray,
    own_phi: np.ndarray,
    own_dispersion: disp.OwnDispersion,
    dispersion: disp.Dispersion,
    higher_is_worse: bool,
) -> GroupArrays:
    valid = (members >= 0) & (members != targets[:, None])
    index = np.where(valid, members, 0)
    values = np.where(valid, rates_col[index], np.nan)
    counts = np.where(valid, counts_col[index], np.nan)
    bases = np.where(valid, base_col[index], np.nan)
    # each member's own dispersion, shrunk towards the gemeente's pool as the gemeente's
    # own is: the funnel's within-variances must be estimated alike for all
    w_j = np.where(valid, own_dispersion.weight[index], 0.0)
    phi_j = np.where(valid & (w_j > 0), own_dispersion.phi[index], 0.0)
    d0 = np.where(np.isfinite(dispersion.prior), dispersion.prior_df, 0.0)[:, None]
    prior = np.nan_to_num(dispersion.prior, nan=1.0)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        phis = np.where(
            (w_j + d0) > 0, (w_j * phi_j + d0 * prior) / np.maximum(w_j + d0, 1e-12), 1.0
        )
    phis = np.where(valid, np.maximum(phis, 1.0), np.nan)
    missing = valid & ~np.isfinite(values)
    boundary = missing & np.isfinite(counts)
    members_out = np.where(valid, members, -1)
    n = np.isfinite(values).sum(axis=1)
    p25, median, p75 = sorted_quantiles(values, (0.25, 0.5, 0.75))
    with np.errstate(invalid="ignore", all="ignore"):
        minimum = np.where(
            n > 0, np.nanmin(np.where(np.isfinite(values), values, np.inf), axis=1), np.nan
        )
        maximum = np.where(
            n > 0, np.nanmax(np.where(np.isfinite(values), values, -np.inf), axis=1), np.nan
        )
        higher = np.sum(values > own_rate[:, None], axis=1)
        lower = np.sum(values < own_rate[:, None], axis=1)
    own_ok = np.isfinite(own_rate) & (n > 0)
    equal = n - higher - lower
    rank = np.where(own_ok, higher + 1, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        percentile = np.where(own_ok, (lower + 0.5 * equal) / np.maximum(n, 1) * 100, np.nan)
        ratio = np.where(own_ok & (median != 0), own_rate / median, np.nan)
    result = funnel(own_count, own_base, own_phi, counts, bases, phis, median)
    del higher_is_worse
    return GroupArrays(
        name=name,
        members=members_out,
        values=values,
        missing=missing,
        boundary=boundary,
        n=n,
        median=median,
        p25=p25,
        p75=p75,
        minimum=minimum,
        maximum=maximum,
        rank=rank,
        percentile=percentile,
        ratio=ratio,
        funnel=result,
    )


# -- the analysis ------------------------------------------------------------------------


def analyse(
    panel: Panel,
    year: int,
    targets: np.ndarray,
    *,
    own_years: np.ndarray | None = None,
    dispersion_members: np.ndarray | None = None,
    groups: tuple[tuple[str, np.ndarray], ...] = (),
    pooled: tuple[str, ...] = (),
    higher_is_worse: bool = True,
    trend_window: int = TREND_WINDOW,
) -> KindArrays:
    """Everything for the ``targets`` rows of ``panel`` in reference ``year``.
    ``own_years`` (R × T bool): the years each region has figures at all (default: where
    this series is present); later years are never used. ``dispersion_members``: per
    target the rows its dispersion is pooled with (len(targets) × m, −1 = none);
    ``groups``: (name, len(targets) × m member rows) per comparison group; the groups named
    in ``pooled`` also give the rate of all their members (the gemeente included) taken as
    one area (a reference area, e.g. the politie-eenheid)."""
    years = panel.years
    col = panel.column(year)
    before = years <= year
    own = panel.present if own_years is None else own_years
    visible = own & before[None, :]
    counts_all = np.where(visible, panel.counts, np.nan)
    base_all = panel.base
    g = len(targets)
    counts = counts_all[targets]
    base = base_all[targets]
    present = panel.present[targets] & visible[targets]
    rates = _rates(counts, base)

    # dispersion: all rows (the pool), from the counts of the years before the reference
    # year; the quadratic absorbs a smooth change of population, so no offset is needed and
    # years before a boundary change (no rate, but a count) still count
    usable = np.isfinite(counts_all) & (years < year)[None, :]
    own_disp = disp.own_dispersion(counts_all, usable, years)
    members = dispersion_members if dispersion_members is not None else np.full((g, 0), -1)
    prior, prior_df = disp.pooled(own_disp, targets, members)
    dispersion = disp.combine(own_disp, targets, prior, prior_df)
    phi, phi_df = dispersion.phi, dispersion.df

    previous = _change(counts, base, col, [col - 1 if col >= 1 else -1], phi, phi_df)
    earlier = [col - k if col - k >= 0 else -1 for k in range(MEAN_YEARS, 0, -1)]
    mean = _change(counts, base, col, earlier, phi, phi_df)

    window = ((years > year - trend_window) & before)[None, :] & present
    trend = trend_arrays(counts, base, years, window, np.maximum(phi, 1.0), phi_df, score_test=True)
    long_trend = trend_arrays(
        counts,
        base,
        years,
        before[None, :] & present,
        prior=dispersion.prior,
        prior_df=dispersion.prior_df,
    )

    worse = 1 if higher_is_worse else -1
    streak = _streak(np.where(present, rates, np.nan), col, worse)
    start = col - streak
    rows = np.arange(g)
    start_count = np.where(streak > 0, counts[rows, start], np.nan)
    start_base = np.where(streak > 0, base[rows, start], np.nan)
    streak_test = two_count_arrays(
        start_count, counts[:, col], start_base, base[:, col], phi, phi_df
    )

    rates_col = _rates(counts_all[:, col], base_all[:, col])
    group_arrays = tuple(
        _with_pooled(
            _group(
                name,
                member_rows,
                targets,
                rates_col,
                counts_all[:, col],
                base_all[:, col],
                rates[:, col],
                counts[:, col],
                base[:, col],
                np.maximum(phi, 1.0),
                own_disp,
                dispersion,
                higher_is_worse,
            ),
            member_rows,
            targets,
            counts_all,
            base_all,
            col,
            name in pooled,
        )
        for name, member_rows in groups
    )
    return KindArrays(
        targets=targets,
        year=year,
        col=col,
        counts=counts,
        present=present,
        rates=rates,
        base=base,
        previous=previous,
        mean=mean,
        dispersion=dispersion,
        trend=trend,
        long_trend=long_trend,
        streak=streak,
        streak_test=streak_test,
        groups=group_arrays,
    )


def _with_pooled(
    group: GroupArrays,
    member_rows: np.ndarray,
    targets: np.ndarray,
    counts: np.ndarray,
    base: np.ndarray,
    col: int,
    wanted: bool,
) -> GroupArrays:
    if not wanted:
        return group
    others = np.where(member_rows == targets[:, None], -1, member_rows)
    everyone = np.concatenate([targets[:, None], others], axis=1)
    rate, left = pooled_rates(counts, base, everyone, [col])
    change = np.full(len(targets), np.nan)
    if col >= 1:
        before, _ = pooled_rates(counts, base, everyone, [col, col - 1])
        after, _ = pooled_rates(counts, base, everyone, [col - 1, col])
        with np.errstate(invalid="ignore", divide="ignore"):
            change = np.where(before > 0, (after / before - 1) * 100, np.nan)
    from dataclasses import replace

    return replace(group, pooled_rate=rate, pooled_change=change, pooled_left=left)


def pooled_rates(
    counts: np.ndarray, base: np.ndarray, members: np.ndarray, cols: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """The rate of each target's members taken as one area in ``cols[-1]``, counting only
    members with a count and a base in every column of ``cols`` (so that a change compares
    the same area); with the mask of members left out (G × m)."""
    valid = members >= 0
    index = np.where(valid, members, 0)
    ok = valid.copy()
    for c in cols:
        ok &= np.isfinite(counts[index, c]) & np.isfinite(base[index, c]) & (base[index, c] > 0)
    last = cols[-1]
    total = np.where(ok, counts[index, last], 0.0).sum(axis=1)
    exposure = np.where(ok, base[index, last], 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(ok.any(axis=1) & (exposure > 0), total / exposure * PER, np.nan)
    return rate, valid & ~ok


def take(value, rows: np.ndarray, size: int):
    """``value`` (a result of :func:`analyse` or one of its parts) for the targets in
    ``rows`` only: every array whose first axis has the ``size`` targets is indexed."""
    import dataclasses

    if isinstance(value, np.ndarray):
        return value[rows] if value.ndim and value.shape[0] == size else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value,
            **{
                f.name: take(getattr(value, f.name), rows, size)
                for f in dataclasses.fields(value)
                if f.init
            },
        )
    if isinstance(value, tuple):
        return tuple(take(v, rows, size) for v in value)
    return value

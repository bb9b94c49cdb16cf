"""How restless is a series? The extra-Poisson variation (dispersion ``φ``) of registered
crime, per gemeente and series, shrunk towards gemeenten of its comparison group with a
similar number of offences. Plain numpy; see docs/analysis.md, "Overdispersion".

Registered crime varies from year to year far more than a Poisson count (``φ = 1``): about
2 for 30–100 offences a year, 5–15 for several hundred (the bundled 47018NED series). A test
that ignores that calls a third of all year-on-year changes "significant".

1. **Own estimate.** A quasi-Poisson regression of the counts on the year (log link),
   quadratic with 7 or more years, linear with 4–6, on the years *before* the reference
   year (the year under test stays out, so that a real change does not inflate its own
   yardstick). No offset: the curve absorbs a smooth change of population, and the years
   before a boundary change (with a count but no rate) still count. ``φ̂ = X² / df``
   (Pearson χ² over residual degrees of freedom), as R's ``quasipoisson`` (McCullagh &
   Nelder 1989, §4.5). Its precision is that of a χ² on ``df`` degrees of freedom, less
   for tiny counts: the effective weight is
   ``df · 2μ / (2μ + 1)`` (the variance of a squared Pearson residual is ``2 + 1/μ``).
2. **Pooled estimate.** From the other members of the comparison group, weighted by their
   precision and by similarity of level (a Gaussian kernel in log mean count, bandwidth
   :data:`BANDWIDTH`): dispersion grows with the count (between negative-binomial types 1
   and 2), so a gemeente borrows from members with similar counts. The pool is a ratio of
   weighted sums, residual variance over mean count, rather than a mean of the members'
   ratios, which run low for short series of small, skewed counts.
3. **Shrinkage** (empirical Bayes, as for variances in Smyth 2004, *limma*): ``φ = (w·φ̂ +
   d₀·φ_pool) / (w + d₀)`` with ``df = w + d₀``. ``d₀``, the weight of the pool, follows from
   how much the members' estimates scatter beyond their sampling error: ``d₀ = 2·φ_pool² /
   (τ² + s²)``, ``τ²`` the real variation of φ between similar members, ``s²`` the
   uncertainty of the pooled mean; limited to [:data:`PRIOR_DF_MIN`, :data:`PRIOR_DF_MAX`].
   A short series (few years, a boundary change) or a small one thus leans on its group; a
   long, large one on itself.

Without own estimate and without pool the series is taken as Poisson (``φ = 1``); the tests
floor ``φ`` at 1 in any case.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ivp.analysis.glm import fit_rows, polynomial_design

QUADRATIC_FROM = 7  # years with a count: quadratic trend from here, linear below
LINEAR_FROM = 4
BANDWIDTH = 0.5  # in log mean count: weight 0.61 at ×1.65, 0.14 at ×2.7
PRIOR_DF_MIN = 2.0
PRIOR_DF_MAX = 200.0
MIN_LEVEL = 0.1


@dataclass(frozen=True)
class Dispersion:
    own: np.ndarray  # φ̂ of the series itself (NaN without)
    own_df: np.ndarray  # its residual degrees of freedom
    weight: np.ndarray  # effective df of φ̂ (0 without)
    level: np.ndarray  # mean count per year over the years used
    prior: np.ndarray  # pooled φ of similar members (NaN without)
    prior_df: np.ndarray  # d₀
    phi: np.ndarray  # combined, not floored (1 where nothing is known)
    df: np.ndarray  # weight + d₀ (inf where nothing is known: Poisson)


@dataclass(frozen=True)
class OwnDispersion:
    phi: np.ndarray  # Pearson X² / df
    df: np.ndarray
    weight: np.ndarray
    level: np.ndarray  # mean count per year
    variance: np.ndarray  # Σ (y − μ̂)² / df: the residual variance in counts


def own_dispersion(
    counts: np.ndarray, usable: np.ndarray, years: np.ndarray, offset: np.ndarray | None = None
) -> OwnDispersion:
    """The quasi-Poisson dispersion of every row of ``counts`` (R × T) over the years in
    ``usable``; ``offset`` is log exposure (R × T) or None."""
    usable = usable & np.isfinite(counts)
    used = usable.sum(axis=1)
    year_values = years.astype(float)
    centre = np.where(
        used > 0, (usable * year_values).sum(axis=1) / np.maximum(used, 1), year_values.mean()
    )
    design = polynomial_design(year_values, centre, 2)
    active = np.ones((counts.shape[0], 3), dtype=bool)
    active[:, 2] = used >= QUADRATIC_FROM
    fits = fit_rows(counts, design, usable & (used >= LINEAR_FROM)[:, None], offset, active)
    df = np.where(used >= LINEAR_FROM, used - active.sum(axis=1), 0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = np.where(df > 0, fits.pearson / df, np.nan)
        level = np.where(used > 0, np.where(usable, counts, 0.0).sum(axis=1) / used, np.nan)
        residual = np.where(usable, counts - fits.fitted, 0.0)
        variance = np.where(df > 0, (residual**2).sum(axis=1) / df, np.nan)
    phi = np.where(np.isfinite(phi), phi, np.nan)
    level_ok = np.nan_to_num(level, nan=0.0)
    weight = np.where(np.isfinite(phi), df * 2 * level_ok / (2 * level_ok + 1), 0.0)
    return OwnDispersion(phi, df, weight, level, variance)


def pooled(own: OwnDispersion, targets: np.ndarray, members: np.ndarray) -> tuple:
    """The pooled dispersion for each row in ``targets`` from the rows in ``members``
    (len(targets) × m row indices, −1 = none; the target itself is skipped): the prior
    ``φ_pool`` and its weight ``d₀``."""
    valid = members >= 0
    index = np.where(valid, members, 0)
    valid &= index != targets[:, None]
    phi_j = own.phi[index]
    w_j = own.weight[index]
    valid &= np.isfinite(phi_j) & (w_j > 0)
    level_g = np.log(np.maximum(np.nan_to_num(own.level[targets], nan=0.0), MIN_LEVEL))
    level_j = np.log(np.maximum(np.nan_to_num(own.level[index], nan=0.0), MIN_LEVEL))
    kernel = np.exp(-((level_j - level_g[:, None]) ** 2) / (2 * BANDWIDTH**2))
    k = np.where(valid, w_j * kernel, 0.0)
    total = k.sum(axis=1)
    var_j = np.where(valid, own.variance[index], 0.0)
    mean_j = np.where(valid, own.level[index], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        # a ratio of sums (residual variance over mean count), not a mean of ratios: the
        # Pearson ratio of one short series of small, skewed counts runs low
        prior = np.where(total > 0, (k * var_j).sum(axis=1) / (k * mean_j).sum(axis=1), np.nan)
        spread = np.where(
            total > 0,
            (k * np.where(valid, phi_j - prior[:, None], 0.0) ** 2).sum(axis=1) / total,
            np.nan,
        )
        sampling = np.where(
            total > 0,
            (k * np.where(valid, 2 * prior[:, None] ** 2 / np.where(valid, w_j, 1.0), 0.0)).sum(
                axis=1
            )
            / total,
            np.nan,
        )
        tau2 = np.maximum(spread - sampling, 0.0)
        effective = np.where(total > 0, total**2 / (k**2).sum(axis=1), 0.0)
        uncertainty = tau2 + sampling / np.maximum(effective, 1.0)
        prior_df = np.where(
            total > 0,
            np.clip(2 * prior**2 / np.maximum(uncertainty, 1e-12), PRIOR_DF_MIN, PRIOR_DF_MAX),
            0.0,
        )
    return prior, prior_df


def combine(own: OwnDispersion, targets: np.ndarray, prior, prior_df) -> Dispersion:
    """Shrink the targets' own estimates towards their pooled dispersion."""
    phi_own = own.phi[targets]
    w = own.weight[targets]
    has_own = np.isfinite(phi_own) & (w > 0)
    has_prior = np.isfinite(prior) & (prior_df > 0)
    w = np.where(has_own, w, 0.0)
    d0 = np.where(has_prior, prior_df, 0.0)
    total = w + d0
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = np.where(
            total > 0,
            (w * np.nan_to_num(phi_own) + d0 * np.nan_to_num(prior)) / np.maximum(total, 1e-12),
            1.0,
        )
    df = np.where(total > 0, total, np.inf)
    return Dispersion(
        own=phi_own,
        own_df=own.df[targets],
        weight=w,
        level=own.level[targets],
        prior=prior,
        prior_df=d0,
        phi=phi,
        df=df,
    )


def estimate(
    counts: np.ndarray,
    usable: np.ndarray,
    years: np.ndarray,
    targets: np.ndarray,
    members: np.ndarray,
    offset: np.ndarray | None = None,
) -> Dispersion:
    """Own, pooled and combined dispersion of the ``targets`` rows (see the module text)."""
    own = own_dispersion(counts, usable, years, offset)
    prior, prior_df = pooled(own, targets, members)
    return combine(own, targets, prior, prior_df)

"""Is a gemeente's level outside the usual spread of its comparison group? A funnel-plot
comparison that allows for real differences between gemeenten. Plain numpy.

A ratio to the median says "1,5× de mediaan"; whether that is more than the usual spread
depends on the number of offences (a small count is noisy) *and* on how much comparable
gemeenten really differ (they always do: a station area, a night-life district, a holiday
park). The funnel plot (Spiegelhalter 2005, "Funnel plots for comparing institutional
performance", *Statistics in Medicine* 24:1185) draws control limits around the group's
target that narrow with size; with overdispersion the limits include the real variation
between units as an additive random effect (Spiegelhalter 2005, "Handling over-dispersion of
performance indicators", *BMJ Quality & Safety* 14:347; as FunnelPlotR implements it):

- target ``θ``: the median rate of the other members (the gemeente is not its own yardstick);
- each member ``j`` with count ``O_j`` and inhabitants ``b_j`` expects ``E_j = θ·b_j/1000``;
  on the square-root scale ``y_j = √(O_j/E_j)`` has within-variance ``v_j = φ_j / (4·E_j)``
  (``φ_j ≥ 1`` the member's own year-to-year dispersion; 1 = Poisson);
- ``z_j = (y_j − 1)/√v_j`` give ``Q = Σ z_j²`` and the between-gemeente variance
  ``τ² = max(0, (Q − (m − 1)) / (Σw − Σw²/Σw))``, ``w = 1/v`` (DerSimonian–Laird).
  Spiegelhalter winsorises the ``z_j`` (10 % each side) to guard the estimate against
  outlying units; with groups of 30 that removes so much of the real spread that 12 % of
  in-control gemeenten fall outside the limits (``bench/bench_calibration.py``), so ivp
  does not: an outlying member widens the limits, which errs on the cautious side;
- the gemeente's ``z = (y − 1)/√(v + τ²)``, referred to Student's t on ``m − 2`` degrees
  of freedom because ``τ²`` is estimated from the ``m`` members (the prediction interval
  of Higgins, Thompson & Spiegelhalter 2009, *JRSS A* 172:137); the 95 % limits of its
  ratio to the target are ``(1 ± t·√(v + τ²))²``.

A gemeente outside the limits differs more from its group than comparable gemeenten usually
do; inside them, "1,5× de mediaan" is within the usual spread. Fewer than
:data:`MIN_MEMBERS` members with a figure give no limits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ivp.analysis import distributions as dist

MIN_MEMBERS = 5
PER = 1000


@dataclass(frozen=True)
class FunnelArrays:
    target: np.ndarray  # θ per gemeente (NaN: no funnel)
    tau2: np.ndarray  # between-gemeente variance on the √ratio scale
    members: np.ndarray  # members with a figure (others)
    z: np.ndarray  # the gemeente's z (NaN without own figure)
    p_higher: np.ndarray
    p_lower: np.ndarray
    p_value: np.ndarray  # two-sided
    low: np.ndarray  # 95 % limits of the ratio to θ for the gemeente's size
    high: np.ndarray
    within: np.ndarray  # the gemeente's φ used (≥ 1)


def funnel(
    own_count: np.ndarray,
    own_base: np.ndarray,
    own_phi: np.ndarray,
    member_counts: np.ndarray,
    member_bases: np.ndarray,
    member_phi: np.ndarray,
    target: np.ndarray,
    *,
    per: float = PER,
) -> FunnelArrays:
    """The funnel comparison of G gemeenten, each against its own members (G × m arrays,
    NaN where a member has no figure; the gemeente itself left out)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = target[:, None] * member_bases / per
        valid = (
            np.isfinite(member_counts)
            & np.isfinite(expected)
            & (expected > 0)
            & np.isfinite(target[:, None])
        )
        phi = np.where(np.isfinite(member_phi), np.maximum(member_phi, 1.0), 1.0)
        v = np.where(valid, phi / (4 * np.where(valid, expected, 1.0)), np.nan)
        y = np.sqrt(np.where(valid, member_counts / np.where(valid, expected, 1.0), np.nan))
        z = (y - 1) / np.sqrt(v)
        m = valid.sum(axis=1)
        q = np.sum(np.where(valid, z**2, 0.0), axis=1)
        w = np.where(valid, 1 / v, 0.0)
        sw = w.sum(axis=1)
        denominator = sw - (w**2).sum(axis=1) / np.where(sw > 0, sw, 1.0)
        tau2 = np.where(
            denominator > 0,
            np.maximum(0.0, (q - (m - 1)) / np.where(denominator > 0, denominator, 1.0)),
            0.0,
        )
        usable = (m >= MIN_MEMBERS) & np.isfinite(target) & (target > 0)
        own_expected = target * own_base / per
        own_phi = np.where(np.isfinite(own_phi), np.maximum(own_phi, 1.0), 1.0)
        own_ok = usable & np.isfinite(own_count) & np.isfinite(own_expected) & (own_expected > 0)
        own_v = own_phi / (4 * np.where(own_ok, own_expected, 1.0))
        spread = np.sqrt(own_v + tau2)
        own_y = np.sqrt(np.where(own_ok, own_count / np.where(own_ok, own_expected, 1.0), np.nan))
        own_z = np.where(own_ok, (own_y - 1) / spread, np.nan)
    # a prediction for a new member of the group: t on m − 2 degrees of freedom (Higgins,
    # Thompson & Spiegelhalter 2009), as τ² is itself estimated from m members
    df = np.where(usable, np.maximum(m - 2, 1), np.inf).astype(float)
    p_higher = np.where(own_ok, dist.t_sf(np.nan_to_num(own_z), df), np.nan)
    p_lower = np.where(own_ok, dist.t_sf(-np.nan_to_num(own_z), df), np.nan)
    p_value = np.minimum(1.0, 2 * np.minimum(p_higher, p_lower))
    half = dist.t_quantile_975(df) * spread
    low = np.where(usable, np.maximum(0.0, 1 - half) ** 2, np.nan)
    high = np.where(usable, (1 + half) ** 2, np.nan)
    return FunnelArrays(
        target=np.where(usable, target, np.nan),
        tau2=np.where(usable, tau2, np.nan),
        members=m,
        z=own_z,
        p_higher=p_higher,
        p_lower=p_lower,
        p_value=p_value,
        low=low,
        high=high,
        within=own_phi,
    )


def limits_curve(
    target: float, tau2: float, phi: float, bases: np.ndarray, *, z: float = dist.Z975
) -> tuple[np.ndarray, np.ndarray]:
    """The lower and upper control limits of the *rate* for gemeenten of ``bases``
    inhabitants (for the chart): ``θ·(1 ± z·√(φ/(4E) + τ²))²`` (``z``: the quantile, e.g.
    ``t₉₇.₅`` on the group's degrees of freedom)."""
    expected = target * np.asarray(bases, dtype=float) / PER
    spread = np.sqrt(max(phi, 1.0) / (4 * expected) + tau2)
    return target * np.maximum(0.0, 1 - z * spread) ** 2, target * (1 + z * spread) ** 2

"""Log-linear Poisson regressions of many series at once (rows of a matrix), by iteratively
reweighted least squares. Plain numpy.

Every row is its own model ``log E[y_rt] = offset_rt + Σ_k b_rk·x_tk`` over the years ``t``
where ``mask`` is set; the design columns are shared (polynomials of the year), and a row
can leave columns out (``active``: then that coefficient is 0). With the log link IRLS is
Newton's method. One call fits the series of all gemeenten of one kind, so a batch of 342
gemeenten costs a few matrix operations instead of thousands of Python loops.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ITERATIONS = 40
TOLERANCE = 1e-10
_ETA_LIMIT = 40.0
RIDGE = 1e-9
ABSOLUTE_TOLERANCE = 1e-9  # deviance: rows whose fit runs a count to 0 stop here


@dataclass(frozen=True)
class RowFits:
    coefficients: np.ndarray  # R × p (0 for inactive columns)
    covariance: np.ndarray  # R × p × p, unscaled (Poisson): the inverse Fisher information
    fitted: np.ndarray  # R × T expected counts (0 outside the mask)
    pearson: np.ndarray  # R: Σ (y − μ)² / μ over the mask
    used: np.ndarray  # R: number of years used
    parameters: np.ndarray  # R: number of active columns
    converged: np.ndarray  # R bool

    @property
    def df(self) -> np.ndarray:
        return self.used - self.parameters


def fit_rows(
    y: np.ndarray,
    design: np.ndarray,
    mask: np.ndarray,
    offset: np.ndarray | None = None,
    active: np.ndarray | None = None,
) -> RowFits:
    """Fit every row of ``y`` (R × T counts) on ``design`` (T × p, or R × T × p) over the
    years in ``mask`` (R × T), with ``offset`` (R × T, e.g. log inhabitants) and the
    columns in ``active`` (R × p). Rows with fewer years than columns, or without any
    count, come back with NaN coefficients and ``converged`` False."""
    rows, years = y.shape
    x = design if design.ndim == 3 else np.broadcast_to(design, (rows, *design.shape))
    p = x.shape[2]
    act = np.ones((rows, p), dtype=bool) if active is None else active.astype(bool)
    x = x * act[:, None, :]
    m = mask.astype(bool) & np.isfinite(y)
    if offset is not None:
        m &= np.isfinite(offset)
    yy = np.where(m, y, 0.0)
    off = np.where(m, offset, 0.0) if offset is not None else np.zeros_like(yy)
    used = m.sum(axis=1)
    k = act.sum(axis=1)
    fittable = (used >= k) & (yy.sum(axis=1) > 0)
    ridge = np.zeros((rows, p, p))
    idx = np.arange(p)
    ridge[:, idx, idx] = (~act).astype(float) + RIDGE  # RIDGE: keeps degenerate rows solvable
    mean_y = yy.sum(axis=1) / np.maximum(used, 1)
    mu = (yy + mean_y[:, None]) / 2 + 0.1
    eta = np.log(mu)
    beta = np.zeros((rows, p))
    deviance_old = np.full(rows, np.inf)
    converged = np.zeros(rows, dtype=bool)
    weight_mask = m & fittable[:, None]
    pairs = [(a, b) for a in range(p) for b in range(a, p)]

    def normal_matrix(w: np.ndarray, xs: np.ndarray, ridges: np.ndarray) -> np.ndarray:
        # X'WX per row from the p(p+1)/2 distinct products: far cheaper than einsum
        a = np.empty((w.shape[0], p, p))
        for i, j in pairs:
            a[:, i, j] = a[:, j, i] = np.sum(w * xs[:, :, i] * xs[:, :, j], axis=1)
        return a + ridges

    active = np.nonzero(fittable)[0]  # rows still iterating
    for _ in range(ITERATIONS):
        if not active.size:
            break
        xs, ys, offs, ms = x[active], yy[active], off[active], weight_mask[active]
        mu_a, eta_a = mu[active], eta[active]
        z = eta_a - offs + (ys - mu_a) / mu_a
        w = mu_a * ms
        a = normal_matrix(w, xs, ridge[active])
        b = np.stack([np.sum(w * xs[:, :, i] * z, axis=1) for i in range(p)], axis=1)
        beta_a = np.linalg.solve(a, b[:, :, None])[:, :, 0]
        eta_a = np.clip(np.sum(xs * beta_a[:, None, :], axis=2) + offs, -_ETA_LIMIT, _ETA_LIMIT)
        mu_a = np.exp(eta_a)
        with np.errstate(divide="ignore", invalid="ignore"):
            term = np.where(ys > 0, ys * np.log(ys / mu_a), 0.0) - (ys - mu_a)
        deviance = 2 * np.sum(np.where(ms, term, 0.0), axis=1)
        change = np.abs(deviance - deviance_old[active])
        done = change <= TOLERANCE * (np.abs(deviance) + 0.1) + ABSOLUTE_TOLERANCE
        beta[active], eta[active], mu[active] = beta_a, eta_a, mu_a
        deviance_old[active] = deviance
        converged[active[done]] = True
        active = active[~done]
    w = mu * weight_mask
    a = normal_matrix(w, x, ridge)
    a[~fittable] = np.eye(p)
    covariance = np.linalg.inv(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = np.sum(np.where(weight_mask, (yy - mu) ** 2 / mu, 0.0), axis=1)
    beta = np.where(act, beta, 0.0)
    beta[~fittable] = np.nan
    pearson[~fittable] = np.nan
    fitted = np.where(weight_mask, mu, 0.0)
    return RowFits(beta, covariance, fitted, pearson, used, k, converged & fittable)


def polynomial_design(years: np.ndarray, centre: np.ndarray, degree: int) -> np.ndarray:
    """R × T × (degree + 1): 1, (t − centre), (t − centre)², … per row."""
    t = years[None, :] - centre[:, None]
    return np.stack([t**d for d in range(degree + 1)], axis=2)

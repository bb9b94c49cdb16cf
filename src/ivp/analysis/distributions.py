"""The few distribution functions the analysis needs, in numpy and ``math`` only.

``scipy.stats`` costs 0.7 s to import (more than the whole analysis of a gemeente), so the
analysis computes what it needs itself, vectorised over arrays, from exact formulas:

- the normal tail from ``math.erfc``;
- Student's t tail from the regularised incomplete beta function
  ``P(T > t) = ½·I(df / (df + t²); df/2, ½)``, evaluated by its continued fraction (modified
  Lentz, as in *Numerical Recipes*, §6.4), with ``math.lgamma`` for the prefactor;
- quantiles (only a handful are ever needed) by bisection on those tails, cached;
- the exact conditional distribution of two counts: binomial (Poisson counts) or
  beta-binomial (overdispersed counts, see :mod:`ivp.analysis.significance`), built from
  the ratio of successive probabilities so that no gamma function is needed, and summed to a
  two-sided mid-p value.

Every function is checked against scipy in ``tests/test_distributions.py`` (to 1e-10 or
better where scipy is exact).
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

Z975 = 1.959963984540054  # the 97.5 % quantile of the standard normal distribution
_ERFC = np.frompyfunc(math.erfc, 1, 1)
_LGAMMA = np.frompyfunc(math.lgamma, 1, 1)
_CF_ITERATIONS = 300
_CF_EPSILON = 1e-15
_TINY = 1e-300


def _floats(values) -> np.ndarray:
    return np.asarray(values, dtype=float)


def norm_sf(x) -> np.ndarray:
    """P(Z > x) for a standard normal Z, elementwise."""
    x = _floats(x)
    return 0.5 * np.asarray(_ERFC(x / math.sqrt(2.0)), dtype=float).reshape(x.shape)


def _lgamma(values: np.ndarray) -> np.ndarray:
    return np.asarray(_LGAMMA(values), dtype=float).reshape(values.shape)


# Below this many values the continued fraction runs on Python floats: the analysis of one
# gemeente asks for a few p-values at a time, where numpy's cost per operation on a tiny
# array outweighs the arithmetic (the same operations in the same order: the same doubles).
_CF_SCALAR_BELOW = 32


def _beta_continued_fraction_one(x: float, a: float, b: float) -> float:
    """:func:`_beta_continued_fraction` of one value, on Python floats."""
    qab = a + b
    qap = a + 1.0
    qam = a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    if abs(d) < _TINY:
        d = _TINY
    d = 1.0 / d
    h = d
    for m in range(1, _CF_ITERATIONS + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        if abs(d) < _TINY:
            d = _TINY
        c = 1.0 + aa / c
        if abs(c) < _TINY:
            c = _TINY
        d = 1.0 / d
        h = h * d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        if abs(d) < _TINY:
            d = _TINY
        c = 1.0 + aa / c
        if abs(c) < _TINY:
            c = _TINY
        d = 1.0 / d
        delta = d * c
        h = h * delta
        if abs(delta - 1.0) < _CF_EPSILON:
            break
    return h


def _beta_continued_fraction(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    if x.size < _CF_SCALAR_BELOW:
        return np.array(
            [
                _beta_continued_fraction_one(xi, ai, bi)
                for xi, ai, bi in zip(x.tolist(), a.tolist(), b.tolist(), strict=True)
            ],
            dtype=float,
        ).reshape(x.shape)
    qab = a + b
    qap = a + 1.0
    qam = a - 1.0
    c = np.ones_like(x)
    d = 1.0 - qab * x / qap
    d = np.where(np.abs(d) < _TINY, _TINY, d)
    d = 1.0 / d
    h = d.copy()
    done = np.zeros(x.shape, dtype=bool)
    for m in range(1, _CF_ITERATIONS + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = np.where(np.abs(d) < _TINY, _TINY, d)
        c = 1.0 + aa / c
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        d = 1.0 / d
        h = np.where(done, h, h * d * c)
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = np.where(np.abs(d) < _TINY, _TINY, d)
        c = 1.0 + aa / c
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        d = 1.0 / d
        delta = d * c
        h = np.where(done, h, h * delta)
        done |= np.abs(delta - 1.0) < _CF_EPSILON
        if done.all():
            break
    return h


def betainc(a, b, x) -> np.ndarray:
    """The regularised incomplete beta function I(x; a, b), elementwise (a, b > 0)."""
    a, b, x = np.broadcast_arrays(_floats(a), _floats(b), _floats(x))
    result = np.where(x <= 0, 0.0, 1.0).astype(float)
    inside = (x > 0) & (x < 1)
    if not inside.any():
        return result
    ai, bi, xi = a[inside], b[inside], x[inside]
    log_front = _lgamma(ai + bi) - _lgamma(ai) - _lgamma(bi) + ai * np.log(xi) + bi * np.log1p(-xi)
    front = np.exp(log_front)
    direct = xi < (ai + 1.0) / (ai + bi + 2.0)
    values = np.empty_like(xi)
    if direct.any():
        values[direct] = (
            front[direct]
            * _beta_continued_fraction(xi[direct], ai[direct], bi[direct])
            / ai[direct]
        )
    flipped = ~direct
    if flipped.any():
        values[flipped] = (
            1.0
            - front[flipped]
            * _beta_continued_fraction(1.0 - xi[flipped], bi[flipped], ai[flipped])
            / bi[flipped]
        )
    result[inside] = values
    return result


def t_sf(t, df) -> np.ndarray:
    """P(T > t) for Student's t with ``df`` degrees of freedom (``inf``: normal)."""
    t, df = np.broadcast_arrays(_floats(t), _floats(df))
    result = np.empty(t.shape, dtype=float)
    normal = ~np.isfinite(df)
    if normal.any():
        result[normal] = norm_sf(t[normal])
    finite = ~normal
    if finite.any():
        tf, dff = t[finite], df[finite]
        half = 0.5 * betainc(dff / 2.0, np.full_like(dff, 0.5), dff / (dff + tf * tf))
        result[finite] = np.where(tf >= 0, half, 1.0 - half)
    return result


def two_sided_t(t, df) -> np.ndarray:
    """2·P(T > |t|): the two-sided p-value of a t (or, with ``df = inf``, z) statistic."""
    return np.minimum(1.0, 2.0 * t_sf(np.abs(_floats(t)), df))


def _bisect(tail, p: float, low: float, high: float) -> float:
    """x with tail(x) = p for a decreasing tail function."""
    for _ in range(200):
        middle = (low + high) / 2
        if tail(middle) > p:
            low = middle
        else:
            high = middle
        if high - low < 1e-13 * max(1.0, abs(middle)):
            break
    return (low + high) / 2


@cache
def norm_isf(p: float) -> float:
    """x with P(Z > x) = p (0 < p < 1)."""
    if not 0 < p < 1:
        raise ValueError("p must lie between 0 and 1")
    if p > 0.5:
        return -norm_isf(1 - p)
    return _bisect(lambda x: float(norm_sf(x)), p, 0.0, 40.0)


def t_pdf(t, df) -> np.ndarray:
    """The density of Student's t (finite ``df``)."""
    t, df = np.broadcast_arrays(_floats(t), _floats(df))
    log_norm = _lgamma((df + 1) / 2) - _lgamma(df / 2) - 0.5 * np.log(df * math.pi)
    return np.exp(log_norm - (df + 1) / 2 * np.log1p(t * t / df))


def t_isf_array(p: float, df) -> np.ndarray:
    """t with P(T > t) = p (0 < p < 0.5) for each element of ``df`` (``inf``: normal):
    the Cornish–Fisher expansion (Abramowitz & Stegun 26.7.5), closed forms for 1 and 2
    degrees of freedom, then Newton steps on the exact tail to machine precision."""
    if not 0 < p < 0.5:
        raise ValueError("p must lie between 0 and 0.5")
    df = _floats(df)
    z = norm_isf(p)
    result = np.full(df.shape, z)
    finite = np.isfinite(df)
    if not finite.any():
        return result
    nu = df[finite]
    guess = z + (z**3 + z) / 4 / nu
    guess += (5 * z**5 + 16 * z**3 + 3 * z) / 96 / nu**2
    guess += (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384 / nu**3
    guess += (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160 / nu**4
    guess = np.where(nu <= 1, math.tan(math.pi * (0.5 - p)), guess)
    two = (nu > 1) & (nu <= 2)
    guess = np.where(two, (1 - 2 * p) / np.sqrt(2 * p * (1 - p)), guess)
    for _ in range(50):
        step = (t_sf(guess, nu) - p) / t_pdf(guess, nu)
        guess = guess + step
        if np.all(np.abs(step) < 1e-13 * np.maximum(1.0, np.abs(guess))):
            break
    result[finite] = guess
    return result


@cache
def t_isf(p: float, df: float) -> float:
    """t with P(T > t) = p for Student's t with ``df`` degrees of freedom (``inf``: normal)."""
    if not 0 < p < 1:
        raise ValueError("p must lie between 0 and 1")
    if p > 0.5:
        return -t_isf(1 - p, df)
    if p == 0.5:
        return 0.0
    return float(t_isf_array(p, np.array([df]))[0])


_Q975: dict[float, float] = {}


def t_quantile_975(df) -> np.ndarray:
    """The 97.5 % quantile of t per element of ``df`` (``inf``: 1.96). ``df`` is rounded
    down to a whole number (at most 1,000; beyond that the normal quantile), which errs on
    the cautious side and keeps the number of distinct quantiles small."""
    df = _floats(df)
    df = np.where(np.isfinite(df) & (df <= 1000), np.floor(np.maximum(df, 1.0)), np.inf)
    flat = df.ravel()
    unique, inverse = np.unique(flat, return_inverse=True)
    missing = [d for d in unique if float(d) not in _Q975]
    if missing:
        values = t_isf_array(0.025, np.array(missing))
        _Q975.update(zip((float(d) for d in missing), values.tolist(), strict=True))
    found = np.array([_Q975[float(d)] for d in unique])
    return found[inverse].reshape(df.shape)


# -- the conditional distribution of two counts -------------------------------------------


def conditional_midp(k, n, p0, spread, *, chunk: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """One-sided mid-p values ``(P(X < k) + ½P(X = k), P(X > k) + ½P(X = k))`` of the
    conditional count ``X`` of ``n``, elementwise.

    ``X`` is binomial(n, p0) where ``spread`` is ``inf`` and beta-binomial with
    ``α = p0·spread``, ``β = (1 - p0)·spread`` otherwise. The probabilities are built from
    the ratio of successive terms, ``P(j + 1) / P(j)``, and normalised, so that neither the
    binomial coefficient nor a gamma function is needed; ``n`` should stay small (a few
    hundred): the work is proportional to ``max(n)``.
    """
    k = np.asarray(k, dtype=np.int64)
    n = np.asarray(n, dtype=np.int64)
    p0 = _floats(p0)
    spread = _floats(spread)
    k, n, p0, spread = np.broadcast_arrays(k, n, p0, spread)
    shape = k.shape
    k, n, p0, spread = k.ravel(), n.ravel(), p0.ravel(), spread.ravel()
    lower = np.empty(k.size)
    upper = np.empty(k.size)
    order = np.argsort(n, kind="stable")  # similar n together: each chunk as wide as needed
    for start in range(0, k.size, chunk):
        part = order[start : start + chunk]
        lower[part], upper[part] = _midp_chunk(k[part], n[part], p0[part], spread[part])
    return lower.reshape(shape), upper.reshape(shape)


def _midp_chunk(k, n, p0, spread):
    if k.size == 0:
        return np.empty(0), np.empty(0)
    width = int(n.max()) + 1
    j = np.arange(width - 1, dtype=float)[None, :]  # ratio P(j+1)/P(j) for j = 0 … width-2
    nn = n[:, None].astype(float)
    q0 = 1.0 - p0
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.log(nn - j) - np.log(j + 1.0)
        binomial = ~np.isfinite(spread)
        a = (p0 * spread)[:, None]
        b = (q0 * spread)[:, None]
        log_ratio = log_ratio + np.where(
            binomial[:, None],
            (np.log(p0) - np.log(q0))[:, None],
            np.log(j + a) - np.log(nn - j - 1.0 + b),
        )
    log_p = np.concatenate([np.zeros((k.size, 1)), np.cumsum(log_ratio, axis=1)], axis=1)
    outside = np.arange(width)[None, :] > n[:, None]
    log_p = np.where(outside | ~np.isfinite(log_p), -np.inf, log_p)
    log_p -= log_p.max(axis=1, keepdims=True)
    prob = np.exp(log_p)
    prob /= prob.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(prob, axis=1)
    rows = np.arange(k.size)
    at = prob[rows, k]
    below = cumulative[rows, k] - at
    above = 1.0 - cumulative[rows, k]
    return np.clip(below + at / 2, 0.0, 1.0), np.clip(above + at / 2, 0.0, 1.0)

"""Small statistics for comparing rating samples, in plain Python (no SciPy at run time).

The queries aggregate ratings in DuckDB (count, mean, sample variance per person); this module turns
those summaries into a confidence interval and a two-sample test:

- `t_cdf` / `t_quantile`: Student's t distribution, via the regularised incomplete beta function;
- `mean_ci`: the t interval mean ± t(1 − α/2, n − 1) · s / √n;
- `difference_test`: the two-sided t-test of the difference of two independent means, from each
  mean's standard error and degrees of freedom, with Welch–Satterthwaite degrees of freedom for the
  difference; `welch_test` is its rating-level case (se² = s²/n, n − 1 degrees of freedom). The
  People page gives it film-clustered standard errors (see queries/people_comparison.sql).

Mean and sample variance are all the test needs, and they are exact whether computed from rating rows
or from the ten counts per half-star, so no rating rows leave the database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

_EPS = 1e-15
_TINY = 1e-300


def _beta_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz's method)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    # The fraction converges fast on one side of the mean; use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a).
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t with `df` (> 0, not necessarily whole) degrees of freedom."""
    if math.isinf(t):
        return 1.0 if t > 0 else 0.0
    tail = 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The t with P(T ≤ t) = p, for 0 < p < 1 (bisection on `t_cdf`, to about 1e-12)."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be strictly between 0 and 1, not {p}")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        low, high = high, high * 2.0
    for _ in range(200):
        mid = (low + high) / 2.0
        if t_cdf(mid, df) < p:
            low = mid
        else:
            high = mid
        if high - low < 1e-13 * max(1.0, high):
            break
    return (low + high) / 2.0


def mean_ci(mean: float, sd: float, n: int, level: float = 0.95) -> tuple[float, float] | None:
    """The t interval for a mean: mean ± t((1 + level) / 2, n − 1) · sd / √n; None below two values."""
    if n < 2 or sd is None or math.isnan(sd):
        return None
    half = t_quantile((1.0 + level) / 2.0, n - 1) * sd / math.sqrt(n)
    return mean - half, mean + half


@dataclass(frozen=True)
class DifferenceResult:
    """A t-test of mean_a − mean_b: the difference, its interval, t, degrees of freedom and p."""

    difference: float
    ci_low: float
    ci_high: float
    t: float
    df: float
    p_value: float

    def significant(self, alpha: float = 0.05) -> bool:
        """True when the two-sided p-value is below `alpha`."""
        return self.p_value < alpha


def difference_test(
    mean_a: float, se_a: float, df_a: float, mean_b: float, se_b: float, df_b: float, level: float = 0.95
) -> DifferenceResult | None:
    """Two-sided t-test of mean_a − mean_b for independent means with standard errors se_a, se_b.

    t = (mean_a − mean_b) / √(se_a² + se_b²), with Welch–Satterthwaite degrees of freedom
    (se_a² + se_b²)² / (se_a⁴/df_a + se_b⁴/df_b). None when a side has no degrees of freedom or
    both have no spread (nothing to test).
    """
    if not (df_a >= 1 and df_b >= 1) or any(math.isnan(v) for v in (mean_a, se_a, mean_b, se_b)):
        return None
    va, vb = se_a**2, se_b**2
    se2 = va + vb
    if se2 <= 0.0:
        return None
    df = se2**2 / (va**2 / df_a + vb**2 / df_b)
    difference = mean_a - mean_b
    se = math.sqrt(se2)
    t = difference / se
    p_value = min(1.0, 2.0 * t_cdf(-abs(t), df))
    half = t_quantile((1.0 + level) / 2.0, df) * se
    return DifferenceResult(difference, difference - half, difference + half, t, df, p_value)


def welch_test(
    n_a: int, mean_a: float, var_a: float, n_b: int, mean_b: float, var_b: float, level: float = 0.95
) -> DifferenceResult | None:
    """Welch's two-sided t-test from each sample's size, mean and sample variance (ddof = 1): every
    value an independent draw. None when a sample has fewer than two values."""
    if n_a < 2 or n_b < 2:
        return None
    return difference_test(mean_a, math.sqrt(var_a / n_a), n_a - 1, mean_b, math.sqrt(var_b / n_b), n_b - 1, level)


# Degrees of freedom that t_975_macro tables exactly; beyond them its expansion is within 1e-7.
T_TABLED = 30


def t_975_macro() -> str:
    """The SQL macro `t_975(df)`: t(0.975, df) of Student's t, for the queries' 95% intervals, made
    from this module so the app states the t distribution once.

    Tabled from `t_quantile` for 1–30 degrees of freedom; beyond that the Cornish–Fisher expansion
    z + g1/df + g2/df² + g3/df³ + g4/df⁴ around z = Φ⁻¹(0.975) (error below 1e-7); NULL below one
    degree of freedom.
    """
    z = NormalDist().inv_cdf(0.975)
    g = (
        (z**3 + z) / 4,
        (5 * z**5 + 16 * z**3 + 3 * z) / 96,
        (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384,
        (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160,
    )
    table = ", ".join(f"{t_quantile(0.975, df):.12f}" for df in range(1, T_TABLED + 1))
    expansion = " + ".join([repr(z)] + [f"{c!r} / df ^ {k}" for k, c in enumerate(g, start=1)])
    return (
        "CREATE OR REPLACE TEMP MACRO t_975(df) AS\n"
        "    CASE\n"
        "        WHEN df < 1 THEN NULL\n"
        f"        WHEN df <= {T_TABLED} THEN [{table}][CAST(df AS INTEGER)]\n"
        f"        ELSE {expansion}\n"
        "    END;\n"
    )

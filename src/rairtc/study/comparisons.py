"""Refractory versus not refractory (``rules.md`` §10, Tests and estimates).

Categorical variables: a 2×2 table uses Fisher's exact test when an expected count is below 5,
otherwise Pearson's chi-square without continuity correction; larger tables use
Pearson's chi-square without correction, or, when an expected count is below 5, the
Fisher-Freeman-Halton exact test (every table with the observed margins enumerated; beyond
``EXACT_TABLE_LIMIT`` tables, a Monte Carlo estimate from ``MONTE_CARLO_DRAWS`` seeded draws). Continuous
variables: Welch's t-test and the Mann-Whitney U test (SciPy's default method), both shown.
Odds ratios: univariable logistic regression with 95 % Wald intervals (statsmodels), or
Firth's penalised likelihood with profile-likelihood intervals (firthmodels) when a cell is
empty or the data separate. The ``missing`` level is left out (complete cases).
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import stats

from rairtc.study.table1 import levels, value
from rairtc.study.variables import StudyRow

GROUPS = ("refractory", "not_refractory")
REFERENCE = {
    "sex": "male",
    "histology": "papillary",
    "stage": "I",
    "metastases": "no",
    "recurrence": "no",
    "course_number": "1",
}
# A converged maximum-likelihood coefficient beyond this (an odds ratio above 3 million) is
# quasi-separation that the linear-programming check missed numerically: Firth is used instead.
DIVERGED_LOG_ODDS = 15.0
CONTINUOUS_UNITS = {"age": (1.0, "per year"), "cumulative_activity_mci": (100.0, "per 100 mCi")}
CATEGORICAL = ("sex", "histology", "stage", "metastases", "recurrence", "course_number")
# Fisher-Freeman-Halton: exact enumeration up to this many tables, else Monte Carlo.
EXACT_TABLE_LIMIT = 2_000_000
MONTE_CARLO_DRAWS = 100_000
MONTE_CARLO_SEED = 20231
# Only these failures of a maximum-likelihood fit mean "use Firth"; anything else is a bug.
FIT_FAILURES: tuple[type[Exception], ...] = (np.linalg.LinAlgError, OverflowError)


def _p(value: float | None) -> float | None:
    """A finite number, or None (NaN and infinities never reach results.json)."""
    return None if value is None or not math.isfinite(value) else float(value)


def contingency(rows: Sequence[StudyRow], variable: str) -> tuple[list[str], np.ndarray]:
    """Rows: refractory, not refractory; columns: the levels with at least one patient."""
    pairs = Counter((r.status, value(r, variable)) for r in rows)  # one pass over the rows
    seen = {level for _, level in pairs}
    present = [lvl for lvl in levels(variable, rows) if lvl in seen]
    table = np.array([[pairs[(g, lvl)] for lvl in present] for g in GROUPS], dtype=float)
    return present, table


def categorical_test(table: np.ndarray) -> dict[str, Any]:
    if table.shape[1] < 2 or (table.sum(axis=1) == 0).any():
        return {"test": None, "p_value": None, "note": "fewer than two levels or an empty group"}
    expected = stats.contingency.expected_freq(table)
    small = bool((expected < 5).any())
    if table.shape == (2, 2) and small:
        result = stats.fisher_exact(table)
        return {"test": "fisher_exact", "statistic": None, "p_value": _p(result.pvalue)}
    if small:
        return freeman_halton(table)
    chi2 = stats.chi2_contingency(table, correction=False)
    out: dict[str, Any] = {
        "test": "chi_square",
        "statistic": float(chi2.statistic),
        "df": int(chi2.dof),
        "p_value": _p(chi2.pvalue),
    }
    return out


def _log_choose(n: np.ndarray | float, k: np.ndarray) -> np.ndarray:
    from scipy.special import gammaln

    result: np.ndarray = gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)
    return result


def freeman_halton(table: np.ndarray) -> dict[str, Any]:
    """Fisher-Freeman-Halton exact test of a 2×k table: the probability, under fixed margins
    (hypergeometric), of every table no more probable than the observed one."""
    counts = table.astype(int)
    columns = counts.sum(axis=0)
    top = int(counts[0].sum())
    observed = float(_log_choose(columns.astype(float), counts[0].astype(float)).sum())
    sums = np.zeros(1, dtype=int)
    logp = np.zeros(1)
    for total in columns[:-1]:
        x = np.arange(int(total) + 1)
        sums = (sums[:, None] + x[None, :]).ravel()
        logp = (logp[:, None] + _log_choose(float(total), x.astype(float))[None, :]).ravel()
        keep = sums <= top
        sums, logp = sums[keep], logp[keep]
        if len(sums) > EXACT_TABLE_LIMIT:
            return _freeman_halton_monte_carlo(counts)
    last = top - sums
    keep = (last >= 0) & (last <= columns[-1])
    logp = logp[keep] + _log_choose(float(columns[-1]), last[keep].astype(float))
    norm = float(_log_choose(float(columns.sum()), np.array([float(top)]))[0])
    probabilities = np.exp(logp - norm)
    p = float(probabilities[logp <= observed + 1e-7 * abs(observed) + 1e-9].sum())
    return {
        "test": "fisher_freeman_halton",
        "statistic": None,
        "p_value": _p(min(1.0, p)),
        "method": "exact",
    }


def _freeman_halton_monte_carlo(table: np.ndarray) -> dict[str, Any]:
    method = stats.MonteCarloMethod(
        n_resamples=MONTE_CARLO_DRAWS, rng=np.random.default_rng(MONTE_CARLO_SEED)
    )
    result = stats.fisher_exact(table, method=method)
    return {
        "test": "fisher_freeman_halton",
        "statistic": None,
        "p_value": _p(float(result.pvalue)),
        "method": "monte_carlo",
        "draws": MONTE_CARLO_DRAWS,
        "seed": MONTE_CARLO_SEED,
    }


def _wald(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import PerfectSeparationError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = sm.Logit(y, sm.add_constant(X, has_constant="add")).fit(disp=0, maxiter=100)
        except FIT_FAILURES + (PerfectSeparationError,):  # a singular matrix, separation
            return None
    if not fit.mle_retvals.get("converged", False):
        return None
    params, ci = np.asarray(fit.params)[1:], np.asarray(fit.conf_int(0.05))[1:]
    if not np.all(np.isfinite(ci)) or np.any(np.abs(params) > DIVERGED_LOG_ODDS):
        return None
    return params, ci


def _firth(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from firthmodels import FirthLogisticRegression

    model = FirthLogisticRegression(backend="numpy").fit(X, y)
    ci = model.conf_int(alpha=0.05, method="pl", features=list(range(X.shape[1])))
    return np.asarray(model.coef_), np.asarray(ci)[: X.shape[1]]


def _separates(X: np.ndarray, y: np.ndarray) -> bool:
    from firthmodels import detect_separation

    try:
        return bool(detect_separation(X, y).separation)
    except np.linalg.LinAlgError:
        return True


def odds_ratios(
    X: np.ndarray, y: np.ndarray, names: Sequence[str], scale: float = 1.0, empty_cell: bool = False
) -> list[dict[str, Any]]:
    """One odds ratio per column of X (per ``scale`` units), Wald or Firth."""
    firth = empty_cell or _separates(X, y)
    fitted = None if firth else _wald(X, y)
    method = "wald"
    if fitted is None:
        fitted, method = _firth(X, y), "firth_profile_likelihood"
    params, ci = fitted
    return [
        {
            "level": name,
            "odds_ratio": float(np.exp(b * scale)),
            "ci": [float(np.exp(lo * scale)), float(np.exp(hi * scale))],
            "method": method,
        }
        for name, b, (lo, hi) in zip(names, params, ci, strict=True)
    ]


def compare_categorical(rows: Sequence[StudyRow], variable: str) -> dict[str, Any]:
    present, table = contingency(rows, variable)
    entry: dict[str, Any] = {
        "variable": variable,
        "levels": present,
        "counts": {g: [int(x) for x in table[i]] for i, g in enumerate(GROUPS)},
    }
    entry.update(categorical_test(table))
    reference = (
        REFERENCE[variable] if REFERENCE[variable] in present else (present[0] if present else None)
    )
    others = [lvl for lvl in present if lvl != reference]
    if entry["test"] is None or not others:
        entry["odds_ratios"] = []
        return entry
    used = [(value(r, variable), r.status) for r in rows]
    used = [(v, status) for v, status in used if v is not None]
    X = np.array([[1.0 if v == lvl else 0.0 for lvl in others] for v, _ in used])
    y = np.array([1.0 if status == "refractory" else 0.0 for _, status in used])
    entry["reference"] = reference
    entry["odds_ratios"] = odds_ratios(X, y, others, empty_cell=bool((table == 0).any()))
    if len(others) == 1:
        only = entry["odds_ratios"][0]
        entry.update(odds_ratio=only["odds_ratio"], ci=only["ci"], method=only["method"])
    return entry


def compare_continuous(rows: Sequence[StudyRow], variable: str) -> dict[str, Any]:
    groups = [
        np.array([float(getattr(r, variable)) for r in rows if r.status == g]) for g in GROUPS
    ]
    entry: dict[str, Any] = {
        "variable": variable,
        "n": {g: int(len(x)) for g, x in zip(GROUPS, groups, strict=True)},
        "mean": {
            g: (float(x.mean()) if len(x) else None) for g, x in zip(GROUPS, groups, strict=True)
        },
    }
    if min(len(x) for x in groups) < 2:
        entry.update(tests=[], note="a group has fewer than two patients", odds_ratios=[])
        return entry
    if all(np.ptp(x) == 0 for x in groups):
        entry.update(tests=[], note="no variation within either group", odds_ratios=[])
        return entry
    with warnings.catch_warnings():  # near-constant groups: scipy warns, the result says it
        warnings.simplefilter("ignore", RuntimeWarning)
        welch = stats.ttest_ind(groups[0], groups[1], equal_var=False)
        mwu = stats.mannwhitneyu(groups[0], groups[1])
    entry["tests"] = [
        {"test": "welch_t", "statistic": _p(welch.statistic), "p_value": _p(welch.pvalue)},
        {"test": "mann_whitney_u", "statistic": _p(mwu.statistic), "p_value": _p(mwu.pvalue)},
    ]
    entry["test"], entry["p_value"] = "welch_t", _p(welch.pvalue)
    scale, unit = CONTINUOUS_UNITS[variable]
    X = np.array([[float(getattr(r, variable))] for r in rows])
    y = np.array([1.0 if r.status == "refractory" else 0.0 for r in rows])
    if np.ptp(X) == 0:
        entry["odds_ratios"] = []
        return entry
    result = odds_ratios(X, y, [unit], scale=scale)[0]
    entry.update(
        odds_ratios=[result],
        odds_ratio=result["odds_ratio"],
        ci=result["ci"],
        method=result["method"],
        unit=unit,
    )
    return entry


def comparisons(rows: Sequence[StudyRow]) -> list[dict[str, Any]]:
    """Every comparison, on the refractory and not refractory patients only."""
    compared = [r for r in rows if r.status in GROUPS]
    out = [compare_categorical(compared, v) for v in ("sex",)]
    out.append(compare_continuous(compared, "age"))
    out += [compare_categorical(compared, v) for v in CATEGORICAL if v != "sex"]
    out.append(compare_continuous(compared, "cumulative_activity_mci"))
    return out

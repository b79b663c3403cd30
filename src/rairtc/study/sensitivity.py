"""Sensitivity of the refractory count to the rule presets a reviewer asks about first.

Every analysed patient is classified again under each preset (the analysis's parameters with
the preset's changes): ``study`` (the 0-16-month progression window), ``literal_12_16`` (the
seed's own 12-16-month wording), ``ata_never_avid`` (ATA 2015 wording of "never avid":
thyroid-bed uptake ignored) and ``count_unconfirmed_as_met``. Each entry gives the refractory
count, the rate with its Wilson interval, the primary-criterion breakdown and the patients
whose status differs from the main analysis (by id here; reports show them by pseudonym).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from statsmodels.stats.proportion import proportion_confint

from rairtc.core.parameters import PRESETS, RuleParameters
from rairtc.core.records import Patient
from rairtc.core.rules.classify import Classification, classify
from rairtc.core.rules.terms import Criterion

SENSITIVITY_PRESETS: dict[str, dict[str, Any]] = {
    "study": {"progression_window_months": RuleParameters().progression_window_months},
    "literal_12_16": dict(PRESETS["literal_12_16"]),
    "ata_never_avid": {"c1_ignore_thyroid_bed_uptake": True},
    "count_unconfirmed_as_met": {"count_unconfirmed_as_met": True},
}


def _jsonable(changes: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in changes.items()}


def sensitivity(
    patients: Sequence[Patient],
    main: Sequence[Classification],
    as_of: date,
    params: RuleParameters,
) -> list[dict[str, Any]]:
    out = []
    for name, changes in SENSITIVITY_PRESETS.items():
        varied = params.with_(**changes)
        results = list(main) if varied == params else [classify(p, as_of, varied) for p in patients]
        n = len(results)
        refractory = sum(1 for r in results if r.rair)
        ci = (
            [float(x) for x in proportion_confint(refractory, n, alpha=0.05, method="wilson")]
            if n
            else None
        )
        out.append(
            {
                "preset": name,
                "parameters": _jsonable(changes),
                "n_refractory": refractory,
                "n_analysed": n,
                "proportion": refractory / n if n else None,
                "ci_wilson": ci,
                "primary": {
                    c.value: sum(1 for r in results if r.rair and r.primary_criterion is c)
                    for c in Criterion
                },
                "changed": sorted(
                    p.id
                    for p, before, after in zip(patients, main, results, strict=True)
                    if before.status != after.status
                ),
            }
        )
    return out

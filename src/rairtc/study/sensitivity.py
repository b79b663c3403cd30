"""Sensitivity of the refractory count to the rule presets a reviewer asks about first.

Every analysed patient is classified again under each preset (the analysis's parameters with
the preset's changes): ``study`` (the 0-16-month progression window), ``literal_12_16`` (the
seed's own 12-16-month wording), ``ata_never_avid`` (ATA 2015 wording of "never avid":
thyroid-bed uptake ignored) and ``count_unconfirmed_as_met``. Each entry gives the refractory
count, the rate with its Wilson interval, the primary-criterion breakdown and the patients
whose status differs from the main analysis (by id here; reports show them by pseudonym).

What a preset's classification contributes is a :class:`Verdict` (status and primary
criterion); there are a few dozen distinct verdicts, shared between patients, so keeping one
per patient and preset costs a pointer however large the registry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from rairtc.core.parameters import PRESETS, RuleParameters
from rairtc.core.rules.classify import Status
from rairtc.core.rules.terms import Criterion

SENSITIVITY_PRESETS: dict[str, dict[str, Any]] = {
    "study": {"progression_window_months": RuleParameters().progression_window_months},
    "literal_12_16": dict(PRESETS["literal_12_16"]),
    "ata_never_avid": {"c1_ignore_thyroid_bed_uptake": True},
    "count_unconfirmed_as_met": {"count_unconfirmed_as_met": True},
}


class Verdict(NamedTuple):
    status: str
    primary: Criterion | None


@cache
def verdict(status: str, primary: Criterion | None) -> Verdict:
    """The one shared :class:`Verdict` for a status and primary criterion."""
    return Verdict(status, primary)


@cache
def verdicts(items: tuple[Verdict, ...]) -> tuple[Verdict, ...]:
    """The one shared tuple of a patient's verdicts under the presets."""
    return items


@dataclass(frozen=True)
class Preset:
    """A sensitivity preset: its changes and the parameters they make; ``same`` when they are
    the analysis's own parameters (the main classification answers, nothing is redone)."""

    name: str
    changes: dict[str, Any]
    params: RuleParameters
    same: bool


def presets(params: RuleParameters) -> tuple[Preset, ...]:
    out = []
    for name, changes in SENSITIVITY_PRESETS.items():
        varied = params.with_(**changes)
        out.append(Preset(name, changes, varied, varied == params))
    return tuple(out)


def _jsonable(changes: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in changes.items()}


def sensitivity(
    chosen: Sequence[Preset],
    ids: Sequence[str],
    main: Sequence[Verdict],
    varied: Sequence[Sequence[Verdict]],
) -> list[dict[str, Any]]:
    """The entries of results.json: ``varied[k][i]`` is patient ``ids[k]``'s verdict under
    preset ``chosen[i]`` and ``main[k]`` the main analysis's."""
    from statsmodels.stats.proportion import proportion_confint

    out = []
    for i, preset in enumerate(chosen):
        results = [v[i] for v in varied]
        n = len(results)
        refractory = sum(1 for r in results if r.status == Status.REFRACTORY)
        ci = (
            [float(x) for x in proportion_confint(refractory, n, alpha=0.05, method="wilson")]
            if n
            else None
        )
        out.append(
            {
                "preset": preset.name,
                "parameters": _jsonable(preset.changes),
                "n_refractory": refractory,
                "n_analysed": n,
                "proportion": refractory / n if n else None,
                "ci_wilson": ci,
                "primary": {
                    c.value: sum(
                        1 for r in results if r.status == Status.REFRACTORY and r.primary is c
                    )
                    for c in Criterion
                },
                "changed": sorted(
                    pid
                    for pid, before, after in zip(ids, main, results, strict=True)
                    if before.status != after.status
                ),
            }
        )
    return out

"""Run the study on the replica and set the published figures beside the computed ones."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.core.records import Patient
from rairtc.io.json_files import patient_to_json
from rairtc.study.published import annotate
from rairtc.study.run import StudyOptions, run_study
from rairtc.synth.replica import AS_OF, EDITION, PERIOD, replica_parameters, rows_of

OTHER_EDITION = 8


def checksum(patients: list[Patient]) -> str:
    text = json.dumps([patient_to_json(p) for p in patients], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def replicate(cohort: list[Patient]) -> dict[str, Any]:
    """results.json of the replication: the study under AJCC 7, the published figures with
    their flags, and the stage counts under the other edition."""
    params = replica_parameters()
    results = run_study(
        cohort,
        StudyOptions(as_of=AS_OF, params=params, period=PERIOD),
        input_sha256=checksum(cohort),
    )
    other = Counter(
        r.stage or "missing"
        for r in rows_of(cohort, DEFAULT_PARAMETERS.with_(staging_edition=OTHER_EDITION))
    )
    results["staging"] = {
        "edition": EDITION,
        "reason": "the published stage mix needs 49 patients aged 55 or more with T4a disease under "
        "AJCC 8, implausible in an I-131 cohort; under AJCC 7 it is an ordinary mix",
        "other_edition": {
            "edition": OTHER_EDITION,
            "stage": {level: other.get(level, 0) for level in ("I", "II", "III", "IV", "missing")},
        },
    }
    return annotate(results)

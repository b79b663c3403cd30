"""Run the study on the replica and set the published figures beside the computed ones."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.core.records import Patient
from rairtc.io.json_files import patient_to_json
from rairtc.study.eligibility import eligibility
from rairtc.study.published import SEED_ANALYSED, annotate
from rairtc.study.run import Provenance, StudyOptions, run_sample, run_study
from rairtc.synth.provenance_texts import (
    REPLICA_GENERATOR,
    REPLICA_PUBLISHED_CASES,
    REPLICA_TARGETS,
)
from rairtc.synth.replica import (
    AS_OF,
    EDITION,
    FRAME_SEED,
    PERIOD,
    REPLICA_SEED,
    SAMPLE_SEED,
    replica_parameters,
    rows_of,
)

OTHER_EDITION = 8


def checksum(patients: list[Patient]) -> str:
    text = json.dumps([patient_to_json(p) for p in patients], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def provenance(frame: bool) -> Provenance:
    return Provenance(
        synthetic=True,
        generator=REPLICA_GENERATOR,
        seed=REPLICA_SEED,
        calibration={
            "targets": REPLICA_TARGETS,
            "published_cases": REPLICA_PUBLISHED_CASES,
            "frame_seed": FRAME_SEED if frame else None,
            "sample_seed": SAMPLE_SEED if frame else None,
        },
    )


def replicate(records: list[Patient]) -> dict[str, Any]:
    """results.json of the replication: the study under AJCC 7, the published figures with
    their flags, and the stage counts under the other edition.

    Given the study frame (:func:`rairtc.synth.replica.build_frame`), the Epi Info sample is
    drawn from its eligible patients with the published survey parameters and
    ``SAMPLE_SEED``; given the analysed cohort alone (229 eligible patients), it is analysed
    whole."""
    params = replica_parameters()
    frame = eligibility(records, period=PERIOD, as_of=AS_OF, params=params)
    draw = len(frame.eligible) > SEED_ANALYSED
    options = StudyOptions(
        as_of=AS_OF,
        params=params,
        period=PERIOD,
        sample_size="epiinfo" if draw else None,
        seed=SAMPLE_SEED if draw else None,
        provenance=provenance(draw),
    )
    results = run_study(records, options, input_sha256=checksum(records))
    sampled = set(run_sample(records, options)[0])
    other = Counter(
        r.stage or "missing"
        for r in rows_of(records, DEFAULT_PARAMETERS.with_(staging_edition=OTHER_EDITION))
        if r.patient_id in sampled
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

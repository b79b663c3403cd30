"""One timeline serves every parameter set whose timeline parameters are the same: the
classification from a shared timeline is the classification from scratch (the sensitivity
analysis relies on it), and the timeline reads no other parameter."""

from __future__ import annotations

from datetime import date

from rairtc.core.parameters import DEFAULT_PARAMETERS, PRESETS, RuleParameters
from rairtc.core.rules.classify import classify, classify_timeline
from rairtc.core.rules.timeline import build_timeline, timeline_parameters
from rairtc.examples import example_registry_path
from rairtc.io.registry import load_valid_registry
from rairtc.study.sensitivity import SENSITIVITY_PRESETS

AS_OF = date(2026, 12, 31)

VARIANTS: list[RuleParameters] = [
    *(DEFAULT_PARAMETERS.with_(**changes) for changes in PRESETS.values()),
    *(DEFAULT_PARAMETERS.with_(**changes) for changes in SENSITIVITY_PRESETS.values()),
    DEFAULT_PARAMETERS.with_(scan_day_min=1, scan_day_max=14, tsh_threshold_miu_l=25.0),
    DEFAULT_PARAMETERS.with_(include_pdtc=True, staging_edition=7),
]


def test_a_shared_timeline_classifies_as_a_fresh_one_under_every_variant() -> None:
    patients = load_valid_registry(example_registry_path(), today=AS_OF).patients
    for patient in patients:
        shared = build_timeline(patient, AS_OF, DEFAULT_PARAMETERS)
        for params in VARIANTS:
            if timeline_parameters(params) != timeline_parameters(DEFAULT_PARAMETERS):
                continue
            assert build_timeline(patient, AS_OF, params) == shared
            assert classify_timeline(shared, params) == classify(patient, AS_OF, params)


def test_the_post_therapy_window_changes_the_timeline_key() -> None:
    wider = DEFAULT_PARAMETERS.with_(post_therapy_max_days=21)
    assert timeline_parameters(wider) != timeline_parameters(DEFAULT_PARAMETERS)

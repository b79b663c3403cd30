"""The replica's age calibration stops at a named bound and says why, instead of looping
forever when the published mean cannot be reached (issue 10, defect 5)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from rairtc.core.errors import RairtcError
from rairtc.synth import replica
from rairtc.synth.replica import CalibrationError, _ages

YOUNG = np.array([True, False] * 100)
FIRST_COURSES = np.zeros(200, dtype=int)


def fixed_cases(total_age: int) -> list[SimpleNamespace]:
    return [SimpleNamespace(age=total_age)]


def test_an_unreachable_mean_age_is_a_calibration_error_not_an_endless_loop() -> None:
    # The fixed cases would have to be 0 years old in sum for 229 patients to average 49.
    with pytest.raises(CalibrationError, match="published mean 49"):
        _ages(YOUNG, FIRST_COURSES, fixed_cases(-100_000), np.random.default_rng(1))


def test_the_nudges_stop_at_the_named_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    target_sum = replica.AGE_MEAN_TARGET * replica.SEED_ANALYSED
    reachable = fixed_cases(target_sum - 200 * 45)
    assert _ages(YOUNG, FIRST_COURSES, reachable, np.random.default_rng(1)).sum() == 200 * 45
    monkeypatch.setattr(replica, "AGE_NUDGE_LIMIT", 1)
    with pytest.raises(CalibrationError, match="within 1 one-year nudges"):
        _ages(YOUNG, FIRST_COURSES, reachable, np.random.default_rng(1))


def test_a_calibration_failure_is_an_internal_error_of_the_one_tree() -> None:
    assert issubclass(CalibrationError, RairtcError)
    assert CalibrationError.exit_code == 1

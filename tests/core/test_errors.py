"""One exception tree (core/errors.py): every error a user can meet is a RairtcError whose
exit code follows cli.md (1 internal, 2 usage, 65 invalid input, 66 unavailable input)."""

from __future__ import annotations

import pytest

from rairtc.core import errors
from rairtc.core.errors import RairtcError
from rairtc.core.parameters import ParameterError, build_parameters
from rairtc.study.run import StudyError
from rairtc.study.sampling import SamplingError, draw_sample
from rairtc.synth.replica import CalibrationError


@pytest.mark.parametrize(
    ("error", "exit_code"),
    [
        (errors.UsageError, 2),
        (ParameterError, 2),  # a parameter file with an unknown key or a bad value
        (StudyError, 2),  # a study that cannot be run as asked
        (SamplingError, 2),  # a draw larger than the frame
        (errors.InvalidInput, 65),
        (errors.InputUnavailable, 66),
        (CalibrationError, 1),  # the replica cannot be built: a bug
    ],
)
def test_every_error_is_in_the_one_tree_with_its_exit_code(error: type, exit_code: int) -> None:
    assert issubclass(error, RairtcError)
    assert error.exit_code == exit_code


def test_the_errors_are_the_ones_the_modules_raise() -> None:
    assert ParameterError is errors.ParameterError
    assert StudyError is errors.StudyError
    assert SamplingError is errors.SamplingError
    assert CalibrationError is errors.CalibrationError


def test_an_unknown_parameter_is_caught_as_a_rairtc_error() -> None:
    with pytest.raises(RairtcError, match="allowed") as caught:
        build_parameters({"tsh_threshold": 30})
    assert caught.value.exit_code == 2


def test_a_sample_larger_than_the_frame_is_a_study_error() -> None:
    with pytest.raises(StudyError, match="larger than the frame"):
        draw_sample(["A", "B"], 3, seed=1)


def test_the_tree_is_drawn_in_the_docstring() -> None:
    names = [
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, RairtcError)
    ]
    assert all(name in (errors.__doc__ or "") for name in names)

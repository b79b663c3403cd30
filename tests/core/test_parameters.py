"""Rule parameters: defaults, presets, TOML-like mappings and their errors (rules.md §9)."""

from __future__ import annotations

import pytest

from rairtc.core.parameters import DEFAULT_PARAMETERS, ParameterError, build_parameters, preset


def test_study_defaults_are_those_of_rules_md() -> None:
    p = DEFAULT_PARAMETERS
    assert (p.post_therapy_max_days, p.scan_day_min, p.scan_day_max, p.tsh_threshold_miu_l) == (
        14,
        2,
        10,
        30,
    )
    assert (p.fdg_mismatch_max_days, p.progression_window_months, p.cumulative_threshold_mbq) == (
        365,
        (0, 16),
        22200,
    )
    assert (p.count_unconfirmed_as_met, p.c1_ignore_thyroid_bed_uptake, p.include_pdtc) == (
        False,
        False,
        False,
    )
    assert (p.staging_edition, p.age_cutoff, p.response_window_months) == (8, 55, 12)
    assert (p.tg_suppressed_incomplete, p.tg_stimulated_incomplete) == (1.0, 10.0)
    assert (p.tg_suppressed_excellent, p.tg_stimulated_excellent, p.tgab_rise_fraction) == (
        0.2,
        1.0,
        0.5,
    )


def test_literal_preset_changes_only_the_progression_window() -> None:
    literal = preset("literal_12_16")
    assert literal.progression_window_months == (12, 16)
    assert literal.with_(progression_window_months=(0, 16)) == DEFAULT_PARAMETERS


def test_edition_7_brings_its_own_age_cutoff_unless_one_is_given() -> None:
    assert build_parameters({"staging_edition": 7}).age_cutoff == 45
    assert build_parameters({"staging_edition": 7, "age_cutoff_years": 50}).age_cutoff == 50
    assert build_parameters({"staging_edition": 7}).with_(staging_edition=8).age_cutoff == 55


def test_unknown_key_names_the_allowed_keys() -> None:
    with pytest.raises(ParameterError, match="fdg_mismatch_max_days"):
        build_parameters({"fdg_window": 3})


def test_bad_values_are_refused() -> None:
    with pytest.raises(ParameterError):
        build_parameters({"progression_window_months": [16, 12]})
    with pytest.raises(ParameterError):
        build_parameters({"staging_edition": 6})
    with pytest.raises(ParameterError, match="unknown preset"):
        build_parameters({"preset": "lenient"})


def test_parameters_list_every_value_in_force() -> None:
    data = DEFAULT_PARAMETERS.as_dict()
    assert data["age_cutoff_years"] == 55 and data["progression_window_months"] == [0, 16]
    assert build_parameters(data) == DEFAULT_PARAMETERS.with_(age_cutoff_years=55)

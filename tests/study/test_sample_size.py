"""Epi Info StatCalc population-survey sample sizes, to the unit."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from rairtc.study.sample_size import epiinfo_table, epiinfo_z, norm_tail, sample_size

REFERENCE = Path(__file__).parents[1] / "reference" / "epiinfo_sample_sizes.csv"


def test_epi_info_defaults_give_its_well_known_table() -> None:
    # Epi Info StatCalc's default screen: population 999,999, expected 50 %, margin 5 %.
    assert [r.n_total for r in epiinfo_table(999999, 50, 5)] == [
        164,
        270,
        384,
        471,
        663,
        1082,
        1512,
    ]


def test_the_seed_studys_229_of_445() -> None:
    assert sample_size(445, 50, 5, 97).n_total == 229


def test_openepi_rounds_up_to_230_for_the_same_inputs() -> None:
    assert sample_size(445, 50, 5, 97, method="openepi").n_total == 230


def rows():
    with REFERENCE.open() as handle:
        yield from csv.DictReader(handle)


@pytest.mark.parametrize(
    "row",
    list(rows()),
    ids=lambda r: (
        f"N{r['population']}-p{r['expected']}-d{r['margin']}-c{r['confidence']}-de{r['design_effect']}x{r['clusters']}"
    ),
)
def test_agrees_with_the_independent_reference_table(row) -> None:
    result = sample_size(
        int(row["population"]),
        float(row["expected"]),
        float(row["margin"]),
        float(row["confidence"]),
        design_effect=float(row["design_effect"]),
        clusters=int(row["clusters"]),
    )
    assert result.n_total == int(row["n_total_epiinfo"])
    assert result.n_total % int(row["clusters"]) == 0


def test_epi_info_z_is_not_an_exact_quantile_at_99_99() -> None:
    assert epiinfo_z(0.05) == pytest.approx(1.96, abs=1e-3)
    assert norm_tail(1.959964) == pytest.approx(0.05, abs=2e-4)
    assert sample_size(999999, 50, 5, 99.99).n_total == 1512  # an exact quantile gives 1511


def test_design_effect_and_clusters() -> None:
    result = sample_size(445, 50, 5, 97, design_effect=1.3, clusters=4)
    assert result.n_per_cluster == 75  # ceil(1.3 * 229 / 4) = ceil(74.425)
    assert result.n_total == 300


def test_impossible_inputs_are_refused() -> None:
    for args in [(0, 50, 5, 95), (445, 0, 5, 95), (445, 50, 0, 95), (445, 50, 5, 100)]:
        with pytest.raises(ValueError):
            sample_size(*args)

"""Clinical cases run through the bulk engine alone: the revised rules it implements, its
inputs and its outputs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from rairtc.bulk import classify_frame
from rairtc.bulk.api import classify_arrow
from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.core.records import Patient
from tests.bulk.equivalence import write_parquet

AS_OF = date(2024, 12, 31)


def patient(**changes: object) -> Patient:
    data: dict[str, object] = {
        "id": "A",
        "sex": "F",
        "birth_date": "1970-01-01",
        "diagnosis_date": "2020-01-01",
        "histology": "papillary",
        "rai_courses": [{"date": "2020-02-01", "activity_mci": 100, "stimulation": "withdrawal"}],
    }
    data.update(changes)
    return Patient.model_validate(data)


FDG_NODE = {
    "id": "f",
    "date": "2020-06-01",
    "modality": "fdg_pet_ct",
    "findings": [
        {"site": "cervical_lymph_node", "kind": "regional_metastasis", "fdg_uptake": True}
    ],
}


def test_a_mismatch_against_two_scans_of_one_day_is_listed_once_with_both_flags(
    tmp_path: Path,
) -> None:
    """rules.md §2: same-date occurrences merge; the union of their flags is listed."""
    case = patient(
        imaging=[
            {"id": "d", "date": "2020-02-05", "modality": "diagnostic_wbs", "findings": []},
            {"id": "w", "date": "2020-02-05", "modality": "post_therapy_wbs", "findings": []},
            FDG_NODE,
        ]
    )
    frame = classify_frame(write_parquet([case], tmp_path / "r"), AS_OF, details=True)
    row = frame.iloc[0]
    assert row["fdg_mismatch_date"] == date(2020, 6, 1)
    assert bool(row["fdg_mismatch_confirmed"]) is True
    assert row["fdg_mismatch_flags"] == "tsh_unknown"


def test_a_lower_cumulative_activity_in_gbq_reaching_exactly_600_mci_counts(
    tmp_path: Path,
) -> None:
    """3 x 7.4 GBq is exactly 22,200 MBq: the threshold is reached (>=), summed exactly."""
    courses = [
        {"date": day, "activity_gbq": 7.4, "stimulation": "rhtsh"}
        for day in ("2020-02-01", "2020-08-01", "2021-02-01")
    ]
    scan = {
        "id": "s",
        "date": "2021-02-05",
        "modality": "post_therapy_wbs",
        "findings": [{"site": "lung", "kind": "distant_metastasis", "rai_uptake": True}],
    }
    case = patient(rai_courses=courses, imaging=[scan])
    frame = classify_frame(write_parquet([case], tmp_path / "r"), AS_OF)
    row = frame.iloc[0]
    assert row["cumulative_activity_mci"] == 600.0
    assert row["cumulative_activity_date"] == date(2021, 2, 5)
    assert row["criteria"] == "cumulative_activity"


def test_a_registry_read_from_csv_tables_classifies_as_from_parquet(tmp_path: Path) -> None:
    from rairtc.io.csv_tables import write_csv_folder

    cases = [patient(id="A", imaging=[FDG_NODE]), patient(id="B", histology="medullary")]
    write_csv_folder(cases, tmp_path / "csv")
    from_csv = classify_arrow(tmp_path / "csv", AS_OF, DEFAULT_PARAMETERS)
    from_parquet = classify_arrow(write_parquet(cases, tmp_path / "pq"), AS_OF, DEFAULT_PARAMETERS)
    assert from_csv.to_pylist() == from_parquet.to_pylist()
    # A has an FDG-avid node but no post-therapy study; B is medullary.
    assert [r["status"] for r in from_csv.to_pylist()] == ["insufficient_data"] * 2
    assert from_csv.column("not_evaluable").to_pylist()[0].startswith("no_uptake:first_course")


def test_the_frame_keeps_the_input_order_and_the_csv_columns(tmp_path: Path) -> None:
    from rairtc.bulk.classify import CSV_COLUMNS

    cases = [patient(id=pid) for pid in ("Z9", "A1", "M5")]
    frame = classify_frame(write_parquet(cases, tmp_path / "r"), AS_OF)
    assert list(frame.columns) == list(CSV_COLUMNS)
    assert list(frame["patient_id"]) == ["Z9", "A1", "M5"]


def test_the_published_cases_classify_as_published(fixtures: Path, tmp_path: Path) -> None:
    cases = [
        Patient.model_validate(c) for c in json.loads((fixtures / "paper-cases.json").read_text())
    ]
    frame = classify_frame(write_parquet(cases, tmp_path / "r"), AS_OF).set_index("patient_id")
    assert frame.loc["case-G", "primary_criterion"] == "fdg_mismatch"
    assert frame.loc["case-G", "onset_date"] == date(2021, 12, 23)
    assert frame.loc["case-G", "cumulative_activity_mci"] == 355.0

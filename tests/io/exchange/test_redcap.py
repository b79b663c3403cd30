"""REDCap: the dictionary REDCap expects, and flat exports that come back unchanged."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pytest
from hypothesis import given

from rairtc.core.codes import Recommendation
from rairtc.core.records import Mdt, Patient
from rairtc.io.redcap.dictionary import HEADER, dictionary_rows, write_dictionary
from rairtc.io.redcap.fields import FIELDS, FORMS, export_columns
from rairtc.io.redcap.flat import write_redcap
from rairtc.io.registry import input_format, load_registry, load_valid_registry
from tests.cli.runner import invoke
from tests.io.exchange.conftest import TODAY
from tests.strategies import registries

REDCAP_HEADER = [
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
]


def there_and_back(patients: list[Patient]) -> list[Patient]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.csv"
        write_redcap(patients, path)
        return load_valid_registry(path, today=TODAY).patients


def by_variable() -> dict[str, dict[str, str]]:
    header, *rows = dictionary_rows()
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


def test_the_dictionary_header_is_redcaps_own_18_columns(tmp_path: Path) -> None:
    path = tmp_path / "dictionary.csv"
    write_dictionary(path)
    with path.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == REDCAP_HEADER == list(HEADER)
    assert path.read_text(encoding="utf-8").startswith("Variable / Field Name,Form Name,")


def test_record_id_opens_the_patient_form_and_forms_follow_in_order() -> None:
    rows = dictionary_rows()[1:]
    assert rows[0][:2] == ["record_id", "patient"]
    forms = list(dict.fromkeys(row[1] for row in rows))
    assert forms == [form.name for form in FORMS]


def test_enums_are_choice_fields_whose_codes_are_the_records_own_codes() -> None:
    fields = by_variable()
    assert fields["histology"]["Field Type"] == "dropdown"
    assert fields["histology"]["Choices, Calculations, OR Slider Labels"].startswith(
        "papillary, papillary | follicular, follicular"
    )
    assert fields["t"]["Choices, Calculations, OR Slider Labels"].split(" | ")[2] == "T1, T1"
    checkbox = fields["mdt_recommendations"]
    assert checkbox["Field Type"] == "checkbox"
    codes = [
        c.split(", ")[0] for c in checkbox["Choices, Calculations, OR Slider Labels"].split(" | ")
    ]
    assert codes == [r.value for r in Recommendation]


def test_dates_are_date_ymd_and_ranges_are_validation_bounds() -> None:
    fields = by_variable()
    for name in ("birth_date", "diagnosis_date", "course_date", "lab_date", "imaging_date"):
        assert fields[name]["Text Validation Type OR Show Slider Number"] == "date_ymd", name
    course = fields["course_activity_mci"]
    assert course["Text Validation Type OR Show Slider Number"] == "number"
    assert (course["Text Validation Min"], course["Text Validation Max"]) == ("0", "1000")
    assert (
        fields["vascular_invasion_foci"]["Text Validation Type OR Show Slider Number"] == "integer"
    )
    assert fields["smoker"]["Field Type"] == "yesno"


def test_identifier_fields_are_flagged_and_nothing_else() -> None:
    flagged = {name for name, row in by_variable().items() if row["Identifier?"] == "y"}
    assert flagged == {"full_name", "national_id", "mrn"}


def test_variable_names_are_redcap_names() -> None:
    names = [field.name for field in FIELDS]
    assert len(names) == len(set(names))
    for name in names:
        assert name == name.lower() and name[0].isalpha() and len(name) <= 100, name
        assert all(ch.isalnum() or ch == "_" for ch in name), name


def test_the_example_registry_round_trips(example: list[Patient]) -> None:
    assert there_and_back(example) == example


def test_a_synthetic_registry_round_trips(synthetic: list[Patient]) -> None:
    assert there_and_back(synthetic) == synthetic


def test_generated_registries_round_trip() -> None:
    @given(registries(ids=True))
    def check(patients: list[Patient]) -> None:
        assert there_and_back(patients) == patients

    check()


def test_recommendations_keep_their_order_and_repeats(example: list[Patient]) -> None:
    entry = Mdt(
        id="m9",
        date=example[0].diagnosis_date,
        recommendations=("repeat_rai", "fdg_pet_ct", "repeat_rai"),
    )
    patient = example[0].model_copy(update={"mdt": (entry,)})
    assert there_and_back([patient])[0].mdt == (entry,)


def test_the_export_has_redcaps_columns_and_checkbox_columns(
    tmp_path: Path, example: list[Patient]
) -> None:
    path = tmp_path / "records.csv"
    write_redcap(example, path)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[:3] == ["record_id", "redcap_repeat_instrument", "redcap_repeat_instance"]
    assert list(rows[0]) == export_columns()
    assert "mdt_recommendations___surveillance_tsh_suppression" in rows[0]
    first = [r for r in rows if r["record_id"] == example[0].id]
    assert first[0]["redcap_repeat_instrument"] == ""
    assert [
        r["redcap_repeat_instance"] for r in first if r["redcap_repeat_instrument"] == "lab"
    ] == [
        "1",
        "2",
        "3",
        "4",
    ]
    mdt = next(r for r in first if r["redcap_repeat_instrument"] == "mdt")
    assert mdt["mdt_recommendations___surveillance_tsh_suppression"] == "1"
    assert mdt["mdt_recommendations___repeat_rai"] == "0"


def test_a_redcap_export_is_detected_by_its_header(tmp_path: Path, example: list[Patient]) -> None:
    path = tmp_path / "project.csv"
    write_redcap(example, path)
    assert input_format(path) == "redcap"


def test_checkboxes_edited_in_redcap_win_over_the_stored_order(
    tmp_path: Path, example: list[Patient]
) -> None:
    path = tmp_path / "records.csv"
    write_redcap(example[:1], path)
    text = path.read_text(encoding="utf-8")
    header, *lines = text.splitlines()
    columns = header.split(",")
    edited = []
    for line in lines:
        cells = line.split(",")
        if cells[1] == "mdt":
            cells[columns.index("mdt_recommendations___repeat_rai")] = "1"
        edited.append(",".join(cells))
    path.write_text("\n".join([header, *edited]) + "\n", encoding="utf-8")
    mdt = load_valid_registry(path, today=TODAY).patients[0].mdt[0]
    assert mdt.recommendations == ("surveillance_tsh_suppression", "repeat_rai")


# Malformed exports: every problem names the line (the record) and the field.
def _rows(example: list[Patient], tmp_path: Path) -> tuple[Path, list[dict[str, str]]]:
    path = tmp_path / "records.csv"
    write_redcap(example[:1], path)
    with path.open(newline="", encoding="utf-8") as handle:
        return path, list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]], extra: list[str] = ()) -> None:  # type: ignore[assignment]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, [*export_columns(), *extra], restval="")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("on", "change", "field", "words"),
    [
        # an instrument the project does not have
        ("surgery", {"redcap_repeat_instrument": "biopsy"}, "redcap_repeat_instrument", "biopsy"),
        # an instance that is not a number
        ("surgery", {"redcap_repeat_instance": "first"}, "redcap_repeat_instance", "instance"),
        # a lab value typed on a surgery row
        ("surgery", {"lab_value": "2.5"}, "lab_value", "lab form"),
        # a checkbox with a value REDCap never writes
        (
            "mdt",
            {"mdt_recommendations___repeat_rai": "yes"},
            "mdt_recommendations___repeat_rai",
            "checkbox",
        ),
    ],
)
def test_malformed_rows_are_named_by_line_and_field(
    tmp_path: Path, example: list[Patient], on: str, change: dict[str, str], field: str, words: str
) -> None:
    path, rows = _rows(example, tmp_path)
    index = next(i for i, r in enumerate(rows) if r["redcap_repeat_instrument"] == on)
    rows[index].update(change)
    _write(path, rows)
    loaded = load_registry(path, today=TODAY)
    found = [p for p in loaded.errors if p.field == field]
    assert found, [p.line() for p in loaded.errors]
    assert found[0].record == f"records.csv line {index + 2}"
    assert found[0].patient_id == example[0].id
    assert words in found[0].text


def test_an_instance_used_twice_is_an_error(tmp_path: Path, example: list[Patient]) -> None:
    path, rows = _rows(example, tmp_path)
    labs = [r for r in rows if r["redcap_repeat_instrument"] == "lab"]
    labs[1]["redcap_repeat_instance"] = "1"
    _write(path, rows)
    errors = load_registry(path, today=TODAY).errors
    assert any(p.field == "redcap_repeat_instance" and "also on line" in p.text for p in errors)


def test_a_bad_enum_code_is_named_with_the_allowed_codes(
    tmp_path: Path, example: list[Patient]
) -> None:
    path, rows = _rows(example, tmp_path)
    rows[0]["histology"] = "9"
    _write(path, rows)
    errors = load_registry(path, today=TODAY).errors
    assert [(p.code, p.record, p.field) for p in errors] == [
        ("validation.field_enum", "records.csv line 2", "histology")
    ]


def test_an_unknown_column_is_an_error_and_a_warning_when_lenient(
    tmp_path: Path, example: list[Patient]
) -> None:
    path, rows = _rows(example, tmp_path)
    _write(path, rows, extra=["favourite_colour"])
    assert [p.field for p in load_registry(path, today=TODAY).errors] == ["favourite_colour"]
    lenient = load_registry(path, today=TODAY, lenient=True)
    assert not lenient.errors and lenient.patients == example[:1]


def test_form_complete_columns_of_a_real_export_are_accepted(
    tmp_path: Path, example: list[Patient]
) -> None:
    path, rows = _rows(example, tmp_path)
    for row in rows:
        row["patient_complete"] = "2"
        row["redcap_data_access_group"] = "semey"
    _write(path, rows, extra=["patient_complete", "redcap_data_access_group"])
    assert load_valid_registry(path, today=TODAY).patients == example[:1]


def test_the_command_line_rejects_a_malformed_export_with_65(
    tmp_path: Path, example: list[Patient]
) -> None:
    path, rows = _rows(example, tmp_path)
    rows[2]["redcap_repeat_instrument"] = "biopsy"
    _write(path, rows)
    outcome = invoke("convert", str(path), str(tmp_path / "out.json"), "--today", "2026-01-01")
    assert outcome.code == 65
    assert f"patient {example[0].id}, records.csv line 4, field redcap_repeat_instrument" in (
        outcome.stderr
    )
    assert "Traceback" not in outcome.stderr
    assert not (tmp_path / "out.json").exists()


def test_a_csv_without_record_id_first_is_not_read_as_redcap(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("name,value\nx,1\n", encoding="utf-8")
    outcome = invoke("validate", str(path))
    assert outcome.code == 2

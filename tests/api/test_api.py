"""The Python API: the public names, and classify over every accepted input form."""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import rairtc
from rairtc.examples import example_registry_path
from rairtc.io.layout import flatten
from tests.cli.runner import invoke

AS_OF = date(2024, 12, 31)
PUBLIC = {
    "__version__",
    "read_registry",
    "validate",
    "classify",
    "preset",
    "Registry",
    "Classifications",
    "Classification",
    "Status",
    "Criterion",
    "RuleParameters",
    "Error",
}


def test_the_public_names_are_exactly_all() -> None:
    assert set(rairtc.__all__) == PUBLIC
    for name in rairtc.__all__:
        assert getattr(rairtc, name) is not None
    assert rairtc.Error is __import__("rairtc.core.errors").core.errors.RairtcError


def test_import_rairtc_loads_nothing_heavy() -> None:
    code = (
        "import sys, rairtc\n"
        "print(sorted(m for m in ('pandas', 'pydantic', 'babel', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        rairtc.nothing_here  # noqa: B018


def test_status_and_criterion_are_enums_of_the_rule_codes() -> None:
    assert [s.value for s in rairtc.Status] == [
        "refractory",
        "possibly_refractory",
        "not_refractory",
        "insufficient_data",
    ]
    assert rairtc.Criterion("fdg_mismatch") is rairtc.Criterion.FDG_MISMATCH


def test_a_path_a_registry_dicts_and_dataframes_classify_identically() -> None:
    path = example_registry_path()
    registry = rairtc.read_registry(path)
    dicts = json.loads(path.read_text(encoding="utf-8"))
    frames = {k: pd.DataFrame(v) for k, v in flatten(list(registry.patients)).items()}
    expected = rairtc.classify(path, as_of=AS_OF).as_dicts()
    assert rairtc.classify(str(path), as_of="2024-12-31").as_dicts() == expected
    assert rairtc.classify(registry, as_of=AS_OF).as_dicts() == expected
    assert rairtc.classify(dicts, as_of=AS_OF).as_dicts() == expected
    assert rairtc.classify(frames, as_of=AS_OF).as_dicts() == expected


def test_to_pandas_has_the_columns_and_values_of_classify_csv() -> None:
    path = example_registry_path()
    outcome = invoke("classify", str(path), "--as-of", "2024-12-31", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(outcome.stdout)))
    table = rairtc.classify(path, as_of=AS_OF).to_pandas()
    assert list(table.columns) == list(rows[0])
    assert table["patient_id"].tolist() == [r["patient_id"] for r in rows]
    assert table["status"].tolist() == [r["status"] for r in rows]
    assert table["rair"].tolist() == [r["rair"] == "true" for r in rows]
    onset = [None if pd.isna(d) else d.date().isoformat() for d in table["onset_date"]]
    assert onset == [r["onset_date"] or None for r in rows]


def test_evidence_is_long_with_one_row_per_evidence_item() -> None:
    result = rairtc.classify(example_registry_path(), as_of=AS_OF)
    evidence = result.evidence()
    expected = sum(len(o.evidence) for r in result for o in r.criteria)
    assert len(evidence) == expected > 0
    first = evidence.iloc[0]
    patient = result[first["patient_id"]]
    occurrence = next(o for o in patient.criteria if o.criterion.value == first["criterion"])
    assert first["sentence"] == occurrence.evidence[0].text
    assert first["params"] == dict(occurrence.evidence[0].params)
    kazakh = result.evidence(lang="kk")
    assert kazakh["sentence"].tolist() != evidence["sentence"].tolist()


def test_nan_and_pd_na_in_dataframes_are_missing_not_values() -> None:
    # A NaN TSH must not count as a value (issue 10, defect 1): with TSH missing the
    # no-uptake confirmation reads "tsh_unknown", exactly as with an empty cell.
    registry = rairtc.read_registry(example_registry_path())
    tables = flatten(list(registry.patients))
    blank = {k: pd.DataFrame(v) for k, v in tables.items()}
    blank["rai_courses"]["tsh_miu_l"] = None
    for missing in (math.nan, pd.NA):
        frames = {k: v.copy() for k, v in blank.items()}
        frames["rai_courses"]["tsh_miu_l"] = pd.Series(
            [missing] * len(frames["rai_courses"]), dtype="object"
        )
        got = rairtc.classify(frames, as_of=AS_OF).as_dicts()
        assert got == rairtc.classify(blank, as_of=AS_OF).as_dicts()


def test_invalid_records_raise_the_one_error_class_with_every_problem() -> None:
    dicts = json.loads(example_registry_path().read_text(encoding="utf-8"))
    dicts[2]["sex"] = "X"
    with pytest.raises(rairtc.Error) as caught:
        rairtc.classify(dicts, as_of=AS_OF)
    assert [p.code for p in caught.value.problems if p.is_error] == ["validation.field_enum"]
    assert "skip_invalid=True" in str(caught.value)
    result = rairtc.classify(dicts, as_of=AS_OF, skip_invalid=True)
    assert len(result) == 8 and [p.patient_id for p in result.rejected] == ["KZ-0003"]


def test_validate_reports_problems_without_raising() -> None:
    dicts = json.loads(example_registry_path().read_text(encoding="utf-8"))
    dicts[0]["rai_courses"][0]["activity_mci"] = -1
    checked = rairtc.validate(dicts)
    assert not checked.ok and len(checked) == 8
    frame = checked.problems_frame()
    assert "validation.activity_not_positive" in frame["code"].tolist()


def test_params_accept_a_preset_name_or_a_value() -> None:
    path = example_registry_path()
    by_name = rairtc.classify(path, as_of=AS_OF, params="literal_12_16").as_dicts()
    by_value = rairtc.classify(path, as_of=AS_OF, params=rairtc.preset("literal_12_16"))
    assert by_name == by_value.as_dicts()
    with pytest.raises(rairtc.Error, match="unknown preset"):
        rairtc.preset("nonsense")


def test_a_missing_patient_id_is_a_key_error() -> None:
    result = rairtc.classify(example_registry_path(), as_of=AS_OF)
    with pytest.raises(KeyError):
        result["nobody"]


def test_an_unknown_table_name_is_refused() -> None:
    with pytest.raises(rairtc.Error, match="unknown table"):
        rairtc.classify({"patient": pd.DataFrame()}, as_of=AS_OF)


def test_a_missing_file_is_the_input_unavailable_error(tmp_path: Path) -> None:
    with pytest.raises(rairtc.Error) as caught:
        rairtc.read_registry(tmp_path / "absent.json")
    assert caught.value.exit_code == 66

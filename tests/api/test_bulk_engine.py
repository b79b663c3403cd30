"""``rairtc.classify(..., engine="bulk")``: the reference engine's frame from a table source,
and a clear error for everything the bulk engine cannot do (issue 12, item 5)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import rairtc
from rairtc.api import BulkClassifications
from rairtc.core.errors import InputUnavailable, UsageError
from rairtc.examples import example_registry_path
from rairtc.io.layout import flatten
from rairtc.io.parquet_tables import write_parquet_folder

AS_OF = date(2024, 12, 31)
UNCONFIRMED = rairtc.RuleParameters(count_unconfirmed_as_met=True)


@pytest.fixture(scope="module")
def registries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled examples and the published cases, each written as a Parquet folder."""
    folder = tmp_path_factory.mktemp("bulk-api")
    fixtures = Path(__file__).parents[1] / "fixtures"
    sources = {"examples": example_registry_path(), "published": fixtures / "paper-cases.json"}
    out = {}
    for name, source in sources.items():
        registry = rairtc.read_registry(source)
        assert registry.ok
        write_parquet_folder(registry.patients, folder / name)
        out[name] = folder / name
    return out


@pytest.mark.parametrize("name", ["examples", "published"])
@pytest.mark.parametrize("params", [None, UNCONFIRMED], ids=["default", "count_unconfirmed_as_met"])
def test_both_engines_give_the_same_frame(
    registries: dict[str, Path], name: str, params: rairtc.RuleParameters | None
) -> None:
    folder = registries[name]
    reference = rairtc.classify(folder, as_of=AS_OF, params=params).to_pandas()
    bulk = rairtc.classify(folder, as_of=AS_OF, params=params, engine="bulk").to_pandas()
    pd.testing.assert_frame_equal(bulk, reference)


def test_the_frames_hold_refractory_patients_dates_and_missing_values(
    registries: dict[str, Path],
) -> None:
    # Guards the comparison above against two equally empty frames.
    bulk = rairtc.classify(registries["published"], as_of=AS_OF, engine="bulk").to_pandas()
    case_g = bulk.set_index("patient_id").loc["case-G"]
    assert case_g["primary_criterion"] == "fdg_mismatch"
    assert case_g["onset_date"] == pd.Timestamp("2021-12-23")
    assert pd.api.types.is_datetime64_any_dtype(bulk["onset_date"])
    examples = rairtc.classify(registries["examples"], as_of=AS_OF, engine="bulk").to_pandas()
    assert examples["rair"].sum() == 5
    assert examples["onset_date"].isna().any() and examples["onset_date"].notna().any()


def test_a_preset_name_and_an_iso_date_are_accepted(registries: dict[str, Path]) -> None:
    folder = registries["examples"]
    bulk = rairtc.classify(folder, as_of="2024-12-31", params="literal_12_16", engine="bulk")
    reference = rairtc.classify(folder, as_of=AS_OF, params=rairtc.preset("literal_12_16"))
    pd.testing.assert_frame_equal(bulk.to_pandas(), reference.to_pandas())
    assert len(bulk) == len(reference) == 9
    assert bulk.as_of == AS_OF


def test_the_bulk_result_has_no_evidence_and_no_patient_objects(
    registries: dict[str, Path],
) -> None:
    result = rairtc.classify(registries["examples"], as_of=AS_OF, engine="bulk")
    assert isinstance(result, BulkClassifications)
    assert isinstance(result, rairtc.Classifications)
    for attempt in (
        result.evidence,
        lambda: list(result),
        lambda: result["KZ-0002"],
        result.as_dicts,
    ):
        with pytest.raises(rairtc.Error, match="bulk engine writes no evidence"):
            attempt()


def test_records_that_are_not_a_table_source_are_refused_with_the_fix(tmp_path: Path) -> None:
    path = example_registry_path()
    registry = rairtc.read_registry(path)
    dicts = json.loads(path.read_text(encoding="utf-8"))
    frames = {k: pd.DataFrame(v) for k, v in flatten(list(registry.patients)).items()}
    for records in (path, str(path), dicts, dicts[0], frames, registry):
        with pytest.raises(UsageError, match="write the registry as Parquet first"):
            rairtc.classify(records, as_of=AS_OF, engine="bulk")


def test_a_missing_folder_is_the_input_unavailable_error(tmp_path: Path) -> None:
    with pytest.raises(InputUnavailable, match="no such file or folder"):
        rairtc.classify(tmp_path / "absent", as_of=AS_OF, engine="bulk")


def test_validation_options_are_refused_because_bulk_does_not_validate(
    registries: dict[str, Path],
) -> None:
    for option in ({"skip_invalid": True}, {"lenient": True}):
        with pytest.raises(UsageError, match="does not validate"):
            rairtc.classify(registries["examples"], as_of=AS_OF, engine="bulk", **option)


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(UsageError, match="unknown engine 'fast'; allowed: reference, bulk"):
        rairtc.classify(example_registry_path(), as_of=AS_OF, engine="fast")

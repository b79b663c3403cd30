"""Errors a user meets outside the readers (outputs that cannot be written, parameter files,
studies and draws, the bulk engine) carry stable codes: the English stays as it was, and a run
with ``--lang ru`` says them in Russian with the same exit code."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rairtc.core.errors import UsageError
from rairtc.i18n import error_text
from rairtc.io.atomic import check_file_target, check_folder_target
from tests.cli.runner import invoke

FIXTURES = Path(__file__).parents[1] / "fixtures"
REGISTRY = FIXTURES / "paper-cases.json"


def test_an_output_that_is_a_folder_keeps_its_english_and_is_said_in_kazakh(
    tmp_path: Path,
) -> None:
    with pytest.raises(UsageError) as caught:
        check_file_target(tmp_path)
    assert str(caught.value) == f"the output {tmp_path} is an existing folder; name a file"
    assert caught.value.code == "io.output_is_folder"
    assert (
        error_text(caught.value, "kk")
        == f"шығыс жолы {tmp_path} — бар қалта; файл атауын көрсетіңіз"
    )


def test_a_folder_of_the_users_own_files_is_refused_in_russian(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("мои заметки")
    with pytest.raises(UsageError) as caught:
        check_folder_target(tmp_path, lambda entry: False)
    assert "already holds files rairtc did not write" in str(caught.value)
    assert "уже содержит файлы, записанные не rairtc" in error_text(caught.value, "ru")


def test_convert_onto_an_existing_folder_is_refused_in_russian(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.mkdir()
    outcome = invoke("convert", str(REGISTRY), str(out), "--lang", "ru")
    assert outcome.code == 2
    assert outcome.stderr.strip() == (
        f"rairtc: выходной путь {out} — существующая папка; укажите файл"
    )


def test_an_option_named_in_an_output_error_stays_the_option(tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.jsonl"
    rejects.mkdir()
    outcome = invoke(
        "convert",
        str(REGISTRY),
        str(tmp_path / "out.json"),
        "--rejects",
        str(rejects),
        "--lang",
        "ru",
    )
    assert outcome.code == 2
    assert (
        outcome.stderr.strip() == f"rairtc: --rejects {rejects} — существующая папка; укажите файл"
    )


def test_an_unknown_parameter_keeps_its_english_and_carries_its_code() -> None:
    from rairtc.core.parameters import ParameterError, build_parameters

    with pytest.raises(ParameterError) as caught:
        build_parameters({"preset": "lenient"})
    assert str(caught.value) == "unknown preset 'lenient'; allowed: study, literal_12_16"
    assert error_text(caught.value, "kk") == (
        "белгісіз параметрлер жинағы (preset) 'lenient'; рұқсат етілгендері: study, literal_12_16"
    )


def test_a_parameter_file_with_an_unknown_key_is_refused_in_russian(tmp_path: Path) -> None:
    params = tmp_path / "params.toml"
    params.write_text("window = 3\n")
    outcome = invoke("classify", str(REGISTRY), "--params", str(params), "--lang", "ru")
    assert outcome.code == 2
    assert outcome.stderr.startswith(
        f"rairtc: {params}: неизвестные параметры: window; допустимые: preset, age_cutoff_years"
    )


def test_a_draw_larger_than_the_frame_keeps_its_english_and_carries_its_code() -> None:
    from rairtc.study.sampling import SamplingError, draw_sample

    with pytest.raises(SamplingError) as caught:
        draw_sample(["KZ-1", "KZ-2"], 3, seed=1)
    assert str(caught.value) == "sample size 3 is larger than the frame of 2 eligible patients"
    assert caught.value.code == "study.size_above_frame"
    assert error_text(caught.value, "kk") != str(caught.value)


def test_sample_larger_than_the_frame_is_refused_in_russian(tmp_path: Path) -> None:
    out = tmp_path / "sample.csv"
    outcome = invoke(
        "sample",
        str(REGISTRY),
        "--size",
        "5000",
        "--seed",
        "1",
        "--out",
        str(out),
        "--lang",
        "ru",
    )
    assert outcome.code == 2
    assert outcome.stderr.strip().startswith("rairtc: объём выборки 5000 больше основы выборки из")
    assert not out.exists()


def test_study_without_a_seed_is_refused_in_russian(tmp_path: Path) -> None:
    outcome = invoke(
        "study",
        str(REGISTRY),
        "--out",
        str(tmp_path / "study"),
        "--sample-size",
        "5",
        "--lang",
        "ru",
    )
    assert outcome.code == 65
    assert outcome.stderr.strip() == (
        "rairtc: неверные входные данные: для объёма выборки нужен --seed, чтобы отбор можно "
        "было воспроизвести"
    )


def test_an_exchange_output_of_the_wrong_kind_is_refused_in_russian(tmp_path: Path) -> None:
    out = tmp_path / "records.txt"
    outcome = invoke("convert", str(REGISTRY), str(out), "--to", "redcap", "--lang", "ru")
    assert outcome.code == 2
    assert outcome.stderr.strip() == (
        "rairtc: --to redcap записывает один плоский файл CSV (например, records.csv); "
        "records.txt не подходит"
    )


def test_the_bulk_engine_keeps_its_english_and_carries_its_code(tmp_path: Path) -> None:
    from rairtc.bulk.sources import open_registry

    with pytest.raises(UsageError) as caught:
        open_registry(REGISTRY, date(2025, 1, 1))
    assert str(caught.value) == (
        "the bulk engine reads a folder of Parquet or CSV tables, a .duckdb file or a "
        "postgresql:// URL, not 'paper-cases.json'; convert it with rairtc convert"
    )
    assert caught.value.code == "bulk.source_unknown"
    assert "массовый движок читает папку таблиц" in error_text(caught.value, "ru")


def test_bulk_explain_of_an_unknown_patient_is_refused_in_russian(tmp_path: Path) -> None:
    folder = tmp_path / "registry"
    assert invoke("convert", str(REGISTRY), str(folder), "--parquet").code == 0
    outcome = invoke(
        "classify",
        str(folder),
        "--engine",
        "bulk",
        "--explain",
        "NOPE",
        "--format",
        "json",
        "--lang",
        "ru",
    )
    assert outcome.code == 2
    assert outcome.stderr.splitlines()[-1] == (
        "rairtc: --explain: в регистре нет пациента с идентификатором NOPE"
    )


def test_an_export_without_a_mode_is_refused_in_russian(tmp_path: Path) -> None:
    outcome = invoke("--lang", "ru", "export", str(REGISTRY), str(tmp_path / "export.csv"))
    assert outcome.code == 2
    assert outcome.stderr.strip().startswith(
        "rairtc: выгрузка предназначена для исследования: укажите --pseudonymise KEYFILE"
    )


def test_a_minimum_cell_below_one_is_refused_in_russian(tmp_path: Path) -> None:
    out = tmp_path / "counts.csv"
    outcome = invoke(
        "--lang", "ru", "export", str(REGISTRY), str(out), "--aggregate", "sex", "--min-cell", "0"
    )
    assert outcome.code == 2
    assert outcome.stderr.strip() == "rairtc: --min-cell 0: укажите число 1 или больше"

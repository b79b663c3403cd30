"""Reading a registry in chunks gives exactly what reading it whole gives (rairtc.io.chunks).

The union over the chunks of the validated records (in order), the problems of the files,
the orphan rows and the normalisation counts equals what ``load_registry`` returns, in every
format, at every chunk size: a patient is never split between chunks, an id shared by
patients in different chunks is still an error on each, a row whose patient is missing is
still an orphan.
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rairtc.core.errors import InvalidInput
from rairtc.core.records import Patient
from rairtc.io.cells import count_all
from rairtc.io.chunks import load_chunks
from rairtc.io.json_files import patient_to_json
from rairtc.io.layout import column_names, flatten
from rairtc.io.registry import Loaded, load_registry, registry_writer, write_registry
from rairtc.synth.registry import demo_patients, write_synthetic_parquet
from tests.strategies import TODAY, registries

FORMATS = [
    ("r.json", False),
    ("r.jsonl", False),
    ("r.xlsx", False),
    ("r.duckdb", False),
    ("r.sqlite", False),
    ("tables", False),
    ("tables", True),
]
FORMAT_IDS = [f"{n}{'-parquet' if p else ''}" for n, p in FORMATS]
EXAMPLE = Path(__file__).parents[2] / "src" / "rairtc" / "examples" / "registry.json"


def _sorted(items: Iterable[Any]) -> list[str]:
    return sorted(repr(item) for item in items)


def assert_same_as_whole(path: Path, chunk_size: int, *, lenient: bool = False) -> list[Loaded]:
    whole = load_registry(path, today=TODAY, lenient=lenient)
    chunks = list(load_chunks(path, today=TODAY, lenient=lenient, chunk_size=chunk_size))
    assert chunks, "at least one chunk, even for an empty registry"
    assert all(len(c.validated) <= chunk_size for c in chunks)
    assert [v for c in chunks for v in c.validated] == whole.validated
    assert _sorted(p for c in chunks for p in c.file_problems) == _sorted(whole.file_problems)
    assert _sorted(o for c in chunks for o in c.orphans) == _sorted(whole.orphans)
    assert count_all(c.tally for c in chunks).counts == whole.tally.counts
    return chunks


@pytest.mark.parametrize(("name", "parquet"), FORMATS, ids=FORMAT_IDS)
@pytest.mark.parametrize("chunk_size", [1, 4, 1000])
def test_the_bundled_example_reads_the_same_in_chunks(
    tmp_path: Path, name: str, parquet: bool, chunk_size: int
) -> None:
    loaded = load_registry(EXAMPLE, today=TODAY)
    path = tmp_path / name
    write_registry(loaded.patients, path, parquet=parquet)
    chunks = assert_same_as_whole(path, chunk_size)
    assert len(chunks) == -(-len(loaded.patients) // chunk_size)


@pytest.mark.parametrize(("name", "parquet"), FORMATS, ids=FORMAT_IDS)
def test_generated_registries_read_the_same_in_chunks(name: str, parquet: bool) -> None:
    @settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(registries(ids=False, max_size=5), st.integers(1, 3))
    def check(patients: list[Patient], chunk_size: int) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            write_registry(patients, path, parquet=parquet)
            assert_same_as_whole(path, chunk_size)

    check()


def test_a_synthetic_registry_reads_the_same_in_chunks(tmp_path: Path) -> None:
    write_synthetic_parquet(120, 5, tmp_path / "registry")
    chunks = assert_same_as_whole(tmp_path / "registry", 25)
    assert [len(c.validated) for c in chunks] == [25, 25, 25, 25, 20]


# -- registries with cross-patient problems, written cell by cell --------------------------

MUTATIONS = ("shared_id", "orphan_lab", "lost_finding", "blank_row", "no_id_study", "bad_cell")


def _tables(patients: list[Patient], mutations: set[str]) -> dict[str, list[dict[str, Any]]]:
    """The layout rows of ``patients`` with the chosen damage done to them."""
    rows = flatten(patients)
    first = rows["patients"][0]
    if "shared_id" in mutations:  # the last patient takes the first one's id
        rows["patients"].append({**first, "sex": "female"})
    if "orphan_lab" in mutations:
        rows["labs"].insert(0, {**dict.fromkeys(column_names("labs")), "patient_id": "NOBODY"})
    if "lost_finding" in mutations:
        finding = dict.fromkeys(column_names("findings"))
        rows["findings"].append({**finding, "patient_id": first["id"], "imaging_id": "nowhere"})
    if "blank_row" in mutations:
        rows["surgeries"].insert(0, dict.fromkeys(column_names("surgeries")))
    if "no_id_study" in mutations:
        study = {**dict.fromkeys(column_names("imaging")), "patient_id": rows["patients"][-1]["id"]}
        rows["imaging"].append({**study, "modality": "ct", "date": date(2020, 1, 1)})
    if "bad_cell" in mutations:
        rows["patients"][-1] = {**rows["patients"][-1], "birth_date": "31.02.1960"}
    return rows


def _text(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _write_csv(rows: dict[str, list[dict[str, Any]]], folder: Path) -> Path:
    folder.mkdir()
    for table, items in rows.items():
        with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(column_names(table))
            for row in items:
                writer.writerow(["" if row[c] is None else _text(row[c]) for c in row])
    return folder


def _write_parquet(rows: dict[str, list[dict[str, Any]]], folder: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir()
    for table, items in rows.items():
        columns = {c: [_text(r[c]) for r in items] for c in column_names(table)}
        pq.write_table(pa.table(columns) if items else _empty(table), folder / f"{table}.parquet")
    return folder


def _empty(table: str) -> Any:
    import pyarrow as pa

    return pa.table({c: pa.array([], pa.string()) for c in column_names(table)})


def _write_xlsx(rows: dict[str, list[dict[str, Any]]], path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for table, items in rows.items():
        sheet = book.create_sheet(table)
        sheet.append(column_names(table))
        for row in items:
            sheet.append([row[c] for c in column_names(table)])
    book.save(path)
    return path


def _write_sqlite(rows: dict[str, list[dict[str, Any]]], path: Path) -> Path:
    con = sqlite3.connect(path)
    for table, items in rows.items():
        names = column_names(table)
        con.execute(f'CREATE TABLE "{table}" ({", ".join(names)})')
        marks = ", ".join("?" for _ in names)
        con.executemany(
            f'INSERT INTO "{table}" VALUES ({marks})',
            [[_text(r[c]) for c in names] for r in items],
        )
    con.commit()
    con.close()
    return path


def _write_duckdb(rows: dict[str, list[dict[str, Any]]], path: Path) -> Path:
    from rairtc.io.databases import connect_duckdb

    with connect_duckdb(str(path)) as con:
        for table, items in rows.items():
            names = column_names(table)
            con.execute(f'CREATE TABLE "{table}" ({", ".join(f"{n} VARCHAR" for n in names)})')
            if items:
                marks = ", ".join("?" for _ in names)
                con.executemany(
                    f'INSERT INTO "{table}" VALUES ({marks})',
                    [[None if r[c] is None else str(_text(r[c])) for c in names] for r in items],
                )
    return path


def _json_patients(patients: list[Patient], mutations: set[str]) -> list[dict[str, Any]]:
    data = [patient_to_json(p) for p in patients]
    if "shared_id" in mutations:
        data.append({**data[0], "sex": "female"})
    if "bad_cell" in mutations:
        data[-1] = {**data[-1], "birth_date": "31.02.1960"}
    return data


def _write_json(patients: list[Patient], mutations: set[str], path: Path) -> Path:
    path.write_text(json.dumps(_json_patients(patients, mutations), default=str))
    return path


def _write_jsonl(patients: list[Patient], mutations: set[str], path: Path) -> Path:
    lines = [json.dumps(p, default=str) for p in _json_patients(patients, mutations)]
    path.write_text("\n\n".join(lines) + "\n")
    return path


Writer = Callable[[list[Patient], set[str], Path], Path]
WRITERS: dict[str, Writer] = {
    "csv": lambda p, m, d: _write_csv(_tables(p, m), d / "tables"),
    "parquet": lambda p, m, d: _write_parquet(_tables(p, m), d / "tables"),
    "xlsx": lambda p, m, d: _write_xlsx(_tables(p, m), d / "r.xlsx"),
    "sqlite": lambda p, m, d: _write_sqlite(_tables(p, m), d / "r.sqlite"),
    "duckdb": lambda p, m, d: _write_duckdb(_tables(p, m), d / "r.duckdb"),
    "json": lambda p, m, d: _write_json(p, m, d / "r.json"),
    "jsonl": lambda p, m, d: _write_jsonl(p, m, d / "r.jsonl"),
}


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_damaged_registries_report_the_same_problems_in_chunks(fmt: str) -> None:
    """Shared ids across chunks, orphan rows, findings of no study, blank rows, studies
    without ids (numbered over the whole table) and unreadable cells."""

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        registries(ids=False, max_size=4),
        st.sets(st.sampled_from(MUTATIONS)),
        st.integers(1, 3),
        st.booleans(),
    )
    def check(patients: list[Patient], mutations: set[str], size: int, lenient: bool) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = WRITERS[fmt](patients, mutations, Path(folder))
            assert_same_as_whole(path, size, lenient=lenient)

    check()


def test_an_id_shared_across_chunks_is_an_error_on_both_patients(tmp_path: Path) -> None:
    patients = demo_patients()[:3]
    rows = _tables(patients, {"shared_id"})
    chunks = assert_same_as_whole(_write_csv(rows, tmp_path / "tables"), 1)
    shared = rows["patients"][0]["id"]
    flagged = [
        (number, v.source.patient_id)
        for number, c in enumerate(chunks)
        for v in c.validated
        if any(p.code == "validation.id_duplicate" for p in v.problems)
    ]
    assert flagged == [(0, shared), (3, shared)]


def test_a_row_of_no_patient_is_an_orphan_of_the_last_chunk(tmp_path: Path) -> None:
    rows = _tables(demo_patients()[:3], {"orphan_lab"})
    chunks = assert_same_as_whole(_write_parquet(rows, tmp_path / "tables"), 1)
    assert [len(c.orphans) for c in chunks] == [0, 0, 1]
    assert chunks[-1].orphans[0]["row"]["patient_id"] == "NOBODY"


@pytest.mark.parametrize("damage", ["no_patient_id", "unknown_header"])
def test_unreadable_tables_fail_before_any_chunk(tmp_path: Path, damage: str) -> None:
    rows = _tables(demo_patients()[:3], set())
    folder = _write_csv(rows, tmp_path / "tables")
    labs = (folder / "labs.csv").read_text().splitlines()
    if damage == "no_patient_id":
        labs = [line.split(",", 1)[1] for line in labs]
    else:
        labs = [line + ",x" for line in labs]
    (folder / "labs.csv").write_text("\n".join(labs) + "\n")
    with pytest.raises(InvalidInput) as whole:
        load_registry(folder, today=TODAY)
    with pytest.raises(InvalidInput) as raised:
        load_chunks(folder, today=TODAY)  # raises at the call, not when iterated
    assert raised.value.code == whole.value.code == "io.layout_unreadable"
    assert raised.value.problems == whole.value.problems


def test_a_malformed_last_line_fails_before_any_chunk(tmp_path: Path) -> None:
    path = _write_jsonl(demo_patients()[:3], set(), tmp_path / "r.jsonl")
    path.write_text(path.read_text() + '{"id": \n')
    with pytest.raises(InvalidInput):
        load_chunks(path, today=TODAY, chunk_size=1)


def test_an_empty_registry_is_one_empty_chunk(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text("[]")
    chunks = assert_same_as_whole(path, 10)
    assert [len(c.validated) for c in chunks] == [0]


# -- writing in chunks ---------------------------------------------------------------------


@pytest.mark.parametrize(("name", "parquet"), FORMATS, ids=FORMAT_IDS)
def test_a_registry_written_in_chunks_is_the_registry_written_at_once(
    tmp_path: Path, name: str, parquet: bool
) -> None:
    """Studies and MDT entries without ids are numbered over the whole table, so their
    findings and recommendations still point at them."""
    patients = [p.model_copy(update={"id": f"P{i}"}) for i, p in enumerate(demo_patients()[:7])]
    patients = [
        p.model_copy(
            update={
                "imaging": tuple(s.model_copy(update={"id": None}) for s in p.imaging),
                "mdt": tuple(m.model_copy(update={"id": None}) for m in p.mdt),
            }
        )
        for p in patients
    ]
    at_once, in_chunks = tmp_path / "once" / name, tmp_path / "chunks" / name
    write_registry(patients, at_once, parquet=parquet)
    with registry_writer(in_chunks, parquet=parquet) as sink:
        for start in range(0, len(patients), 3):
            sink.add(patients[start : start + 3])
    once = load_registry(at_once, today=TODAY)
    chunked = load_registry(in_chunks, today=TODAY)
    assert not chunked.errors
    assert chunked.patients == once.patients
    if name.endswith(".json") or name.endswith(".jsonl"):
        assert in_chunks.read_bytes() == at_once.read_bytes()


def test_a_failed_chunked_write_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    with pytest.raises(RuntimeError), registry_writer(out) as sink:
        sink.add(demo_patients()[:2])
        raise RuntimeError("an invalid chunk")
    assert list(tmp_path.iterdir()) == []


def _outline(chunk: Loaded) -> list[tuple[str | None, bool, tuple[Any, ...]]]:
    return [(v.source.patient_id, v.ok, v.problems) for v in chunk.validated]


@pytest.mark.parametrize("workers", [1, 2])
def test_chunks_mapped_in_worker_processes_come_back_in_order(tmp_path: Path, workers: int) -> None:
    rows = _tables(demo_patients()[:9], {"shared_id", "orphan_lab", "bad_cell"})
    folder = _write_parquet(rows, tmp_path / "tables")
    expected = [_outline(c) for c in load_chunks(folder, today=TODAY, chunk_size=2)]
    mapped = load_chunks(folder, today=TODAY, chunk_size=2).map(_outline, workers=workers)
    assert list(mapped) == expected
    assert len(expected) == 5


def test_a_dictionary_encoded_parquet_column_reads_the_same_in_chunks(tmp_path: Path) -> None:
    """pandas writes categorical columns as Arrow dictionaries."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = _write_parquet(_tables(demo_patients()[:4], {"orphan_lab"}), tmp_path / "tables")
    labs = pq.read_table(folder / "labs.parquet")
    coded = pa.chunked_array([c.dictionary_encode() for c in labs.column("patient_id").chunks])
    labs = labs.set_column(labs.column_names.index("patient_id"), "patient_id", coded)
    pq.write_table(labs, folder / "labs.parquet")
    assert pa.types.is_dictionary(pq.read_table(folder / "labs.parquet").column(0).type)
    assert_same_as_whole(folder, 1)


FUZZ_TARGETS = {
    "json": "registry.json",
    "jsonl": "registry.jsonl",
    "csv": "csv",
    "parquet": "parquet",
    "xlsx": "registry.xlsx",
    "sqlite": "registry.sqlite",
    "duckdb": "registry.duckdb",
}


@pytest.mark.parametrize("fmt", list(FUZZ_TARGETS))
def test_mutated_registries_fail_or_read_the_same_in_chunks(tmp_path: Path, fmt: str) -> None:
    """The fuzzer's mutations (tests/fuzz): a mutated file that the whole read refuses is
    refused by the chunked read with the same error; one it reads is read the same."""
    import random

    from rairtc.core.errors import RairtcError
    from rairtc.synth.registry import synthetic_patients
    from tests.fuzz.mutations import BY_FORMAT

    original = tmp_path / "original" / FUZZ_TARGETS[fmt]
    write_registry(synthetic_patients(3, seed=16), original, parquet=fmt == "parquet")
    for case in range(6):
        rng = random.Random(f"chunks-{fmt}-{case}")
        target = tmp_path / str(case) / FUZZ_TARGETS[fmt]
        target.parent.mkdir()
        if original.is_dir():
            shutil.copytree(original, target)
        else:
            shutil.copy(original, target)
        what = rng.choice(BY_FORMAT[fmt])(target, rng)
        try:
            load_registry(target, today=TODAY)
        except RairtcError as whole:
            with pytest.raises(type(whole)) as chunked:
                load_chunks(target, today=TODAY, chunk_size=1)
            assert (chunked.value.code, str(chunked.value)) == (whole.code, str(whole)), what
            continue
        assert_same_as_whole(target, 1)

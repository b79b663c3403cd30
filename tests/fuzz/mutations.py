"""Seeded mutations of a valid registry file or folder: byte flips, truncation, field
mutations, type swaps and table renames. Each returns a short description of what it did."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Values a clinician's export or a broken tool might leave where a field belongs.
SWAPS: tuple[Any, ...] = (
    True,
    0,
    -1,
    1692835200,
    "1692835200",
    "1_000",
    "NaN",
    "",
    " ",
    "27.04.1988",
    "04/27/1988",
    "\ud800",
    2**70,
    10**40,
    1.5,
    [],
    {},
    None,
    "Иванов Иван Иванович",
    # spellings the readers normalise, and canonical values that are wrong
    "2024-02-30",
    "2099-01-01",
    "2021-07-19",
    "T1",
    "t1",
    "pT1",
    "MX",
    "да",
    "TRUE",
    "<0.2",
    "150 мКи",
    "3,7",
    "1 234",
    " 12 ",
    "007",
    "1e3",
)
RENAMES = ("Labs", "labs2", "LABS", "Лаборатория", "notes", "patients_old", "Rai_Courses")


def _files(target: Path) -> list[Path]:
    return sorted(p for p in target.iterdir() if p.is_file()) if target.is_dir() else [target]


def flip_bytes(target: Path, rng: random.Random) -> str:
    path = rng.choice(_files(target))
    data = bytearray(path.read_bytes())
    if not data:
        return "empty file"
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))
    return f"flipped bits in {path.name}"


def truncate(target: Path, rng: random.Random) -> str:
    path = rng.choice(_files(target))
    data = path.read_bytes()
    cut = rng.choice([0, rng.randrange(len(data) + 1), len(data) // 2])
    path.write_bytes(data[:cut])
    return f"{path.name} cut to {cut} bytes"


def _walk(value: Any, rng: random.Random, done: list[str]) -> Any:
    """One random scalar of a JSON value replaced by a random swap (said in ``done``)."""
    if isinstance(value, dict) and value:
        key = rng.choice(list(value))
        if isinstance(value[key], dict | list) and rng.random() < 0.7:
            done.append(f".{key}")
            value[key] = _walk(value[key], rng, done)
        else:
            value[key] = rng.choice(SWAPS)
            done.append(f".{key} = {value[key]!r:.40}")
        return value
    if isinstance(value, list) and value:
        i = rng.randrange(len(value))
        done.append(f"[{i}]")
        value[i] = _walk(value[i], rng, done)
        return value
    swap = rng.choice(SWAPS)
    done.append(f" = {swap!r:.40}")
    return swap


def _dump(value: Any) -> str:
    return json.dumps(value)  # ASCII: a lone surrogate is only writable as an escape


def mutate_json_field(target: Path, rng: random.Random) -> str:
    done: list[str] = []
    if target.suffix == ".jsonl":
        lines = target.read_text().splitlines()
        i = rng.randrange(len(lines))
        lines[i] = _dump(_walk(json.loads(lines[i]), rng, done))
        target.write_text("\n".join(lines) + "\n")
        done.insert(0, f"line {i + 1} ")
    else:
        target.write_text(_dump(_walk(json.loads(target.read_text()), rng, done)))
    return "swapped $" + "".join(done)


def duplicate_json_key(target: Path, rng: random.Random) -> str:
    text = target.read_text()
    at = text.find('"sex"')
    target.write_text(text[:at] + '"sex": "F", ' + text[at:])
    return "repeated the key sex"


def _swap_cell(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    if len(lines) < 2:
        return text
    i = rng.randrange(1, len(lines))
    cells = lines[i].split(",")
    j = rng.randrange(len(cells))
    swap = rng.choice(SWAPS)
    cells[j] = "" if swap is None else str(swap).replace(",", ";").replace("\ud800", "?")
    lines[i] = ",".join(cells)
    return "\n".join(lines) + "\n"


def mutate_csv_cell(target: Path, rng: random.Random) -> str:
    path = rng.choice([p for p in _files(target) if p.suffix == ".csv"])
    before = path.read_text()
    path.write_text(_swap_cell(before, rng))
    changed = set(path.read_text().splitlines()) - set(before.splitlines())
    return f"swapped a cell of {path.name}: {sorted(changed)!r:.200}"


def rename_table_file(target: Path, rng: random.Random) -> str:
    path = rng.choice(_files(target))
    name = rng.choice(RENAMES)
    path.rename(path.with_name(name + path.suffix))
    return f"{path.name} renamed {name}{path.suffix}"


def rename_sqlite_table(target: Path, rng: random.Random) -> str:
    con = sqlite3.connect(target)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        table, name = rng.choice(tables), rng.choice(RENAMES)
        if name.casefold() in {t.casefold() for t in tables}:
            name += "_x"
        con.execute(f'ALTER TABLE "{table}" RENAME TO "{name}"')
        con.commit()
    finally:
        con.close()
    return f"table {table} renamed {name}"


def rename_duckdb_table(target: Path, rng: random.Random) -> str:
    from rairtc.io.databases import connect_duckdb

    with connect_duckdb(str(target)) as con:
        tables = [
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        ]
        table, name = rng.choice(tables), rng.choice(RENAMES)
        if name.casefold() in {t.casefold() for t in tables}:
            name += "_x"
        con.execute(f'ALTER TABLE "{table}" RENAME TO "{name}"')
    return f"table {table} renamed {name}"


def swap_duckdb_value(target: Path, rng: random.Random) -> str:
    """A typed column made text, one of its values a swap (a date column holding '1_000')."""
    from rairtc.io.databases import connect_duckdb

    with connect_duckdb(str(target)) as con:
        tables = [
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        ]
        table = rng.choice(tables)
        column = rng.choice([r[0] for r in con.execute(f'DESCRIBE "{table}"').fetchall()])
        swap = rng.choice([s for s in SWAPS if isinstance(s, str)]).replace("\ud800", "?")
        con.execute(f'ALTER TABLE "{table}" ALTER "{column}" TYPE VARCHAR')
        con.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = 0', [swap])
    return f"{table}.{column} made text, its first value {swap!r}"


def swap_sqlite_value(target: Path, rng: random.Random) -> str:
    con = sqlite3.connect(target)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        table = rng.choice(tables)
        columns = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
        column = rng.choice(columns)
        swap = rng.choice(
            [s for s in SWAPS if not isinstance(s, list | dict) and s != 2**70 and s != 10**40]
        )
        if isinstance(swap, str):
            swap = swap.replace("\ud800", "?")
        con.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = 1', (swap,))
        con.commit()
    finally:
        con.close()
    return f"one value of {table}.{column} swapped"


def rename_sheet(target: Path, rng: random.Random) -> str:
    from openpyxl import load_workbook

    book = load_workbook(target)
    sheet = rng.choice(book.sheetnames)
    name = rng.choice(RENAMES)
    if name.casefold() in {s.casefold() for s in book.sheetnames}:
        name += "_x"
    book[sheet].title = name
    book.save(target)
    return f"sheet {sheet} renamed {name}"


def swap_sheet_cell(target: Path, rng: random.Random) -> str:
    from openpyxl import load_workbook

    book = load_workbook(target)
    sheet = book[rng.choice(book.sheetnames)]
    if sheet.max_row < 2:
        return "nothing to swap"
    swap = rng.choice(
        [s for s in SWAPS if not isinstance(s, list | dict) and s not in (2**70, 10**40)]
    )
    if isinstance(swap, str):
        swap = swap.replace("\ud800", "?")
    sheet.cell(rng.randint(2, sheet.max_row), rng.randint(1, sheet.max_column), swap)
    book.save(target)
    return f"one cell of sheet {sheet.title} swapped"


def break_sheet_xml(target: Path, rng: random.Random) -> str:
    source = target.with_name(target.name + ".orig")
    shutil.move(target, source)
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        victims = [n for n in zin.namelist() if n.startswith("xl/worksheets/")]
        victim = rng.choice(victims)
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == victim:
                data = data[: rng.randrange(len(data))]
            zout.writestr(item, data)
    source.unlink()
    return f"cut the XML of {victim}"


def swap_parquet_value(target: Path, rng: random.Random) -> str:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = rng.choice([p for p in _files(target) if p.suffix == ".parquet"])
    table = pq.read_table(path)
    if table.num_rows == 0:
        return "nothing to swap"
    i = rng.randrange(table.num_columns)
    name = table.column_names[i]
    kind = rng.choice(["text", "int", "date_far"])
    rows = table.num_rows
    if kind == "text":
        column = pa.array([rng.choice(["1_000", "1692835200", "NaN", "x", ""])] * rows)
    elif kind == "int":
        column = pa.array([rng.choice([0, 1, -5, 1692835200])] * rows, pa.int64())
    else:
        column = pa.array([2**31 - 1] * rows, pa.int32()).cast(pa.date32())
    pq.write_table(table.set_column(i, name, column), path)
    return f"column {name} of {path.name} replaced by {kind}"


Mutation = Callable[[Path, random.Random], str]
COMMON: tuple[Mutation, ...] = (flip_bytes, truncate)
BY_FORMAT: dict[str, tuple[Mutation, ...]] = {
    "json": (*COMMON, mutate_json_field, mutate_json_field, duplicate_json_key),
    "jsonl": (*COMMON, mutate_json_field, mutate_json_field),
    "csv": (*COMMON, mutate_csv_cell, mutate_csv_cell, rename_table_file),
    "parquet": (*COMMON, swap_parquet_value, rename_table_file),
    "xlsx": (*COMMON, swap_sheet_cell, rename_sheet, break_sheet_xml),
    "sqlite": (*COMMON, swap_sqlite_value, rename_sqlite_table),
    "duckdb": (*COMMON, rename_duckdb_table, swap_duckdb_value),
}

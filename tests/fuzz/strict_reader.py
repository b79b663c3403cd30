"""The fuzz oracle: a strict reader of the seven registry formats, independent of rairtc.io.

It accepts only the canonical forms of data-model.md (the layout is copied below): exact
table, sheet, file and column names, UTF-8, ISO dates, numbers as numbers, codes exactly as
listed, yes/no as true/false. In a table a cell is either of its column's own type (a date
cell, a number, a boolean; 1/0 for yes/no, as SQLite stores it) or text in the canonical
text form (as in CSV). An empty or blank value is unknown, in every format. Anything else
is a :class:`Reject` with the reason.

What it accepts is then validated by the core (rairtc.core.validation, the one reference
implementation of the clinical rules) and the registry is the records the core builds,
dumped in rairtc's JSON shape. A registry the core refuses is a :class:`Reject` with
``invalid`` set: its form was canonical, its content is not.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rairtc.core import codes as c
from rairtc.core.source import SourcePatient
from rairtc.core.validation import validate_registry

T, D, I, N, B = "text", "date", "int", "number", "bool"  # noqa: E741


def _codes(enum: type[StrEnum], *extra: str) -> frozenset[str]:
    return frozenset(v.value for v in enum) | frozenset(extra)


MOLECULAR = c.MOLECULAR_KEYS
# table -> column -> kind (a kind is T, D, I, N, B or the set of its codes); data-model.md
TABLES: dict[str, dict[str, Any]] = {
    "patients": {
        "id": T,
        "full_name": T,
        "national_id": T,
        "mrn": T,
        "sex": _codes(c.Sex),
        "birth_date": D,
        "diagnosis_date": D,
        "histology": _codes(c.Histology),
        "variant": _codes(c.Variant),
        "t": _codes(c.TCategory),
        "n": _codes(c.NCategory),
        "m": _codes(c.MCategory, "MX"),
        "extrathyroidal_extension": _codes(c.Extension),
        "vascular_invasion_foci": I,
        "capsular_invasion": B,
        "stage_recorded": T,
        "region": T,
        "lymph_nodes_positive": I,
        "largest_node_mm": N,
        "margins": _codes(c.Margins),
        **{f"molecular_{key}": B for key in MOLECULAR},
        "smoker": B,
        "last_follow_up": D,
        "deceased_date": D,
    },
    "surgeries": {"patient_id": T, "id": T, "date": D, "procedure": _codes(c.Procedure)},
    "rai_courses": {
        "patient_id": T,
        "id": T,
        "date": D,
        "activity_mci": N,
        "activity_gbq": N,
        "stimulation": _codes(c.Stimulation),
        "tsh_miu_l": N,
        "centre": T,
    },
    "imaging": {
        "patient_id": T,
        "id": T,
        "date": D,
        "modality": _codes(c.Modality),
        "progression": B,
    },
    "findings": {
        "patient_id": T,
        "imaging_id": T,
        "id": T,
        "site": _codes(c.Site),
        "nodal_level": _codes(c.NodalLevel),
        "side": _codes(c.Side),
        "kind": _codes(c.FindingKind),
        "rai_uptake": B,
        "fdg_uptake": B,
        "size_mm": N,
        "new": B,
    },
    "labs": {
        "patient_id": T,
        "id": T,
        "date": D,
        "test": _codes(c.LabTest),
        "value": N,
        "unit": T,
        "stimulated": B,
        "below_limit": B,
        "assay_upper_normal": N,
    },
    "mdt": {"patient_id": T, "id": T, "date": D, "note": T},
    "mdt_recommendations": {
        "patient_id": T,
        "mdt_id": T,
        "recommendation": _codes(c.Recommendation),
    },
}
REQUIRED = {
    "patients": {"id", "sex", "birth_date", "diagnosis_date", "histology"},
    "surgeries": {"patient_id", "date", "procedure"},
    "rai_courses": {"patient_id", "date"},
    "imaging": {"patient_id", "date", "modality"},
    "findings": {"patient_id", "imaging_id", "site", "kind"},
    "labs": {"patient_id", "date", "test", "value", "unit"},
    "mdt": {"patient_id", "date"},
    "mdt_recommendations": {"patient_id", "mdt_id", "recommendation"},
}
LISTS = ("surgeries", "rai_courses", "imaging", "labs", "mdt")
INT64 = 2**63


@dataclass(frozen=True)
class Reject:
    reason: str
    invalid: bool = False  # canonical in form, refused by the core's validation


class NotCanonical(Exception):
    """Raised inside the reader; becomes a :class:`Reject`."""


# ---- one value ---------------------------------------------------------------------------

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)  # ASCII: \d is any script's digit
_INT = re.compile(r"-?\d+", re.ASCII)
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?", re.ASCII)  # JSON's, leading zeros too
_BOOLS = {"true": True, "false": False, "1": True, "0": False}


def _text_value(kind: Any, text: str, where: str) -> Any:
    """A canonical text form (CSV cells; text in any table). Spaces around a date, number,
    yes/no or code are no part of it (a cell's padding); text keeps them."""
    if kind != T:
        text = text.strip()
    try:
        if kind == D and _ISO.fullmatch(text):
            return date.fromisoformat(text)
        if kind == I and _INT.fullmatch(text) and -INT64 <= int(text) < INT64:
            return int(text)
        if kind == N and _NUMBER.fullmatch(text) and math.isfinite(float(text)):
            return float(text)
    except ValueError:
        pass
    if kind == B and text in _BOOLS:
        return _BOOLS[text]
    if kind == T or (isinstance(kind, frozenset) and text in kind):
        return text
    raise NotCanonical(f"{where}: {text!r} is not canonical for {_shown(kind)}")


def _shown(kind: Any) -> str:
    return "a code" if isinstance(kind, frozenset) else str(kind)


def _unicode(text: str, where: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise NotCanonical(f"{where}: text that is not Unicode") from None
    return text


def table_value(kind: Any, value: Any, where: str) -> Any:
    """A cell of a typed table (Parquet, Excel, DuckDB, SQLite) or of a CSV file (text)."""
    if value is None:
        return None
    if isinstance(value, str):
        _unicode(value, where)
        return None if not value.strip() else _text_value(kind, value, where)
    if kind == T and type(value) is int:
        return str(value)  # an id typed as a number in a sheet: its digits
    native = {
        D: type(value) is date,
        I: type(value) is int and -INT64 <= value < INT64,
        N: type(value) in (int, float) and math.isfinite(value),
        B: type(value) is bool or (type(value) is int and value in (0, 1)),
    }
    if native.get(kind, False):
        return bool(value) if kind == B else float(value) if kind == N else value
    raise NotCanonical(f"{where}: a {type(value).__name__} is not {_shown(kind)}")


def json_value(kind: Any, value: Any, where: str) -> Any:
    """A JSON value: numbers as numbers, yes/no as true/false, dates as ISO text."""
    if value is None:
        return None
    if isinstance(value, str):
        _unicode(value, where)
        if not value.strip():
            return None
        if kind in (I, N, B):
            raise NotCanonical(f"{where}: text where {kind} belongs")
        return _text_value(kind, value, where)
    if kind == B and type(value) is bool:
        return value
    if kind in (I, N) and type(value) in (int, float):
        if type(value) is int and not -INT64 <= value < INT64:
            raise NotCanonical(f"{where}: an integer beyond 64 bits")
        return table_value(kind, value, where)
    raise NotCanonical(f"{where}: a {type(value).__name__} is not {_shown(kind)}")


# ---- records from rows, and the verdict --------------------------------------------------


def _verdict(patients: list[dict[str, Any]], today: date) -> list[dict[str, Any]] | Reject:
    validated = validate_registry([SourcePatient(p) for p in patients], today=today)
    errors = [p for v in validated for p in v.problems if p.is_error]
    if errors:
        return Reject(f"{errors[0].code} at {errors[0].record}", invalid=True)
    return [v.patient.model_dump(mode="json", exclude_none=True) for v in validated if v.patient]


def _row(table: str, header: list[str], cells: list[Any], where: str) -> dict[str, Any]:
    kinds = TABLES[table]
    return {
        col: table_value(kinds[col], cell, f"{where}.{col}")
        for col, cell in zip(header, cells, strict=True)
    }


def _header(table: str, header: list[Any], where: str) -> list[str]:
    if any(type(h) is not str or h not in TABLES[table] for h in header):
        raise NotCanonical(f"{where}: header {header!r} has a name that is no column")
    if len(set(header)) != len(header):
        raise NotCanonical(f"{where}: a column named twice")
    if missing := REQUIRED[table] - set(header):
        raise NotCanonical(f"{where}: required columns {sorted(missing)} missing")
    return header


Rows = list[tuple[int, dict[str, Any]]]  # (data-row number from 1, row)


def assemble(tables: dict[str, Rows]) -> list[dict[str, Any]]:
    """Nested patients from rows linked by patient_id, imaging_id and mdt_id."""
    if unknown := set(tables) - set(TABLES):
        raise NotCanonical(f"tables {sorted(unknown)} name no table")
    if "patients" not in tables:
        raise NotCanonical("no patients table")
    order, by_id = [], {}
    for _, row in tables["patients"]:
        patient = {k: v for k, v in row.items() if not k.startswith("molecular_")}
        molecular = {k[10:]: v for k, v in row.items() if k.startswith("molecular_")}
        if any(v is not None for v in molecular.values()):
            patient["molecular"] = molecular
        patient.update({name: [] for name in LISTS})
        order.append(patient)
        by_id.setdefault(row.get("id"), patient)
    parents: dict[tuple[str, str, Any], dict[str, Any]] = {}
    for table in (*LISTS, "findings", "mdt_recommendations"):
        for number, row in tables.get(table, []):
            record = dict(row)
            pid = record.pop("patient_id", None)
            if pid is None or pid not in by_id:
                raise NotCanonical(f"{table} row {number}: no patient {pid!r}")
            if table != "mdt_recommendations" and record.get("id") is None:
                record["id"] = f"{table}-{number}"
            if table in LISTS:
                by_id[pid][table].append(record)
                parents[(table, pid, record["id"])] = record
                if table == "mdt":
                    record["recommendations"] = []
                continue
            link, parent_table = (
                ("imaging_id", "imaging") if table == "findings" else ("mdt_id", "mdt")
            )
            parent = parents.get((parent_table, pid, record.pop(link, None)))
            if parent is None:
                raise NotCanonical(f"{table} row {number}: no {parent_table} it belongs to")
            if table == "findings":
                parent.setdefault("findings", []).append(record)
            else:
                parent["recommendations"].append(record["recommendation"])
    return order


# ---- the formats -------------------------------------------------------------------------


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len({k for k, _ in pairs}) != len(pairs):
        raise NotCanonical("a key repeated in one object")
    return dict(pairs)


def _no_constant(name: str) -> Any:
    raise NotCanonical(f"{name} is no JSON number")


def _json_record(
    kinds: dict[str, Any], data: Any, where: str, skip: tuple[str, ...]
) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise NotCanonical(f"{where}: not an object")
    allowed = {k: v for k, v in kinds.items() if k not in skip}
    out = {}
    for key, value in data.items():
        if key not in allowed:
            raise NotCanonical(f"{where}: unknown field {key!r}")
        out[key] = json_value(allowed[key], value, f"{where}.{key}")
    return out


def _json_list(data: Any, where: str) -> list[Any]:
    if data is None or (isinstance(data, str) and not data.strip()):
        return []  # unknown: no records
    if not isinstance(data, list):
        raise NotCanonical(f"{where}: not a list")
    return data


NESTED = {"imaging": "findings", "mdt": "recommendations"}
FINDING_LINKS = ("patient_id", "imaging_id")


def json_patient(data: Any, where: str) -> dict[str, Any]:
    """One patient object in rairtc's JSON shape (lists nested, molecular an object)."""
    if not isinstance(data, dict):
        raise NotCanonical(f"{where}: not an object")
    plain = {k: v for k, v in data.items() if k not in (*LISTS, "molecular")}
    kinds = {k: v for k, v in TABLES["patients"].items() if not k.startswith("molecular_")}
    patient = _json_record(kinds, plain, where, ())
    if data.get("molecular") is not None:
        kinds = {key: B for key in MOLECULAR}
        patient["molecular"] = _json_record(kinds, data["molecular"], f"{where}.molecular", ())
    skip = ("patient_id",)
    for name in LISTS:
        items = _json_list(data.get(name), f"{where}.{name}")
        patient[name] = []
        for i, item in enumerate(items):
            here = f"{where}.{name}[{i}]"
            nested = NESTED.get(name)
            rest = item
            if isinstance(item, dict) and nested in item:
                rest = {k: v for k, v in item.items() if k != nested}
            record = _json_record(TABLES[name], rest, here, skip)
            if name == "imaging":
                findings = _json_list(item.get("findings"), f"{here}.findings")
                record["findings"] = [
                    _json_record(TABLES["findings"], f, f"{here}.findings[{j}]", FINDING_LINKS)
                    for j, f in enumerate(findings)
                ]
            elif name == "mdt" and item.get("recommendations") is not None:
                codes = TABLES["mdt_recommendations"]["recommendation"]
                record["recommendations"] = [
                    json_value(codes, code, f"{here}.recommendations[{j}]")
                    for j, code in enumerate(_json_list(item["recommendations"], here))
                ]
            patient[name].append(record)
    return patient


def _loads(text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise NotCanonical(f"not JSON: {type(error).__name__}") from None


def _utf8(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotCanonical(f"{where}: not UTF-8") from None


def read_json(path: Path) -> list[dict[str, Any]]:
    data = _loads(_utf8(path.read_bytes(), path.name).removeprefix("\ufeff"))
    items = data if isinstance(data, list) else [data]
    return [json_patient(item, f"$[{i}]") for i, item in enumerate(items)]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    text = _utf8(path.read_bytes(), path.name).removeprefix("\ufeff")
    if not text.strip():
        raise NotCanonical("empty file")
    return [
        json_patient(_loads(line), f"line {n}")
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


def _grid(table: str, grid: list[tuple[int, list[Any]]], where: str) -> Rows:
    """Rows of a grid whose first row is the header; blank rows keep their numbers."""
    if not grid:
        raise NotCanonical(f"{where}: no header")
    header = _header(table, list(grid[0][1]), where)
    rows: Rows = []
    for number, cells in grid[1:]:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue
        if len(cells) != len(header):
            raise NotCanonical(f"{where} row {number}: {len(cells)} cells, {len(header)} columns")
        rows.append((number, _row(table, header, cells, f"{where} row {number}")))
    return rows


TABLE_SUFFIXES = (".csv", ".tsv", ".parquet", ".xlsx", ".json", ".jsonl")


def _visible(folder: Path) -> list[Path]:
    """The table files of a folder; a hidden file or one that holds no table (``notes``,
    ``README.txt``) is none of the registry's business."""
    return sorted(
        p for p in folder.iterdir() if not p.name.startswith(".") and p.suffix in TABLE_SUFFIXES
    )


def _table_files(folder: Path, suffix: str) -> dict[str, Path]:
    files = _visible(folder)
    if odd := [p.name for p in files if p.suffix != suffix or p.stem not in TABLES]:
        raise NotCanonical(f"files {odd} are no tables")
    return {p.stem: p for p in files}


def read_csv(folder: Path) -> list[dict[str, Any]]:
    tables = {}
    for table, path in _table_files(folder, ".csv").items():
        text = _utf8(path.read_bytes(), path.name)
        try:
            records = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as error:
            raise NotCanonical(f"{path.name}: {error}") from None
        tables[table] = _grid(table, list(enumerate(records)), path.name)
    return assemble(tables)


def read_parquet(folder: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    tables = {}
    for table, path in _table_files(folder, ".parquet").items():
        try:
            arrow = pq.read_table(path)
            columns = [arrow.column(name).to_pylist() for name in arrow.column_names]
        except Exception as error:  # pyarrow raises many types on a corrupt file
            raise NotCanonical(f"{path.name}: unreadable ({type(error).__name__})") from None
        grid = [(0, arrow.column_names), *enumerate(map(list, zip(*columns, strict=True)), start=1)]
        tables[table] = _grid(table, grid, path.name)
    return assemble(tables)


def read_xlsx(path: Path) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, data_only=True)
        formulas = load_workbook(path, data_only=False)
    except Exception as error:  # zipfile, zlib, XML and openpyxl errors
        raise NotCanonical(f"unreadable workbook ({type(error).__name__})") from None
    tables = {}
    for sheet in book.worksheets:
        if sheet.title not in TABLES:
            raise NotCanonical(f"sheet {sheet.title!r} is no table")
        if any(cell.data_type == "f" for row in formulas[sheet.title].iter_rows() for cell in row):
            raise NotCanonical(f"sheet {sheet.title}: a formula")
        grid = [
            (number, [_excel_cell(v) for v in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True))
        ]
        if grid:
            width = max((i + 1 for i, v in enumerate(grid[0][1]) if v is not None), default=0)
            if any(v is not None for _, row in grid for v in row[width:]):
                raise NotCanonical(f"sheet {sheet.title}: a value outside the header's columns")
            grid = [(n, row[:width]) for n, row in grid]
        tables[sheet.title] = _grid(sheet.title, grid, f"sheet {sheet.title}")
    return assemble(tables)


def _excel_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            raise NotCanonical("a date cell with a time")
        return value.date()
    return value


def _database_tables(con: Any, names: list[str], where: str) -> list[dict[str, Any]]:
    tables = {}
    for name in names:
        if name not in TABLES:
            raise NotCanonical(f"{where} table {name!r} is no table")
        cursor = con.execute(f'SELECT * FROM "{name}"')
        header = [d[0] for d in cursor.description]
        grid = [(0, header), *enumerate(map(list, cursor.fetchall()), start=1)]
        tables[name] = _grid(name, grid, f"table {name}")
    return assemble(tables)


def read_sqlite(path: Path) -> list[dict[str, Any]]:
    if path.read_bytes()[:16] != b"SQLite format 3\x00":
        raise NotCanonical("not a SQLite file")
    try:
        con = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise NotCanonical(f"unreadable ({error})") from None
    con.text_factory = lambda data: data.decode("utf-8")
    try:
        kinds = con.execute("SELECT type, name FROM sqlite_master").fetchall()
        if odd := [name for kind, name in kinds if kind != "table"]:
            raise NotCanonical(f"not tables: {odd}")
        return _database_tables(con, [name for _, name in kinds], "SQLite")
    except (sqlite3.Error, UnicodeDecodeError, OverflowError) as error:
        raise NotCanonical(f"unreadable ({type(error).__name__})") from None
    finally:
        con.close()


def read_duckdb(path: Path) -> list[dict[str, Any]]:
    import duckdb

    if path.stat().st_size == 0 or path.read_bytes()[:16] == b"SQLite format 3\x00":
        raise NotCanonical("not a DuckDB file")
    offline = {"autoload_known_extensions": False, "autoinstall_known_extensions": False}
    try:
        with duckdb.connect(str(path), read_only=True, config=offline) as con:
            listed = con.execute(
                "SELECT table_schema, table_name, table_type FROM information_schema.tables"
            ).fetchall()
            if odd := [(s, n, k) for s, n, k in listed if s != "main" or k != "BASE TABLE"]:
                raise NotCanonical(f"not main tables: {odd}")
            return _database_tables(con, [n for _, n, _ in listed], "DuckDB")
    except (duckdb.Error, RuntimeError, UnicodeDecodeError, OverflowError, ValueError) as error:
        raise NotCanonical(f"unreadable ({type(error).__name__})") from None


READERS = {
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".xlsx": read_xlsx,
    ".sqlite": read_sqlite,
    ".duckdb": read_duckdb,
}


def read(path: Path, *, today: date) -> list[dict[str, Any]] | Reject:
    """The registry a strict reader of ``path`` must produce, or why there is none."""
    try:
        if path.is_dir():
            parquet = any(p.suffix == ".parquet" for p in _visible(path))
            patients = (read_parquet if parquet else read_csv)(path)
        else:
            patients = READERS[path.suffix](path)
    except NotCanonical as error:
        return Reject(str(error))
    return _verdict(patients, today)

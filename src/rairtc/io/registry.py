"""Open a registry in any format, validate it, and write it in any format.

The format is detected from the path: ``.json``, ``.jsonl``, ``.xlsx``, ``.duckdb``,
``.sqlite``/``.db``, or a folder of CSV or Parquet tables. An unknown format is a usage
error (exit 2); a path that cannot be opened is :class:`InputUnavailable` (exit 66).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from rairtc.core.errors import InputUnavailable, InvalidInput, UsageError
from rairtc.core.messages import Problem
from rairtc.core.parameters import DEFAULT_PARAMETERS, RuleParameters
from rairtc.core.records import Patient
from rairtc.core.validation import Validated, validate_registry
from rairtc.i18n import translate
from rairtc.io.cells import Tally
from rairtc.io.layout import STRUCTURAL, Assembled
from rairtc.io.sinks import Sink


class Format(StrEnum):
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    PARQUET = "parquet"
    EXCEL = "xlsx"
    DUCKDB = "duckdb"
    SQLITE = "sqlite"
    REDCAP = "redcap"  # exchange formats (rairtc.io.exchange)
    FHIR = "fhir"
    OMOP = "omop"


_SUFFIXES = {
    ".json": Format.JSON,
    ".jsonl": Format.JSONL,
    ".ndjson": Format.JSONL,
    ".xlsx": Format.EXCEL,
    ".duckdb": Format.DUCKDB,
    ".sqlite": Format.SQLITE,
    ".sqlite3": Format.SQLITE,
    ".db": Format.SQLITE,
}


def _usage(code: str, **params: object) -> UsageError:
    """A usage error carrying its code (rairtc.i18n) so it can be said in the user's language."""
    return UsageError(translate(code, params), code=code, params=params)


def _unavailable(code: str, path: Path) -> InputUnavailable:
    return InputUnavailable(translate(code, {"path": path}), code=code, params={"path": path})


def input_format(path: Path) -> Format:
    """The format of an existing input."""
    if str(path).startswith(("postgresql://", "postgres://")):
        raise _usage("io.database_url")
    if not path.exists():
        raise _unavailable("io.no_such_path", path)
    from rairtc.io.exchange import detect

    if (exchange := detect(path)) is not None:
        return Format(exchange.value)
    if path.is_dir():
        from rairtc.io.headers import table_named

        suffixes = {p.suffix.lower() for p in path.iterdir() if table_named(p.stem)}
        if ".parquet" in suffixes:
            return Format.PARQUET
        if ".csv" in suffixes:
            return Format.CSV
        raise _usage("io.no_tables", path=path)
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise _usage("io.unknown_format", name=path.suffix or path.name)
    return fmt


def output_format(path: Path, *, parquet: bool = False) -> Format:
    """The format an output path names; a path without suffix is a folder of tables."""
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is not None:
        return fmt
    if path.suffix and not path.is_dir():
        raise _usage("io.unknown_output_format", suffix=path.suffix)
    return Format.PARQUET if parquet else Format.CSV


@dataclass(frozen=True)
class CsvOptions:
    """Force the encoding (``utf-8``, ``cp1251``, ``utf-16``) or separator (``,``, ``;``,
    ``tab``) of CSV tables instead of detecting them."""

    encoding: str | None = None
    delimiter: str | None = None


def read_sources(path: Path, *, lenient: bool = False, csv: CsvOptions | None = None) -> Assembled:
    from rairtc.io import csv_tables, databases, excel, json_files, parquet_tables
    from rairtc.io.fhir.files import read_fhir
    from rairtc.io.omop.read import read_omop
    from rairtc.io.redcap.flat import read_redcap

    fmt = input_format(path)
    forced = csv or CsvOptions()
    readers: dict[Format, Callable[[], Assembled]] = {
        Format.JSON: lambda: json_files.read_json(path),
        Format.JSONL: lambda: json_files.read_jsonl(path),
        Format.CSV: lambda: csv_tables.read_csv_folder(
            path, lenient=lenient, encoding=forced.encoding, delimiter=forced.delimiter
        ),
        Format.PARQUET: lambda: parquet_tables.read_parquet_folder(path, lenient=lenient),
        Format.EXCEL: lambda: excel.read_excel(path, lenient=lenient),
        Format.DUCKDB: lambda: databases.read_duckdb(path, lenient=lenient),
        Format.SQLITE: lambda: databases.read_sqlite(path, lenient=lenient),
        Format.REDCAP: lambda: read_redcap(path, lenient=lenient),
        Format.FHIR: lambda: read_fhir(path, lenient=lenient),
        Format.OMOP: lambda: read_omop(path, lenient=lenient),
    }
    with opening(path):
        return readers[fmt]()


@contextmanager
def opening(path: Path) -> Iterator[None]:
    """An input that cannot be opened is :class:`InputUnavailable` (exit 66)."""
    try:
        yield
    except PermissionError:
        raise _unavailable("io.permission_denied", path) from None
    except IsADirectoryError:
        raise _unavailable("io.is_a_folder", path) from None


def check_output(path: Path, fmt: Format) -> None:
    """Fail (exit 2) on an output that cannot be written, before anything is read."""
    from rairtc.io.atomic import check_file_target, check_folder_target

    if fmt in (Format.CSV, Format.PARQUET):
        check_folder_target(path, _table_file)
    else:
        check_file_target(path)


def _table_file(entry: Path) -> bool:
    from rairtc.io.headers import table_named

    return (
        entry.is_file() and entry.suffix in (".csv", ".parquet") and bool(table_named(entry.stem))
    )


def write_registry(patients: Sequence[Patient], path: Path, *, parquet: bool = False) -> Format:
    """Write atomically: a reader sees the old output or the whole new one (io/atomic.py)."""
    with registry_writer(path, parquet=parquet) as sink:
        sink.add(patients)
    return output_format(path, parquet=parquet)


@contextmanager
def registry_writer(path: Path, *, parquet: bool = False) -> Iterator[Sink]:
    """A sink to ``add`` chunks of patients to, written to a temporary sibling of ``path``
    and renamed into place when the block completes; when the block raises, nothing is
    written (``rairtc convert`` stops on the first invalid chunk this way)."""
    from rairtc.io import csv_tables, databases, excel, json_files, parquet_tables
    from rairtc.io.atomic import atomic_file, atomic_folder

    fmt = output_format(path, parquet=parquet)
    sinks: dict[Format, Callable[[Path], Sink]] = {
        Format.JSON: json_files.JsonSink,
        Format.JSONL: json_files.JsonlSink,
        Format.CSV: csv_tables.CsvSink,
        Format.PARQUET: parquet_tables.ParquetSink,
        Format.EXCEL: excel.ExcelSink,
        Format.DUCKDB: databases.DuckdbSink,
        Format.SQLITE: databases.SqliteSink,
    }
    check_output(path, fmt)
    atomic = atomic_folder if fmt in (Format.CSV, Format.PARQUET) else atomic_file
    with atomic(path) as temporary:
        sink = sinks[fmt](temporary)
        try:
            yield sink
        except BaseException:
            with suppress(Exception):  # the temporary output is removed anyway
                sink.close()
            raise
        sink.close()


@dataclass
class Loaded:
    """A registry read and validated: accepted records, every problem, and what was refused."""

    validated: list[Validated]
    file_problems: list[Problem] = field(default_factory=list)
    orphans: list[dict[str, object]] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)

    @property
    def normalised(self) -> list[str]:
        """What the reader changed, one English line per normalisation (validate's summary)."""
        return self.tally.lines()

    @property
    def patients(self) -> list[Patient]:
        return [v.patient for v in self.validated if v.ok and v.patient is not None]

    @property
    def problems(self) -> list[Problem]:
        return [*self.file_problems, *(p for v in self.validated for p in v.problems)]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def load_registry(
    path: Path,
    *,
    today: date,
    lenient: bool = False,
    params: RuleParameters = DEFAULT_PARAMETERS,
    csv: CsvOptions | None = None,
) -> Loaded:
    """Read and validate; malformed files raise :class:`InvalidInput`, invalid records do not
    (the caller decides between all-or-nothing and writing rejects).

    Tables that cannot be read as tables (a missing required column or table, a header that
    is missing, repeated or unknown) raise too: no record of them can be trusted.
    """
    assembled = read_sources(path, lenient=lenient, csv=csv)
    if any(p.is_error and p.code in STRUCTURAL for p in assembled.problems):
        code = "io.layout_unreadable"
        raise InvalidInput(translate(code), assembled.problems, code=code)
    validated = validate_registry(assembled.sources, today=today, lenient=lenient, params=params)
    return Loaded(validated, list(assembled.problems), assembled.orphans, assembled.tally)


def load_valid_registry(
    path: Path,
    *,
    today: date,
    lenient: bool = False,
    params: RuleParameters = DEFAULT_PARAMETERS,
    csv: CsvOptions | None = None,
) -> Loaded:
    """All or nothing: the registry, or :class:`InvalidInput` listing every error."""
    loaded = load_registry(path, today=today, lenient=lenient, params=params, csv=csv)
    if loaded.errors:
        values = {"errors": len(loaded.errors), "name": path.name}
        code = "io.registry_errors"
        raise InvalidInput(translate(code, values), loaded.problems, code=code, params=values)
    return loaded

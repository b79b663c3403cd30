"""The Python API for notebooks: read, validate and classify a registry without deep imports.

Inputs are what a data scientist holds: a path (any format ``rairtc`` reads), a list of
patient dicts (the JSON layout), a dict of pandas DataFrames in the table layout
(``data-model.md``: ``patients``, ``rai_courses``, ...; NaN, ``pd.NA`` and ``NaT`` are missing
values, as an empty cell is), or a :class:`Registry` already read. Validation is all or
nothing, as on the command line: an invalid record raises :class:`~rairtc.core.errors.InvalidInput`
listing every problem, unless ``skip_invalid=True`` leaves the invalid patients out (they stay
listed in :attr:`Classifications.rejected`).

``classify(..., engine="bulk")`` hands a table source (a Parquet or CSV folder, a ``.duckdb``
file, a ``postgresql://`` URL) to :func:`rairtc.bulk.classify_frame` instead: no validation, no
per-patient objects, no evidence, and the same :meth:`~Classifications.to_pandas` frame, typed
in one place (:func:`_typed_frame`) for both engines.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rairtc.core.errors import InputUnavailable, InvalidInput
from rairtc.core.messages import Problem
from rairtc.core.parameters import DEFAULT_PARAMETERS, RuleParameters
from rairtc.core.records import Patient
from rairtc.core.rules.classify import STATUSES, Classification
from rairtc.core.rules.classify import classify as classify_patient

if TYPE_CHECKING:
    import pandas as pd

    from rairtc.io.layout import Assembled

# The statuses of rules.md §4 as an enum, built from the core's one list of them.
Status = StrEnum("Status", {value.upper(): value for value in STATUSES})  # type: ignore[misc]


@dataclass(frozen=True)
class Registry:
    """Records read and validated: the valid patients and every problem found."""

    patients: tuple[Patient, ...]
    problems: tuple[Problem, ...] = ()
    invalid_ids: tuple[str | None, ...] = ()
    source: str = "records"

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors

    def __len__(self) -> int:
        return len(self.patients)

    def __iter__(self) -> Iterator[Patient]:
        return iter(self.patients)

    def problems_frame(self) -> pd.DataFrame:
        """Every problem as a row: code, severity, patient_id, record, field, params, text."""
        import pandas as pd

        columns = ["code", "severity", "patient_id", "record", "field", "params", "text"]
        return pd.DataFrame([p.as_dict() for p in self.problems], columns=columns)


Records = str | Path | Registry | Sequence[Mapping[str, Any]] | Mapping[str, Any]


def _missing(value: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array cell is a value
        return False


def _plain(value: Any) -> Any:
    """A DataFrame cell as the readers give it: None for NaN/NA/NaT, dates, Python numbers."""
    import pandas as pd

    if _missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()
    return value


def _from_frames(frames: Mapping[str, Any], *, lenient: bool) -> Assembled:
    from rairtc.io.layout import TABLES, Table, assemble, locator

    unknown = sorted(set(frames) - set(TABLES))
    if unknown:
        from rairtc.core.errors import UsageError

        raise UsageError(
            f"unknown table(s) {', '.join(unknown)}; the table layout has: {', '.join(TABLES)}"
        )
    tables = {}
    for name, frame in frames.items():
        columns = [str(c) for c in frame.columns]
        rows = [tuple(_plain(v) for v in row) for row in frame.itertuples(index=False, name=None)]
        where = locator(f"DataFrame '{name}' row {{row}}", f"DataFrame '{name}'", 0)
        tables[name] = Table(columns, rows, where)
    return assemble(tables, lenient=lenient)


def _from_dicts(records: Sequence[Mapping[str, Any]]) -> Assembled:
    from rairtc.core.source import SourcePatient, blank_to_none, json_locations
    from rairtc.io.layout import Assembled

    sources = [
        SourcePatient(blank_to_none(dict(r)), json_locations(r, f"$[{i}]"))
        for i, r in enumerate(records)
    ]
    return Assembled(sources)


def _is_frames(records: Any) -> bool:
    return isinstance(records, Mapping) and all(
        hasattr(v, "itertuples") and hasattr(v, "columns") for v in records.values()
    )


def _registry(
    records: Records, *, today: date | None, lenient: bool, params: RuleParameters
) -> Registry:
    from rairtc.core.validation import validate_registry

    if isinstance(records, Registry):
        return records
    if isinstance(records, str | Path):
        from rairtc.io.registry import load_registry

        loaded = load_registry(Path(records), today=today or date.today(), lenient=lenient)
        invalid = tuple(v.source.patient_id for v in loaded.validated if not v.ok)
        return Registry(tuple(loaded.patients), tuple(loaded.problems), invalid, str(records))
    if _is_frames(records):
        assembled = _from_frames(records, lenient=lenient)  # type: ignore[arg-type]
        source = "DataFrames"
    elif isinstance(records, Mapping):
        assembled = _from_dicts([records])
        source = "a patient dict"
    else:
        assembled = _from_dicts(records)
        source = "patient dicts"
    if any(p.code == "validation.missing_column" for p in assembled.problems):
        raise InvalidInput("a table lacks a required column", assembled.problems)
    validated = validate_registry(
        assembled.sources, today=today or date.today(), lenient=lenient, params=params
    )
    patients = tuple(v.patient for v in validated if v.ok and v.patient is not None)
    problems = (*assembled.problems, *(p for v in validated for p in v.problems))
    invalid = tuple(v.source.patient_id for v in validated if not v.ok)
    return Registry(patients, problems, invalid, source)


def read_registry(
    path: str | Path, *, today: date | None = None, lenient: bool = False
) -> Registry:
    """Read and validate a registry file or folder; invalid records are kept out of
    :attr:`Registry.patients` and described in :attr:`Registry.problems` (nothing raises for
    them; :func:`classify` decides)."""
    return _registry(path, today=today, lenient=lenient, params=DEFAULT_PARAMETERS)


def validate(records: Records, *, today: date | None = None, lenient: bool = False) -> Registry:
    """Validate records in any accepted form; look at ``.ok``, ``.errors``, ``.warnings`` or
    ``.problems_frame()``."""
    return _registry(records, today=today, lenient=lenient, params=DEFAULT_PARAMETERS)


@dataclass(frozen=True)
class Classifications:
    """One classification per valid patient, in input order."""

    results: tuple[Classification, ...]
    as_of: date
    params: RuleParameters
    rejected: tuple[Problem, ...] = field(default=())

    def __iter__(self) -> Iterator[Classification]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def __getitem__(self, patient_id: str) -> Classification:
        for result in self.results:
            if result.patient_id == patient_id:
                return result
        raise KeyError(patient_id)

    def as_dicts(self) -> list[dict[str, Any]]:
        """The JSON of ``classify --format json``."""
        return [r.as_dict() for r in self.results]

    def to_pandas(self) -> pd.DataFrame:
        """One row per patient with the columns of ``classify --format csv``; dates as
        datetime64, unknown values as missing."""
        from rairtc.results import COLUMNS, row

        rows = [row(r) for r in self.as_dicts()]
        return _typed_frame({column: [r[column] for r in rows] for column in COLUMNS})

    def evidence(self, lang: str = "en") -> pd.DataFrame:
        """Long format, one row per evidence item of a criterion met: patient_id, criterion,
        date, confirmed, code, params, sentence (in ``lang``: en, ru or kk)."""
        import pandas as pd

        from rairtc.i18n import check_language
        from rairtc.report.i18n import Language

        language = Language(check_language(lang))
        rows = [
            {
                "patient_id": r.patient_id,
                "criterion": o.criterion.value,
                "date": o.date,
                "confirmed": o.confirmed,
                "code": e.code,
                "params": dict(e.params),
                "sentence": e.text if lang == "en" else language.evidence(e.code, dict(e.params)),
            }
            for r in self.results
            for o in r.criteria
            for e in o.evidence
        ]
        columns = ["patient_id", "criterion", "date", "confirmed", "code", "params", "sentence"]
        frame = pd.DataFrame(rows, columns=columns)
        frame["date"] = pd.to_datetime(frame["date"])
        return frame


def _typed_frame(columns: Mapping[str, list[Any]]) -> pd.DataFrame:
    """The one place that types a result frame, for both engines: the columns of
    ``classify --format csv`` from plain Python values (None when unknown), pandas inferring
    each column's dtype from the values alone, then the ``*_date`` columns as datetime64."""
    import pandas as pd

    from rairtc.results import COLUMNS

    frame = pd.DataFrame({column: columns[column] for column in COLUMNS}, columns=list(COLUMNS))
    for column in COLUMNS:
        if column.endswith("_date"):
            frame[column] = pd.to_datetime(frame[column])
    return frame


def _plain_column(series: pd.Series) -> list[Any]:
    """A bulk frame column as the reference engine's row values: None for NA/NaN/None,
    dates as ISO strings (the reference's JSON), numbers and booleans as Python's."""
    values: list[Any] = []
    for value in series.tolist():
        if _missing(value):
            values.append(None)
        elif isinstance(value, date):
            values.append(value.isoformat())
        else:
            values.append(value)
    return values


_NO_EVIDENCE = (
    "the bulk engine writes no evidence and no per-patient objects; classify the patients "
    "you want explained with engine='reference' (the default), e.g. "
    "rairtc.classify(records, as_of=..., params=...)[patient_id]"
)


@dataclass(frozen=True)
class BulkClassifications(Classifications):
    """The result of ``classify(..., engine="bulk")``: the bulk engine's frame only.

    :meth:`to_pandas` is the reference engine's frame; ``len()`` counts the patients. There is
    no :class:`Classification` per patient: iteration, ``result[patient_id]``,
    :meth:`as_dicts` and :meth:`evidence` raise :class:`~rairtc.core.errors.UsageError`."""

    frame: pd.DataFrame = field(kw_only=True, repr=False, compare=False)

    def __iter__(self) -> Iterator[Classification]:
        raise _usage(_NO_EVIDENCE)

    def __len__(self) -> int:
        return len(self.frame)

    def __getitem__(self, patient_id: str) -> Classification:
        raise _usage(_NO_EVIDENCE)

    def as_dicts(self) -> list[dict[str, Any]]:
        raise _usage(_NO_EVIDENCE)

    def to_pandas(self) -> pd.DataFrame:
        """The same frame as the reference engine's :meth:`Classifications.to_pandas`."""
        from rairtc.results import COLUMNS

        return _typed_frame({c: _plain_column(self.frame[c]) for c in COLUMNS})

    def evidence(self, lang: str = "en") -> pd.DataFrame:
        raise _usage(_NO_EVIDENCE)


def _usage(message: str) -> Exception:
    from rairtc.core.errors import UsageError

    return UsageError(message)


def _classify_bulk(
    records: Records, day: date, parameters: RuleParameters, *, skip_invalid: bool, lenient: bool
) -> BulkClassifications:
    from rairtc.bulk.api import classify_frame, is_table_source

    if not isinstance(records, str | Path) or not is_table_source(records):
        if isinstance(records, str | Path) and not Path(records).exists():
            raise InputUnavailable(f"cannot open {records}: no such file or folder")
        raise _usage(
            "engine='bulk' reads a table source (a folder of Parquet or CSV tables, a .duckdb "
            "file or a postgresql:// URL), not "
            f"{_described(records)}; write the registry as Parquet first (rairtc convert "
            "REGISTRY FOLDER --parquet, or rairtc.io.parquet_tables.write_parquet_folder("
            "registry.patients, folder)) and pass the folder, or use engine='reference'"
        )
    if skip_invalid or lenient:
        raise _usage(
            "skip_invalid and lenient choose how records are validated, and the bulk engine "
            "does not validate; check the registry with rairtc.validate(path) first, or use "
            "engine='reference'"
        )
    frame = classify_frame(records, day, parameters)
    return BulkClassifications((), day, parameters, frame=frame)


def _described(records: Any) -> str:
    if isinstance(records, str | Path):
        return f"'{Path(records).name}'"
    if isinstance(records, Registry):
        return "a Registry"
    if _is_frames(records):
        return "a dict of DataFrames"
    return "a patient dict" if isinstance(records, Mapping) else "patient dicts"


ENGINES = ("reference", "bulk")


def _parameters(params: RuleParameters | str | None) -> RuleParameters:
    if params is None:
        return DEFAULT_PARAMETERS
    if isinstance(params, str):
        return preset(params)
    return params


def preset(name: str) -> RuleParameters:
    """The rule parameters of a named preset (``study``, ``literal_12_16``, ...)."""
    from rairtc.core.errors import UsageError
    from rairtc.core.parameters import ParameterError
    from rairtc.core.parameters import preset as build

    try:
        return build(name)
    except ParameterError as error:
        raise UsageError(str(error)) from None


def classify(
    records: Records,
    *,
    as_of: date | str | None = None,
    params: RuleParameters | str | None = None,
    skip_invalid: bool = False,
    lenient: bool = False,
    engine: str = "reference",
) -> Classifications:
    """Classify every patient as of a date (default: today); ``params`` is a
    :class:`RuleParameters` or a preset name. Invalid records raise
    :class:`~rairtc.core.errors.InvalidInput` unless ``skip_invalid``.

    ``engine="bulk"`` classifies a table source (a folder of Parquet or CSV tables, a
    ``.duckdb`` file or a ``postgresql://`` URL) with :func:`rairtc.bulk.classify_frame`, for
    registries too large for per-patient objects. It does NOT validate the records (run
    :func:`validate` first; ``skip_invalid`` and ``lenient`` are refused) and returns a
    :class:`BulkClassifications`: its :meth:`~Classifications.to_pandas` is the reference
    engine's frame for the same registry (rows in patient id order from PostgreSQL), but it
    holds no per-patient objects and no evidence. Any other input is a
    :class:`~rairtc.core.errors.UsageError`: write the registry as Parquet first."""
    day = date.fromisoformat(as_of) if isinstance(as_of, str) else (as_of or date.today())
    parameters = _parameters(params)
    if engine not in ENGINES:
        raise _usage(f"unknown engine '{engine}'; allowed: {', '.join(ENGINES)}")
    if engine == "bulk":
        return _classify_bulk(records, day, parameters, skip_invalid=skip_invalid, lenient=lenient)
    registry = _registry(records, today=max(day, date.today()), lenient=lenient, params=parameters)
    if registry.errors and not skip_invalid:
        raise InvalidInput(
            f"{len(registry.errors)} error(s) in {registry.source}; see the problems "
            "(error.problems), or pass skip_invalid=True to classify the valid patients",
            registry.problems,
        )
    results = tuple(classify_patient(p, day, parameters) for p in registry.patients)
    return Classifications(results, day, parameters, tuple(registry.errors))

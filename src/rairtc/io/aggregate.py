"""Aggregate research outputs: patient counts by a few fields, small cells suppressed.

A count below ``min_cell`` is written as suppressed (no number), the usual statistical
disclosure rule: a cell of one or two patients can point at a person even without ids. Only
patient-level fields that identify no one directly can be counted, plus two derived ones:
``diagnosis_year`` and ``age_group`` (ten-year bands of age at diagnosis). Totals are not
written, so a suppressed cell cannot be recovered by subtraction from one table.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rairtc.core.errors import UsageError

if TYPE_CHECKING:
    from rairtc.core.records import Patient

DEFAULT_MIN_CELL = 5


def _plain(name: str) -> Callable[[Patient], Any]:
    def value(patient: Patient) -> Any:
        found = getattr(patient, name)
        return getattr(found, "value", found)

    return value


def _age_group(patient: Patient) -> str:
    from rairtc.core.dates import completed_years

    low = completed_years(patient.birth_date, patient.diagnosis_date) // 10 * 10
    return f"{low}-{low + 9}"


FIELDS: dict[str, Callable[[Patient], Any]] = {
    **{
        name: _plain(name)
        for name in (
            "sex",
            "histology",
            "variant",
            "t",
            "n",
            "m",
            "extrathyroidal_extension",
            "margins",
            "capsular_invasion",
            "smoker",
            "region",
            "stage_recorded",
        )
    },
    "diagnosis_year": lambda p: p.diagnosis_date.year,
    "age_group": _age_group,
}


@dataclass(frozen=True)
class Cell:
    values: tuple[Any, ...]
    count: int | None  # None when suppressed


def parse_fields(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in FIELDS]
    if unknown or not names:
        raise UsageError(
            f"cannot count by {', '.join(unknown) or 'nothing'}; allowed: {', '.join(FIELDS)}"
        )
    return names


def counts(patients: Sequence[Patient], fields: Sequence[str], min_cell: int) -> list[Cell]:
    if min_cell < 1:
        from rairtc.i18n import translate

        values = {"min_cell": min_cell}
        code = "io.min_cell_invalid"
        raise UsageError(translate(code, values), code=code, params=values)
    tally = Counter(tuple(FIELDS[name](p) for name in fields) for p in patients)
    ordered = sorted(
        tally.items(), key=lambda item: [("" if v is None else str(v)) for v in item[0]]
    )
    return [Cell(values, n if n >= min_cell else None) for values, n in ordered]


def write_counts(cells: Sequence[Cell], fields: Sequence[str], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*fields, "n", "suppressed"])
        for cell in cells:
            values = [
                "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
                for v in cell.values
            ]
            suppressed = cell.count is None
            writer.writerow(
                [*values, "" if suppressed else cell.count, "true" if suppressed else "false"]
            )

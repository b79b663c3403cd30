"""The exchange formats beside the registry formats: REDCap, FHIR R4 and OMOP CDM.

:func:`detect` tells an exchange input from a registry input (``rairtc.io.registry`` asks it
first); :func:`write_to` writes any format, exchange or registry, so that ``convert --to`` and
``export`` share one dispatch. Only these formats are named here; their code lives in
:mod:`rairtc.io.redcap`, :mod:`rairtc.io.fhir` and :mod:`rairtc.io.omop`.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from rairtc.core.errors import UsageError

if TYPE_CHECKING:
    from rairtc.core.records import Patient


class Exchange(StrEnum):
    REDCAP = "redcap"
    FHIR = "fhir"
    OMOP = "omop"


OUTPUTS = {
    Exchange.REDCAP: "one flat CSV file (e.g. records.csv)",
    Exchange.FHIR: "a folder of Bundle JSON files, or an .ndjson file",
    Exchange.OMOP: "a folder of CSV tables",
}


def detect(path: Path) -> Exchange | None:
    """The exchange format of an existing input, or None for a registry format."""
    from rairtc.io.fhir.files import looks_like_fhir
    from rairtc.io.omop.tables import looks_like_omop
    from rairtc.io.redcap.flat import looks_like_redcap

    if path.is_dir():
        if looks_like_omop(path):
            return Exchange.OMOP
        return Exchange.FHIR if looks_like_fhir(path) else None
    suffix = path.suffix.lower()
    if suffix == ".csv" and looks_like_redcap(path):
        return Exchange.REDCAP
    if suffix in (".json", ".ndjson", ".jsonl") and looks_like_fhir(path):
        return Exchange.FHIR
    return None


def check_output(path: Path, to: Exchange) -> None:
    """Refuse an output path that cannot hold the format, before anything is read."""
    suffix = path.suffix.lower()
    fits = {
        Exchange.REDCAP: suffix == ".csv",
        Exchange.FHIR: suffix in ("", ".ndjson", ".jsonl") and not path.is_file(),
        Exchange.OMOP: suffix == "" and not path.is_file(),
    }[to]
    if not fits:
        from rairtc.i18n import translate

        values = {"to": str(to), "expected": OUTPUTS[to], "name": path.name}
        code = "io.exchange_output"
        raise UsageError(translate(code, values), code=code, params=values)


def write_to(
    patients: Sequence[Patient], path: Path, to: Exchange | None = None, *, parquet: bool = False
) -> str:
    """Write in the exchange format ``to``, or in the registry format the path names."""
    if to is None:
        from rairtc.io.registry import write_registry

        return str(write_registry(patients, path, parquet=parquet))
    from rairtc.io.atomic import atomic_file, atomic_folder

    check_output(path, to)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True)
    folder = to is Exchange.OMOP or (to is Exchange.FHIR and path.suffix == "")
    with (atomic_folder if folder else atomic_file)(path) as temporary:
        if to is Exchange.REDCAP:
            from rairtc.io.redcap.flat import write_redcap

            write_redcap(patients, temporary)
        elif to is Exchange.FHIR:
            from rairtc.io.fhir.files import write_fhir

            write_fhir(patients, temporary)
        else:
            from rairtc.io.omop.tables import write_omop

            write_omop(patients, temporary)
    return str(to)

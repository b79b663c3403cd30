"""The row shape of one occurrence of a criterion, shared by the five criteria."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

FLAGS = (
    "heterogeneous_uptake",
    "scan_day_out_of_range",
    "soft_criterion",
    "tsh_inadequate",
    "tsh_unknown",
)  # alphabetical, the order flags are printed in


def occurrences(
    table: ir.Table,
    criterion: str,
    date: ir.DateValue,
    *,
    check: bool = False,
    confirmed: bool = True,
    **flags: ir.BooleanValue | bool,
) -> ir.Table:
    """Rows (patient_id, criterion, date, confirmed, flags...) from ``table``.

    ``check=True`` takes confirmation and the §2 flags from the study columns of ``table``
    (``confirmed``, ``tsh_inadequate``, ``tsh_unknown``, ``scan_day_out_of_range``)."""
    values: dict[str, ir.Value] = {
        "patient_id": table.patient_id,
        "criterion": ibis.literal(criterion),
        "date": date,
        "confirmed": table.confirmed if check else ibis.literal(confirmed),
    }
    for flag in FLAGS:
        if flag in flags:
            given = flags[flag]
            values[flag] = ibis.literal(given) if isinstance(given, bool) else given
        elif check and flag in ("tsh_inadequate", "tsh_unknown", "scan_day_out_of_range"):
            values[flag] = table[flag]
        else:
            values[flag] = ibis.literal(False)
    return table.select(**values)

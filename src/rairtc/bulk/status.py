"""Which occurrence of each criterion is listed, and the patient's status, onset and primary
criterion (``rules.md`` §2 and §4), over tables.

Per criterion: the earliest confirmed occurrence, else the earliest unconfirmed one (with
``count_unconfirmed_as_met``: simply the earliest). Occurrences on the chosen date merge: the
confirmed ones take precedence, and the flags of the merged ones are united.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from rairtc.bulk.criteria.occurrence import FLAGS
from rairtc.core.parameters import RuleParameters
from rairtc.core.rules.terms import PRIORITY, Criterion


def reported(occ: ir.Table, params: RuleParameters) -> ir.Table:
    """One row per patient and criterion met: date, confirmed, flags (booleans), priority."""
    keys = ["patient_id", "criterion"]
    window = ibis.window(group_by=keys)
    first_any = occ.date.min().over(window)
    if params.count_unconfirmed_as_met:
        chosen = first_any
    else:
        first_confirmed = occ.date.min(where=occ.confirmed).over(window)
        chosen = first_confirmed.coalesce(first_any)
    on_day = occ.mutate(chosen=chosen).filter(lambda t: t.date == t.chosen)
    on_day = on_day.mutate(any_confirmed=on_day.confirmed.any().over(window))
    merged = on_day.filter(on_day.confirmed == on_day.any_confirmed)
    out = merged.group_by(keys).agg(
        date=merged.date.min(),
        confirmed=merged.confirmed.any(),
        **{flag: merged[flag].any() for flag in FLAGS},
    )
    priority = ibis.cases(*((out.criterion == c.value, PRIORITY[c]) for c in Criterion))
    return out.mutate(priority=priority)


def flag_text(t: ir.Table) -> ir.StringValue:
    """The flags of a row joined by ';' in alphabetical order ('' when none)."""
    parts = [
        ibis.cases((t[flag], ibis.literal(flag + ";")), else_=ibis.literal("")) for flag in FLAGS
    ]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.concat(part)
    return joined.re_replace(";$", "")


def per_patient(rep: ir.Table, params: RuleParameters) -> ir.Table:
    """Status inputs and the listed criteria, one row per patient with any criterion met."""
    effective = rep.confirmed | ibis.literal(params.count_unconfirmed_as_met)
    rep = rep.mutate(effective=effective, flags=flag_text(rep))
    values: dict[str, ir.Value] = {
        "any_effective": rep.effective.any(),
        "onset_date": rep.date.min(where=rep.effective),
        "primary_rank": rep.priority.min(where=rep.effective),
    }
    for c in Criterion:
        mine = rep.criterion == c.value
        values[f"{c.value}_date"] = rep.date.min(where=mine)
        values[f"{c.value}_confirmed"] = rep.confirmed.any(where=mine)
        values[f"{c.value}_flags"] = rep.flags.max(where=mine)
    wide = rep.group_by(m_pid=rep.patient_id).agg(**values)
    return wide.mutate(criteria=listed_in_order(wide))


def listed_in_order(t: ir.Table) -> ir.StringValue:
    """The met criteria's codes joined by ';', by date then priority. Built from the five
    date columns (each criterion's rank = how many met criteria come before it), because
    Spark has no ordered string aggregation."""
    dates = {c: t[f"{c.value}_date"] for c in Criterion}
    rank = {}
    for c, day in dates.items():
        before = [
            ibis.cases(
                ((other < day) | ((other == day) & ibis.literal(PRIORITY[o] < PRIORITY[c])), 1),
                else_=0,
            )
            for o, other in dates.items()
            if o is not c
        ]
        total = before[0]
        for item in before[1:]:
            total = total + item
        rank[c] = total
    text = ibis.literal("")
    for position in range(len(Criterion)):
        at = ibis.cases(
            *(
                (dates[c].notnull() & (rank[c] == position), ibis.literal(c.value + ";"))
                for c in Criterion
            ),
            else_="",
        )
        text = text.concat(at)
    return text.re_replace(";$", "")


def primary_code(rank: ir.IntegerValue) -> ir.StringValue:
    return ibis.cases(
        *((rank == PRIORITY[c], c.value) for c in Criterion), else_=ibis.null("string")
    )

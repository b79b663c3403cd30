"""One row per patient with every field of ``classify --format csv`` (``cli.md``), built as
one Ibis expression from the rule modules; the backend runs it as one query.

Besides the CSV columns the frame carries, per criterion, ``<code>_confirmed`` and
``<code>_flags`` (for the JSON output), and ``_ord`` (input order where the backend knows it).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from rairtc.bulk import ata_response, ata_risk, follow_up, staging, status
from rairtc.bulk.criteria import (
    cumulative_activity,
    fdg_mismatch,
    no_uptake,
    nonavid_lesion,
    progression,
)
from rairtc.bulk.sources import Registry
from rairtc.bulk.timeline import MICRO, Timeline, as_int, build_timeline, materialize
from rairtc.core.codes import NOT_APPLICABLE_HISTOLOGIES as NOT_DIFFERENTIATED
from rairtc.core.codes import Histology
from rairtc.core.parameters import RuleParameters
from rairtc.core.rules.classify import Status
from rairtc.core.rules.terms import Criterion
from rairtc.core.units import MBQ_PER_MCI
from rairtc.results import COLUMNS

CRITERIA = {
    Criterion.FDG_MISMATCH: fdg_mismatch.evaluate,
    Criterion.NO_UPTAKE: no_uptake.evaluate,
    Criterion.NONAVID_LESION: nonavid_lesion.evaluate,
    Criterion.PROGRESSION_DESPITE_UPTAKE: progression.evaluate,
    Criterion.CUMULATIVE_ACTIVITY: cumulative_activity.evaluate,
}

CSV_COLUMNS = COLUMNS  # the columns of `classify --format csv`, defined once
DETAIL_COLUMNS = (
    *(f"{c.value}_{part}" for c in Criterion for part in ("confirmed", "flags")),
    "ignored_studies",  # post-therapy studies outside 0-N days of a course: 'date|modality;...'
)


def evaluable(histology: ir.StringValue, params: RuleParameters) -> ir.BooleanValue:
    """Criteria apply: not medullary or anaplastic, nor poorly differentiated unless
    ``include_pdtc`` (as :func:`rairtc.core.rules.classify.is_evaluable_histology`)."""
    excluded = {h.value for h in NOT_DIFFERENTIATED}
    if not params.include_pdtc:
        excluded.add(Histology.POORLY_DIFFERENTIATED.value)
    return ~histology.isin(tuple(sorted(excluded)))


def mci_rounded(umbq: ir.IntegerValue) -> ir.FloatingValue:
    """micro-MBq as mCi rounded half-even to 2 decimals, in exact integer arithmetic."""
    scale = int(MBQ_PER_MCI) * MICRO  # micro-MBq per mCi
    hundredths = umbq * 100
    quotient = hundredths // scale
    twice_rest = (hundredths - quotient * scale) * 2
    up = (twice_rest > scale) | ((twice_rest == scale) & (quotient % 2 == 1))
    return (quotient + as_int(up)).cast("float64") / 100


def _not_evaluable_text(
    t: ir.Table, has_pt: ir.BooleanValue, nu_reason: ir.StringValue
) -> ir.StringValue:
    """``code:reason`` pairs in criterion order; a met criterion is never listed."""
    entries = [
        (
            Criterion.NO_UPTAKE,
            ibis.cases((t.no_uptake_date.isnull() & nu_reason.notnull(), nu_reason), else_=""),
        ),
        (
            Criterion.NONAVID_LESION,
            ibis.cases((~has_pt, "no_post_therapy_study"), else_=""),
        ),
        (
            Criterion.PROGRESSION_DESPITE_UPTAKE,
            ibis.cases((~has_pt, "no_post_therapy_study"), else_=""),
        ),
    ]
    text = ibis.literal("")
    for criterion, reason in entries:
        text = text.concat(
            ibis.cases(
                (reason != "", ibis.literal(f";{criterion.value}:").concat(reason)),
                else_="",
            )
        )
    return text.substr(1)  # the first separator off (no regular expression over every row)


PATIENT_FIELDS = (
    "id",
    "birth_date",
    "diagnosis_date",
    "histology",
    "variant",
    "t",
    "n",
    "m",
    "extrathyroidal_extension",
    "vascular_invasion_foci",
    "lymph_nodes_positive",
    "largest_node_mm",
    "margins",
    "last_follow_up",
    "deceased_date",
)
"""The fields of ``patients`` the rules read (staging, ATA risk and response, follow-up,
evaluability). A rule reading another field fails when the plan is built, never silently."""


def _patients(registry: Registry) -> ir.Table:
    """The patients' rule fields (and ``_ord``). On DuckDB they are copied once into a
    table of their own: a Parquet file is read by one thread per row group, and a registry's
    patients file often has a single row group, which would leave every join of the patient
    row (the longest chain of the final query) to one thread; a table of the database is
    scanned in parallel (a per-backend difference)."""
    raw = registry["patients"]
    patients = raw.select(*PATIENT_FIELDS, *(c for c in ("_ord",) if c in raw.columns))
    return materialize(registry, patients) if registry.name == "duckdb" else patients


HISTOLOGY_NOT_DIFFERENTIATED = ";".join(
    f"{c.value}:histology_not_differentiated" for c in Criterion
)


def classify_table(registry: Registry, params: RuleParameters) -> ir.Table:
    """The per-patient result table (not yet executed)."""
    tl: Timeline = build_timeline(registry, params)
    occ = ibis.union(*(evaluate(tl, params) for evaluate in CRITERIA.values()))
    met = status.per_patient(status.reported(occ, params), params)
    if registry.name == "spark":
        # Spark optimises the whole query at once, in time that grows faster than the plan;
        # the criteria's per-patient result is cached as a DataFrame of its own, which Spark
        # plans separately (a per-backend difference; DuckDB and PostgreSQL run one query)
        met = materialize(registry, met)
    c = tl.courses
    per_course = c.group_by(c_pid=c.patient_id).agg(
        total=c.umbq.sum(), first_course=c.date.min(), last_course=c.date.max()
    )
    st = tl.studies
    per_study = st.group_by(h_pid=st.patient_id).agg(
        any_linked=st.linked.any(),
        first_course_scanned=(st.linked & (st.course_no == 1)).any(),
        last_study=st.date.max(),
    )
    ignored = st.filter(st.ignored)
    ignored = ignored.group_by(g_pid=ignored.patient_id).agg(
        ignored_studies=ignored.date.cast("string")
        .concat("|")
        .concat(ignored.modality)
        .group_concat(";")
    )
    others = follow_up.other_records(tl)
    if registry.name == "duckdb":
        # DuckDB estimates this aggregate at its input's row count (every surgery, lab and
        # MDT entry) and then builds the join on the wide patient rows instead; as a table of
        # its own it has its exact count (a per-backend difference)
        others = materialize(registry, others)
    patients = staging.with_stage(_patients(registry), params)
    patients = ata_response.with_response(ata_risk.with_risk(patients, tl), tl, params)
    t = patients
    for table, key in (
        (met, "m_pid"),
        (per_course, "c_pid"),
        (per_study, "h_pid"),
        (others, "o_pid"),
        (ignored, "g_pid"),
    ):
        t = t.left_join(table, t.id == table[key])
    follow_up_months = follow_up.months(
        t.first_course,
        [t.last_course, t.last_study, t.o_latest],
        [t.last_follow_up, t.deceased_date],
        registry.as_of,
    )
    nu_reason = no_uptake.not_evaluable(t.c_pid.notnull(), t.first_course_scanned)
    ok = evaluable(t.histology, params)
    has_pt = true_(t.any_linked)
    any_met = t.m_pid.notnull()
    refractory = true_(t.any_effective)
    state = ibis.cases(
        (~ok, Status.INSUFFICIENT_DATA),
        (refractory, Status.REFRACTORY),
        (any_met, Status.POSSIBLY_REFRACTORY),
        (~has_pt, Status.INSUFFICIENT_DATA),
        else_=Status.NOT_REFRACTORY,
    )
    values: dict[str, ir.Value] = {
        "patient_id": t.id,
        "status": state,
        "rair": ok & refractory,
        "onset_date": ibis.cases((ok, t.onset_date), else_=ibis.null("date")),
        "primary_criterion": ibis.cases(
            (ok, status.primary_code(t.primary_rank)), else_=ibis.null("string")
        ),
        "cumulative_activity_mci": mci_rounded(t.total.fill_null(0)),
        "follow_up_months": follow_up_months,
        "stage": t.stage,
        "stage_reason": t.stage_reason,
        "ata_risk": t.ata_risk,
        "response": t.response,
        "response_reason": t.response_reason,
        "criteria": ibis.cases((ok, t.criteria.fill_null("")), else_=""),
        "not_evaluable": ibis.cases(
            (ok, _not_evaluable_text(t, has_pt, nu_reason)), else_=HISTOLOGY_NOT_DIFFERENTIATED
        ),
        "risk_flags": t.risk_flags,
        "response_flags": t.response_flags,
    }
    for c in Criterion:
        values[f"{c.value}_date"] = ibis.cases((ok, t[f"{c.value}_date"]), else_=ibis.null("date"))
    for c in Criterion:
        values[f"{c.value}_confirmed"] = ibis.cases(
            (ok, t[f"{c.value}_confirmed"]), else_=ibis.null("boolean")
        )
        values[f"{c.value}_flags"] = ibis.cases(
            (ok, t[f"{c.value}_flags"]), else_=ibis.null("string")
        )
    values["ignored_studies"] = t.ignored_studies.fill_null("")
    order = t["_ord"] if "_ord" in t.columns else None
    out = t.select(**values, **({"_ord": order} if order is not None else {}))
    return out.order_by("_ord" if order is not None else "patient_id")


def true_(value: ir.BooleanValue) -> ir.BooleanValue:
    return value.fill_null(False)

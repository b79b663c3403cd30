"""The timeline over tables (``rules.md`` §1-2): courses with rank and exact cumulative
activity, post-therapy studies linked to the latest course 0-N days before them, the
confirmation check of each linked study, and per-study summaries of the findings.

Mirrors :mod:`rairtc.core.rules.timeline` and :mod:`rairtc.core.rules.confirmation`.
Activities are summed exactly as integers of micro-MBq (an activity is read to six decimals
of its unit), never as accumulated binary floats, on every backend.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from rairtc.bulk.sources import Registry
from rairtc.core.codes import (
    DISEASE_KINDS,
    POST_THERAPY_MODALITIES,
    RAI_MODALITIES,
    FindingKind,
    Stimulation,
)
from rairtc.core.parameters import RuleParameters
from rairtc.core.units import MBQ_PER_GBQ, MBQ_PER_MCI

MICRO = 1_000_000
POST_THERAPY = tuple(sorted(m.value for m in POST_THERAPY_MODALITIES))
RAI = tuple(sorted(m.value for m in RAI_MODALITIES))
DISEASE = tuple(sorted(k.value for k in DISEASE_KINDS))


def true(value: ir.BooleanValue) -> ir.BooleanValue:
    """``value is True``: unknown (null) never counts either way."""
    return value.fill_null(False)


def as_int(value: ir.BooleanValue) -> ir.IntegerValue:
    """1 or 0 (PostgreSQL casts no boolean to an integer, so this is spelled as a CASE)."""
    return ibis.cases((value, 1), else_=0)


def days(n: int) -> ir.IntervalScalar:
    return ibis.interval(days=n)


@dataclass(frozen=True)
class Timeline:
    """Tables of one registry, cut at as_of and linked.

    ``courses``: one row per course (``number``, ``cum_umbq`` cumulative micro-MBq).
    ``studies``: every imaging study (``sid``), with ``linked`` / ``ignored`` for post-therapy
    studies, the owning course, the §2 check and summaries of its findings.
    ``findings``: findings of every study, with the study's date, modality and course.
    """

    registry: Registry
    courses: ir.Table
    studies: ir.Table
    findings: ir.Table

    @property
    def rule_studies(self) -> ir.Table:
        """Studies the criteria may use: ignored post-therapy studies left out."""
        return self.studies.filter(~self.studies.ignored)

    @property
    def rule_findings(self) -> ir.Table:
        return self.findings.filter(~self.findings.ignored)


def _courses(registry: Registry) -> ir.Table:
    c = registry["rai_courses"]
    micro_mci = (c.activity_mci * MICRO).round().cast("int64")
    micro_gbq = (c.activity_gbq * MICRO).round().cast("int64")
    umbq = ibis.cases(
        (c.activity_mci.notnull(), micro_mci * int(MBQ_PER_MCI)),
        else_=micro_gbq * int(MBQ_PER_GBQ),
    )
    c = c.select("patient_id", "date", "stimulation", "tsh_miu_l", umbq=umbq)
    window = ibis.window(group_by="patient_id", order_by="date")
    cumulative = ibis.cumulative_window(group_by="patient_id", order_by="date")
    return c.mutate(
        number=ibis.row_number().over(window) + 1,
        # the date of the course numbered next (same window, so ties come in the same order)
        next_date=c.date.lead().over(window),
        cum_umbq=c.umbq.sum().over(cumulative),
    )


def _with_courses(studies: ir.Table, courses: ir.Table, params: RuleParameters) -> ir.Table:
    """Every study with its course (``course_no``, ``course_date``, ``stimulation``,
    ``tsh_miu_l``): for a post-therapy study the latest course given 0-N days before it, else
    none. The latest course on or before a date is the one whose next course (by number) is
    later than that date, so one left join finds it, with no aggregate and no second join."""
    c = courses.select(
        c_pid="patient_id",
        c_date="date",
        c_next="next_date",
        course_no="number",
        course_date="date",
        stimulation="stimulation",
        tsh_miu_l="tsh_miu_l",
    )
    s = studies
    joined = s.left_join(
        c,
        [
            true(s.modality.isin(POST_THERAPY)),
            s.patient_id == c.c_pid,
            c.c_date <= s.date,
            c.c_next.isnull() | (s.date < c.c_next),
            s.date <= c.c_date + days(params.post_therapy_max_days),
        ],
    )
    return joined.drop("c_pid", "c_date", "c_next")


def _check(t: ir.Table, params: RuleParameters) -> dict[str, ir.BooleanValue]:
    """§2 for a linked post-therapy study (columns course_date, stimulation, tsh_miu_l)."""
    not_rhtsh = t.stimulation.isnull() | (t.stimulation != Stimulation.RHTSH.value)
    linked = t.linked
    tsh_inadequate = linked & not_rhtsh & true(t.tsh_miu_l <= params.tsh_threshold_miu_l)
    tsh_unknown = linked & not_rhtsh & t.tsh_miu_l.isnull()
    in_days = (t.date >= t.course_date + days(params.scan_day_min)) & (
        t.date <= t.course_date + days(params.scan_day_max)
    )
    scan_out = linked & ~true(in_days)
    return {
        "tsh_inadequate": tsh_inadequate,
        "tsh_unknown": tsh_unknown,
        "scan_day_out_of_range": scan_out,
        "confirmed": ~(tsh_inadequate | scan_out),
    }


def _finding_summaries(findings: ir.Table, params: RuleParameters) -> ir.Table:
    """Counts of a study's findings, by (``k_pid``, ``k_image``): they depend on the findings
    alone, so they are joined to the studies in the same pass that links them (one stored
    table of studies, not two)."""
    f = findings
    disease = f.kind.isin(DISEASE)
    avid = true(f.rai_uptake)
    nonavid = true(f.rai_uptake == False)  # noqa: E712 - an Ibis expression, not a Python test
    remnant = f.kind == FindingKind.REMNANT.value
    avid_counts = avid & ~remnant if params.c1_ignore_thyroid_bed_uptake else avid
    return f.group_by(k_pid=f.patient_id, k_image=f.imaging_id).agg(
        n_dis_nonavid=as_int(disease & nonavid).sum(),
        n_dis_avid=as_int(disease & avid).sum(),
        n_avid_c1=as_int(avid_counts).sum(),
        n_disease=as_int(disease).sum(),
        n_new_disease=as_int(disease & true(f.new)).sum(),
    )


def _row_id(table: ir.Table, registry: Registry, *keys: str) -> ir.IntegerValue:
    """A number telling the rows of ``table`` apart: the stored row's own number (``_row``,
    see :mod:`rairtc.bulk.sources`) where the backend gives one, else a numbering window.
    PostgreSQL numbers once into a temporary table; Spark may recompute a cached DataFrame, so
    there the numbering is ordered to come out the same every time (a per-backend
    difference). A window over the whole table runs on one thread (one partition), hence
    ``_row`` where there is one."""
    if "_row" in table.columns:
        return table["_row"]
    window = ibis.window(order_by=list(keys)) if registry.name == "spark" else ibis.window()
    return ibis.row_number().over(window)


FINDING_FIELDS = ("site", "side", "kind", "rai_uptake", "fdg_uptake", "new")
"""The fields of ``findings`` the rules read, besides the patient and imaging ids (one list:
the timeline's findings table carries them, and ``benchmarks/bulk.py``'s scan floor reads them)."""


def build_timeline(registry: Registry, params: RuleParameters) -> Timeline:
    courses = materialize(registry, _courses(registry))
    imaging = registry["imaging"]
    studies = imaging.select(
        "patient_id",
        "date",
        "modality",
        "progression",
        image_id="id",
        sid=_row_id(imaging, registry, "patient_id", "id", "date", "modality"),
    )
    s = _with_courses(studies, courses, params)
    is_pt = s.modality.isin(POST_THERAPY)
    s = s.mutate(linked=is_pt & s.course_no.notnull(), ignored=is_pt & s.course_no.isnull())
    s = s.mutate(**_check(s, params))
    summaries = _finding_summaries(registry["findings"], params)
    s = s.left_join(
        summaries, [s.patient_id == summaries.k_pid, s.image_id == summaries.k_image]
    ).drop("k_pid", "k_image")
    s = s.mutate(**{c: s[c].fill_null(0) for c in summaries.columns if not c.startswith("k_")})
    s = s.mutate(progressed=true(s.progression) | (s.n_new_disease > 0))
    # what only the §2 check and ``progressed`` read is not stored (a narrower table to write
    # and scan)
    s = materialize(registry, s.drop("stimulation", "tsh_miu_l", "n_new_disease"))
    raw = registry["findings"]
    located = s.select("patient_id", "image_id", "sid", "date", "modality", "course_no", "ignored")
    f = raw.join(
        located,
        [raw.patient_id == located.patient_id, raw.imaging_id == located.image_id],
    ).select(
        "patient_id",
        "sid",
        "date",
        "modality",
        "course_no",
        "ignored",
        *FINDING_FIELDS,
        # a finding's own row number; with the study's ``sid`` it names a row of this table
        # (a finding whose imaging id two studies share appears once for each)
        fid=_row_id(raw, registry, "patient_id", "sid", *FINDING_FIELDS),
    )
    f = materialize(registry, f)
    return Timeline(registry, courses, s, f)


def materialize(registry: Registry, table: ir.Table) -> ir.Table:
    """Compute ``table`` once into a table of its own: the criteria read the timeline many
    times, and recomputing its joins each time would multiply the work. On DuckDB the table
    is filled on a worker thread while the plan is built (:mod:`rairtc.bulk.background`); on
    PostgreSQL it is a temporary table; on Spark the DataFrame is cached instead (Ibis's
    ``cache``; per-backend differences)."""
    if registry.name == "spark":
        return table.cache()
    if registry.background is not None:
        return registry.background.table(table)
    name = f"rairtc_tmp_{next(_NAMES)}"
    return registry.backend.create_table(name, table, temp=True)


_NAMES = itertools.count()


def site_matches(
    a: ir.Table, b: ir.Table, a_side: str = "side", b_side: str = "side"
) -> list[ir.BooleanValue]:
    """Site keys match (``rules.md`` §1): same site; the same side unless either is unknown."""
    return [
        a.site == b.site,
        a[a_side].isnull() | b[b_side].isnull() | (a[a_side] == b[b_side]),
    ]

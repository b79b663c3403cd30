"""Criterion 1, ``fdg_mismatch`` (``rules.md`` §3.1), over tables.

Pairs of an FDG PET/CT study having an FDG-avid disease finding and an RAI study at most
``fdg_mismatch_max_days`` away, with no surgery after the FDG study and on or before a later
RAI study, where some FDG-avid finding has no avid focus with its site key on the RAI study.
Met on the later date; a linked post-therapy RAI study carries its §2 check.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from rairtc.bulk.criteria.occurrence import occurrences
from rairtc.bulk.timeline import DISEASE, RAI, Timeline, days, true
from rairtc.core.codes import Modality
from rairtc.core.parameters import RuleParameters

CODE = "fdg_mismatch"


def evaluate(tl: Timeline, params: RuleParameters) -> ir.Table:
    f = tl.rule_findings
    positives = f.filter(
        (f.modality == Modality.FDG_PET_CT.value) & f.kind.isin(DISEASE) & true(f.fdg_uptake)
    ).select(p_pid="patient_id", fsid="sid", fdate="date", p_site="site", p_side="side")
    fdg = positives.select("p_pid", "fsid", "fdate").distinct()
    s = tl.rule_studies
    rai = s.filter(s.modality.isin(RAI)).select(
        "patient_id",
        "confirmed",
        "tsh_inadequate",
        "tsh_unknown",
        "scan_day_out_of_range",
        rsid="sid",
        rdate="date",
    )
    window = days(params.fdg_mismatch_max_days)
    pairs = rai.join(
        fdg,
        [
            rai.patient_id == fdg.p_pid,
            rai.rdate >= fdg.fdate - window,
            rai.rdate <= fdg.fdate + window,
        ],
    )
    surgeries = tl.registry["surgeries"].select(s_pid="patient_id", s_date="date")
    pairs = pairs.anti_join(
        surgeries,
        [
            pairs.patient_id == surgeries.s_pid,
            surgeries.s_date > pairs.fdate,
            surgeries.s_date <= pairs.rdate,
        ],
    )
    avid = f.filter(true(f.rai_uptake)).select(a_sid="sid", a_site="site", a_side="side")
    candidates = pairs.join(positives.drop("fdate", "p_pid"), "fsid")
    unmatched = candidates.anti_join(
        avid,
        [
            candidates.rsid == avid.a_sid,
            candidates.p_site == avid.a_site,
            candidates.p_side.isnull() | avid.a_side.isnull() | (candidates.p_side == avid.a_side),
        ],
    )
    met = unmatched.select(
        "patient_id",
        "fsid",
        "rsid",
        "fdate",
        "rdate",
        "confirmed",
        "tsh_inadequate",
        "tsh_unknown",
        "scan_day_out_of_range",
    ).distinct()
    return occurrences(met, CODE, ibis.greatest(met.rdate, met.fdate), check=True)

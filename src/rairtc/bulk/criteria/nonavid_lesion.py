"""Criterion 3, ``nonavid_lesion`` (``rules.md`` §3.3), over tables: a linked post-therapy
study with a non-avid disease finding, checked by §2, flagged ``heterogeneous_uptake`` when the
same study also has an avid disease finding."""

from __future__ import annotations

import ibis.expr.types as ir

from rairtc.bulk.criteria.occurrence import occurrences
from rairtc.bulk.timeline import Timeline
from rairtc.core.parameters import RuleParameters

CODE = "nonavid_lesion"


def evaluate(tl: Timeline, params: RuleParameters) -> ir.Table:
    s = tl.rule_studies
    met = s.filter(s.linked & (s.n_dis_nonavid > 0))
    return occurrences(met, CODE, met.date, check=True, heterogeneous_uptake=met.n_dis_avid > 0)

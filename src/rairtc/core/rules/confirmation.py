"""Confirmation of absent uptake (``rules.md`` §2).

Poor preparation or a badly timed scan can hide iodine uptake, so a criterion that rests on
*absent* uptake on a post-therapy study is confirmed only when that study's course was
adequately prepared and the scan was taken on a confirmed day.
"""

from __future__ import annotations

from dataclasses import dataclass

from rairtc.core.codes import Stimulation
from rairtc.core.parameters import RuleParameters
from rairtc.core.records import Imaging
from rairtc.core.rules.timeline import Course


@dataclass(frozen=True)
class Check:
    confirmed: bool
    flags: frozenset[str]

    def __and__(self, other: Check) -> Check:
        return Check(self.confirmed and other.confirmed, self.flags | other.flags)


CONFIRMED = Check(True, frozenset())


def check_study(course: Course, study: Imaging, params: RuleParameters) -> Check:
    """Flags for one post-therapy study: ``tsh_inadequate`` and ``scan_day_out_of_range``
    unconfirm; ``tsh_unknown`` (withdrawal or unrecorded preparation, no TSH) only flags."""
    flags: set[str] = set()
    confirmed = True
    if course.record.stimulation is not Stimulation.RHTSH:
        tsh = course.record.tsh_miu_l
        if tsh is None:
            flags.add("tsh_unknown")
        elif tsh <= params.tsh_threshold_miu_l:
            flags.add("tsh_inadequate")
            confirmed = False
    day = (study.date - course.date).days
    if not params.scan_day_min <= day <= params.scan_day_max:
        flags.add("scan_day_out_of_range")
        confirmed = False
    return Check(confirmed, frozenset(flags))

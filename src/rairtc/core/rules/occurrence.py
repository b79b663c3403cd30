"""What a criterion returns: its occurrences, or why it could not be evaluated.

Which occurrence is listed (``rules.md`` §2): the earliest confirmed one, else the earliest
unconfirmed one; with ``count_unconfirmed_as_met`` simply the earliest, its ``confirmed``
field still truthful. Occurrences on that date are listed as one: the confirmed ones when
there are any, else all of them, with the union of their flags and all their evidence (a
planar scan and a SPECT/CT of the same day are one occasion, not two to choose between).

Occurrences on one date are merged in a canonical order of their content (evidence codes and
parameters written as sorted JSON, then flags), never by the order in which records were
entered, and an evidence item repeated by two of them is kept once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rairtc.core.rules.evidence import Evidence
from rairtc.core.rules.terms import Criterion


def evidence_key(evidence: Evidence) -> tuple[str, str]:
    """A total order on evidence whatever its parameters hold (``None``, numbers, lists)."""
    return evidence.code, json.dumps(dict(evidence.params), sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class Occurrence:
    """One occasion on which a criterion is met."""

    criterion: Criterion
    date: date
    confirmed: bool
    flags: frozenset[str]
    evidence: tuple[Evidence, ...]

    def sort_key(self) -> tuple[object, tuple[tuple[str, str], ...], tuple[str, ...]]:
        return (
            self.date,
            tuple(evidence_key(e) for e in self.evidence),
            tuple(sorted(self.flags)),
        )


def merge(same_date: Sequence[Occurrence]) -> Occurrence:
    """Occurrences of one criterion on one date listed as one: the union of their flags and
    all their evidence (each item once), in canonical order."""
    ordered = sorted(same_date, key=Occurrence.sort_key)
    first = ordered[0]
    evidence: dict[tuple[str, str], Evidence] = {}
    for occurrence in ordered:
        for item in occurrence.evidence:
            evidence.setdefault(evidence_key(item), item)
    return Occurrence(
        criterion=first.criterion,
        date=first.date,
        confirmed=any(o.confirmed for o in ordered),
        flags=frozenset().union(*(o.flags for o in ordered)),
        evidence=tuple(evidence.values()),
    )


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    occurrences: tuple[Occurrence, ...] = ()
    not_evaluable: str | None = None  # reason code when the criterion could not be evaluated

    @property
    def met(self) -> bool:
        return bool(self.occurrences)

    def reported(self, count_unconfirmed_as_met: bool) -> Occurrence | None:
        """The occurrence to list: on the earliest date that competes (a confirmed one's, else
        any; every date when unconfirmed ones count as met), the confirmed occurrences of that
        date, else all of them, merged into one."""
        if not self.occurrences:
            return None
        confirmed = [o for o in self.occurrences if o.confirmed]
        competing = self.occurrences if count_unconfirmed_as_met or not confirmed else confirmed
        day = min(o.date for o in competing)
        same_date = [o for o in self.occurrences if o.date == day]
        return merge([o for o in same_date if o.confirmed] or same_date)

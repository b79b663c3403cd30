"""What a criterion returns: its occurrences, or why it could not be evaluated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rairtc.core.rules.evidence import Evidence
from rairtc.core.rules.terms import Criterion


@dataclass(frozen=True)
class Occurrence:
    """One occasion on which a criterion is met."""

    criterion: Criterion
    date: date
    confirmed: bool
    flags: frozenset[str]
    evidence: tuple[Evidence, ...]

    def sort_key(self) -> tuple[object, ...]:
        return (
            self.date,
            sorted(self.flags),
            [(e.code, sorted(e.params.items(), key=str)) for e in self.evidence],
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
        """The occurrence to report: the earliest confirmed one, else the earliest unconfirmed
        one (when unconfirmed criteria count as met, simply the earliest)."""
        ordered = sorted(self.occurrences, key=Occurrence.sort_key)
        if not ordered:
            return None
        if count_unconfirmed_as_met:
            return ordered[0]
        confirmed = [o for o in ordered if o.confirmed]
        return confirmed[0] if confirmed else ordered[0]

"""The reproducible draw of ``rules.md`` §10.

Ids are sorted by Unicode code point; ``u = Generator(PCG64(seed)).random(len(ids))``; the
``size`` ids with the smallest ``u`` are drawn (ties by id). Stratified: each stratum gets a
share proportional to its size, rounded by largest remainder (ties by stratum name), and the
same draw is made within each stratum in stratum-name order, continuing one generator. Anyone
with numpy can repeat the draw from the seed alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import numpy as np

from rairtc.core.errors import SamplingError as SamplingError  # re-exported: raised here


def _error(code: str, **params: object) -> SamplingError:
    """A draw that cannot be made, in English, carrying its code (rairtc.i18n) so that the
    command line says it in the user's language."""
    from rairtc.i18n import translate

    return SamplingError(translate(code, params), code=code, params=params)


def _draw(ids: Sequence[str], size: int, rng: np.random.Generator) -> list[str]:
    ordered = sorted(ids)
    u = rng.random(len(ordered))
    ranked = sorted(range(len(ordered)), key=lambda i: (float(u[i]), ordered[i]))
    return [ordered[i] for i in ranked[:size]]


def allocate(strata: Mapping[str, int], size: int) -> dict[str, int]:
    """Proportional allocation with largest-remainder rounding (exact fractions)."""
    total = sum(strata.values())
    quotas = {name: Fraction(size * count, total) for name, count in strata.items()}
    seats = {name: int(q) for name, q in quotas.items()}
    left = size - sum(seats.values())
    by_remainder = sorted(quotas, key=lambda name: (-(quotas[name] - seats[name]), name))
    for name in by_remainder[:left]:
        seats[name] += 1
    return seats


def draw_sample(
    ids: Sequence[str],
    size: int,
    seed: int,
    strata: Mapping[str, str] | None = None,
) -> list[str]:
    """The drawn ids, sorted by code point. ``strata`` maps id -> stratum name."""
    if size < 0:
        raise _error("study.size_negative", size=size)
    if size > len(ids):
        raise _error("study.size_above_frame", size=size, frame=len(ids))
    if len(set(ids)) != len(ids):
        raise _error("study.frame_repeats_id")
    rng = np.random.Generator(np.random.PCG64(seed))
    if strata is None:
        return sorted(_draw(ids, size, rng))
    members: dict[str, list[str]] = {}
    for ident in ids:
        members.setdefault(strata[ident], []).append(ident)
    seats = allocate({name: len(group) for name, group in members.items()}, size)
    drawn: list[str] = []
    for name in sorted(members):
        drawn += _draw(members[name], seats[name], rng)
    return sorted(drawn)

"""Target distributions of the synthetic registry, each with its source.

Seed = Rakhmankulova et al., Science & Healthcare 2024 (229 analysed of 445; Table 1 and the
criteria breakdown); Bg = ``clinical-background.md`` section H and G. The scenario shares are
chosen so that the classifier finds the seed's refractory rate (22/229) and its primary
criteria (18 progression, 2 cumulative activity, 1 non-avid lesion, 1 mismatch, 0 absence).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SEED_N = 229


@dataclass(frozen=True)
class Targets:
    female: float = 164 / SEED_N  # Seed Table 1: 164 women (71.6 %)
    follicular: float = 96 / SEED_N  # Seed Table 1: 96 follicular (41.9 %), the rest papillary
    age_mean: float = 49.0  # Seed: mean age 49 years, range 18-80
    age_sd: float = 12.0  # chosen so that ~37 % are under 45 (AJCC 7 stage I share of the seed)
    age_range: tuple[int, int] = (18, 80)  # Seed inclusion criteria
    # Seed Table 1, I-131 course number at the index admission: first..fifth
    course_number: tuple[float, ...] = (
        161 / SEED_N,
        33 / SEED_N,
        20 / SEED_N,
        8 / SEED_N,
        7 / SEED_N,
    )
    recurrence: float = 31 / SEED_N  # Seed Table 1: 31 (13.6 %)
    metastases: float = 66 / SEED_N  # Seed Table 1: 66 (28.9 %) regional or distant
    # Seed stage mix, reproduced under AJCC 7 (replication.md: it fits the 7th edition)
    stage7: dict[str, float] = field(
        default_factory=lambda: {
            "I": 85 / SEED_N,
            "II": 89 / SEED_N,
            "III": 49 / SEED_N,
            "IV": 6 / SEED_N,
        }
    )
    # Scenario shares (per patient); refractory total 22/229 with the seed's primary mix
    scenarios: dict[str, float] = field(
        default_factory=lambda: {
            "progression": 18 / SEED_N,  # avid disease, new foci ~12 months later (Seed: 81 %)
            "cumulative": 2 / SEED_N,  # five courses > 600 mCi, persistent lung metastases (Seed)
            "nonavid": 1 / SEED_N,  # non-avid regional node on the post-therapy scan (case I.)
            "flipflop": 1 / SEED_N,  # I-131-negative, FDG-positive nodes (case G.)
            "unconfirmed": 0.0,  # non-avid node after TSH <= 30: possibly refractory (Seed: none)
            "nodal": 0.0,  # filled in below: avid neck nodes that respond (sensitive)
        }
    )
    nodal_sensitive: float = 0.215  # share of sensitive patients with avid neck nodes at first scan
    distant_progression: float = (
        0.15  # progression patients whose avid disease is in the lung (Bg H.2)
    )
    rhtsh: float = 0.10  # courses prepared with rhTSH instead of withdrawal (Bg G.2)
    tgab_positive: float = 0.10  # patients with positive TgAb (Bg H.5: exercise the TgAb branches)


DEFAULT_TARGETS = Targets()

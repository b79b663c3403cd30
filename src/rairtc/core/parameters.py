"""Rule parameters (``rules.md`` section 9): every threshold and window, defined once.

Each parameter carries its default, its meaning and its source, so that the rule catalogue
(``docs/rules-catalogue.md``) is generated from this module and cannot drift from it. Presets
are named sets of overrides; ``study`` is the default, rule set ``study-2023`` version 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from rairtc.core.errors import ParameterError as ParameterError  # re-exported: raised here
from rairtc.core.messages import CORE_ERRORS

RULE_SET = "study-2023"
RULE_SET_VERSION = 1

_S1 = "Rakhmankulova et al., Science & Healthcare 2024 (the seed study)"
_ATA = "ATA 2015 guidelines (Haugen et al., Thyroid 2016), Table 13 / Rec 53B"
_AJCC = "AJCC Cancer Staging Manual, 8th ed. (Tuttle et al., Thyroid 2017)"


def _param(default: Any, meaning: str, source: str) -> Any:
    return Field(default=default, description=meaning, json_schema_extra={"source": source})


class RuleParameters(BaseModel):
    """The parameters of the clinical rules. Immutable; build variants with :meth:`with_`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    post_therapy_max_days: int = _param(
        14,
        "a post-therapy study belongs to the latest I-131 course up to this many days before it",
        "rules.md §1 (study definition)",
    )
    scan_day_min: int = _param(
        2,
        "earliest confirmed post-therapy scan day (days after administration)",
        "Farghaly 2010; Salvatori 2013 (scan timing), rules.md §2",
    )
    scan_day_max: int = _param(
        10,
        "latest confirmed post-therapy scan day (days after administration)",
        "Farghaly 2010; Salvatori 2013 (scan timing), rules.md §2",
    )
    tsh_threshold_miu_l: float = _param(
        30, "withdrawal TSH must exceed this (mIU/L) for absent uptake to be confirmed", _ATA
    )
    count_unconfirmed_as_met: bool = _param(
        False,
        "count unconfirmed criteria as confirmed for status, onset and primary",
        "rules.md §2 (design choice)",
    )
    fdg_mismatch_max_days: int = _param(
        365,
        "largest interval between an FDG PET/CT and the RAI study it is compared with",
        f"{_S1}: the flip-flop case had 349 days between the studies",
    )
    c1_ignore_thyroid_bed_uptake: bool = _param(
        False,
        "true = ATA 2015 wording of 'never avid': ignore avid remnant uptake",
        "ATA 2015 / Schlumberger 2014 category (i)",
    )
    progression_window_months: tuple[int, int] = _param(
        (0, 16),
        "months after the course within which structural progression counts",
        f"{_S1}; ESMO 2019 '12-16 months' (preset literal_12_16 = [12, 16])",
    )
    cumulative_threshold_mbq: int = _param(
        22200,
        "cumulative activity (MBq, >=) at which persistent disease meets the criterion",
        f"{_S1}: 600 mCi / 22.2 GBq; Schlumberger 2014",
    )
    include_pdtc: bool = _param(
        False, "evaluate poorly differentiated carcinoma as DTC", f"{_S1} exclusion criteria"
    )
    staging_edition: int = _param(
        8, "AJCC edition used for the stage (8, or 7 for older records)", _AJCC
    )
    age_cutoff_years: int | None = _param(
        None, "AJCC age cut-off in years; unset = 55 under edition 8, 45 under edition 7", _AJCC
    )
    response_window_months: int = _param(
        12, "months before as_of whose imaging, Tg and TgAb the response uses", _ATA
    )
    tg_suppressed_incomplete: float = _param(
        1.0, "unstimulated Tg (ng/mL, >=) giving biochemical incomplete response", _ATA
    )
    tg_stimulated_incomplete: float = _param(
        10.0, "stimulated Tg (ng/mL, >=) giving biochemical incomplete response", _ATA
    )
    tg_suppressed_excellent: float = _param(
        0.2, "unstimulated Tg (ng/mL, <) compatible with an excellent response", _ATA
    )
    tg_stimulated_excellent: float = _param(
        1.0, "stimulated Tg (ng/mL, <) compatible with an excellent response", _ATA
    )
    tgab_rise_fraction: float = _param(
        0.5, "relative rise between the last two TgAb values that counts as rising", _ATA
    )

    @model_validator(mode="after")
    def _coherent(self) -> RuleParameters:
        low, high = self.progression_window_months
        if not 0 <= low <= high:
            raise ValueError("progression_window_months must be [low, high] with 0 <= low <= high")
        if not 0 <= self.scan_day_min <= self.scan_day_max:
            raise ValueError("scan_day_min must be between 0 and scan_day_max")
        if self.staging_edition not in (7, 8):
            raise ValueError("staging_edition must be 7 or 8")
        return self

    @property
    def age_cutoff(self) -> int:
        """The AJCC age cut-off in force: the parameter, else the edition's own."""
        if self.age_cutoff_years is not None:
            return self.age_cutoff_years
        return 55 if self.staging_edition == 8 else 45

    def with_(self, **changes: Any) -> RuleParameters:
        return build_parameters({**self.model_dump(exclude_defaults=True), **changes})

    def as_dict(self) -> dict[str, Any]:
        """Every parameter with the value in force (the age cut-off resolved)."""
        data = self.model_dump()
        data["progression_window_months"] = list(self.progression_window_months)
        data["age_cutoff_years"] = self.age_cutoff
        return data


PRESETS: dict[str, dict[str, Any]] = {
    "study": {},
    "literal_12_16": {"progression_window_months": (12, 16)},
}


def build_parameters(values: Mapping[str, Any]) -> RuleParameters:
    """Parameters from a mapping (for example a parsed TOML file).

    An optional ``preset`` key names the base (default ``study``); every other key overrides
    it. Unknown keys and bad values raise :class:`ParameterError` naming the allowed keys.
    """
    values = dict(values)
    preset = values.pop("preset", "study")
    if preset not in PRESETS:
        raise _error("parameters.unknown_preset", preset=preset, allowed=", ".join(PRESETS))
    allowed = sorted(RuleParameters.model_fields)
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise _error(
            "parameters.unknown_keys", unknown=", ".join(unknown), allowed=", ".join(allowed)
        )
    merged = {**PRESETS[preset], **values}
    if isinstance(merged.get("progression_window_months"), list):
        merged["progression_window_months"] = tuple(merged["progression_window_months"])
    try:
        return RuleParameters(**merged)
    except ValidationError as error:
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'parameters'}: {e['msg']}"
            for e in error.errors()
        )
        raise _error("parameters.invalid", details=details) from None


def _error(code: str, **params: Any) -> ParameterError:
    """A parameter error in English that carries its code (said in the user's language by the
    command line; pydantic's own wording inside ``details`` stays English)."""
    return ParameterError(CORE_ERRORS[code].format(**params), code=code, params=params)


def preset(name: str) -> RuleParameters:
    return build_parameters({"preset": name})


DEFAULT_PARAMETERS = RuleParameters()

"""The committed rule catalogue is exactly what the code renders (run `make docs` to update)."""

from __future__ import annotations

from pathlib import Path

from rairtc.core.parameters import RuleParameters
from rairtc.core.rules.catalogue import CRITERION_MODULES, render_catalogue
from rairtc.core.rules.evidence import FLAG_TEXTS, TEMPLATES

DOCS = Path(__file__).parents[2] / "docs"


def test_catalogue_is_up_to_date() -> None:
    assert (DOCS / "rules-catalogue.md").read_text() == render_catalogue(), "run `make docs`"


def test_every_declared_parameter_flag_and_evidence_code_exists() -> None:
    for module in CRITERION_MODULES:
        assert set(module.PARAMETERS) <= set(RuleParameters.model_fields)
        assert set(module.FLAGS) <= set(FLAG_TEXTS)
        assert set(module.EVIDENCE) <= set(TEMPLATES)


def test_every_parameter_has_a_meaning_and_a_source() -> None:
    for name, info in RuleParameters.model_fields.items():
        assert info.description, name
        assert isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("source"), (
            name
        )

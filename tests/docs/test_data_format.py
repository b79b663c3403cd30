"""docs/data-format.md documents every alias, header, table name and normalisation the
readers apply, so the alias table has one source and the documentation cannot drift."""

from __future__ import annotations

from pathlib import Path

from rairtc.core.messages import NORMALISATIONS
from rairtc.io.aliases import (
    BOOLEAN_ALIASES,
    CODE_ALIASES,
    LAB_UNIT_ALIASES,
    TABLE_LABELS,
    column_labels,
)
from rairtc.io.layout import COLUMNS, TABLES

DOC = (Path(__file__).parents[2] / "docs" / "data-format.md").read_text(encoding="utf-8")


def test_every_code_alias_is_documented_with_its_code() -> None:
    for (enum, code), languages in CODE_ALIASES.items():
        row = f"| {enum.__name__} | `{code.value}` | {', '.join(languages['ru'])} | " + ", ".join(
            languages["kk"]
        )
        assert row in DOC, row


def test_every_yes_no_word_unit_and_table_name_is_documented() -> None:
    words = [w for langs in BOOLEAN_ALIASES.values() for ws in langs.values() for w in ws]
    names = [n for labels in TABLE_LABELS.values() for n in labels.values()]
    for text in [*words, *LAB_UNIT_ALIASES, *names]:
        assert text in DOC, text


def test_every_header_is_documented() -> None:
    for table in TABLES:
        for name, _, _ in COLUMNS[table]:
            labels = column_labels(table, name)
            row = f"| {table} | `{name}` | {', '.join(labels['ru'])} | {', '.join(labels['kk'])} |"
            assert row in DOC, row


def test_every_normalisation_code_is_documented() -> None:
    for code in NORMALISATIONS:
        assert f"`{code}`" in DOC, code

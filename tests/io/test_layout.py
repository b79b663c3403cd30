"""The table layouts are exactly those of data-model.md (read from its field tables)."""

from __future__ import annotations

import re
from pathlib import Path

from rairtc.core.codes import MOLECULAR_KEYS
from rairtc.io.layout import COLUMNS, TABLES, column_names
from tests.conftest import FIXTURES

LINKS = {"findings": ["imaging_id"], "mdt_recommendations": ["mdt_id"]}


def spec_fields() -> dict[str, list[str]]:
    """Field names per table from the markdown tables of data-model.md (headed '(table `x`')."""
    text = (FIXTURES / "spec" / "data-model.md").read_text()
    tables: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        heading = re.match(r"^#+ .*\(table `(\w+)`", line)
        if heading:
            current = heading.group(1)
            tables[current] = []
            continue
        if line.startswith("### finding"):
            current = "findings"
            tables[current] = []
            continue
        if line.startswith("## ") and "table" not in line:
            current = None
        field = re.match(r"^\| `(\w+)` \|", line)
        if current and field:
            tables[current].append(field.group(1))
    return tables


def test_every_table_of_the_data_model_exists() -> None:
    assert set(spec_fields()) | {"mdt_recommendations"} == set(TABLES)


def test_columns_are_the_fields_of_the_data_model() -> None:
    for table, fields in spec_fields().items():
        expected = set(fields) - {"findings", "recommendations"}
        if table == "patients":
            expected = (expected - {"molecular"}) | {f"molecular_{k}" for k in MOLECULAR_KEYS}
        else:
            expected |= {"patient_id", "id"} | set(LINKS.get(table, []))
        assert set(column_names(table)) == expected, table


def test_no_column_holds_a_list_or_an_object() -> None:
    for table in TABLES:
        assert all(
            kind in ("string", "date", "int", "float", "bool") for _, kind, _ in COLUMNS[table]
        )


def test_written_csv_headers_are_the_layout(tmp_path: Path) -> None:
    from rairtc.io.registry import write_registry
    from tests.builders import patient

    write_registry([patient()], tmp_path / "t")
    for table in TABLES:
        header = (tmp_path / "t" / f"{table}.csv").read_text().splitlines()[0]
        assert header.split(",") == column_names(table)


def test_data_model_copy_is_present() -> None:
    assert Path(FIXTURES / "spec" / "data-model.md").exists()

"""Load a registry's tables into a database for the bulk engine (PostgreSQL).

The tables keep the layout of ``data-model.md`` and its column types, so that the bulk engine
reads them as it reads Parquet. Used by the tests and by ``benchmarks/bulk.py``; a registry in
any other format is first written as Parquet (``rairtc convert REGISTRY DIR --parquet``).
"""

from __future__ import annotations

from pathlib import Path

import ibis

from rairtc.io.layout import TABLES


def load_parquet_folder(folder: Path, url: str) -> None:
    """Replace the registry tables of the database at ``url`` with those of ``folder``."""
    import pyarrow.parquet as pq

    from rairtc.io.parquet_tables import arrow_schema

    con = ibis.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        for table in TABLES:
            file = folder / f"{table}.parquet"
            data = pq.read_table(file) if file.exists() else arrow_schema(table).empty_table()
            # Ibis 12's overwrite=True emits a DROP without a table name under the installed
            # sqlglot; the drop is written here instead.
            con.raw_sql(f'DROP TABLE IF EXISTS "{table}"').close()
            con.create_table(table, data)
    finally:
        con.disconnect()

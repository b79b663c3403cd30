"""The pure domain of rairtc: records, codes, units, validation, clinical rules.

Nothing here imports Django, Ibis, pandas, DuckDB, Typer or touches files; a test enforces
it (``tests/contracts/test_layering.py``). Everything here is deterministic: rules take
``as_of`` and never read the clock.
"""

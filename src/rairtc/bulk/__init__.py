"""The bulk engine: every rule of ``rules.md`` as Ibis expressions over the registry tables.

The per-patient reference engine (:mod:`rairtc.core.rules`) is the specification; this package
computes the same fields for a whole registry in one query plan that DuckDB (default),
PostgreSQL or Spark executes, so that a million patients classify in seconds without a Python
object per patient. It is the only package that imports Ibis. Parameters come from the same
:class:`~rairtc.core.parameters.RuleParameters`; code lists and the stage tables are imported
from the core, never restated. Equivalence with the reference engine is tested on every field
(``tests/contracts/test_engine_equivalence.py``).
"""

from __future__ import annotations

from rairtc.bulk.api import AUTO_BULK_THRESHOLD, classify_frame, count_patients

__all__ = ["AUTO_BULK_THRESHOLD", "classify_frame", "count_patients"]

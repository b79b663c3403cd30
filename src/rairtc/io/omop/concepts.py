"""Standard OMOP concept ids used by the export, each with its source.

Only ids that are certain are listed. A mapping without a certain standard concept writes
``0`` ("No matching concept") and keeps the rairtc code in the source-value column, so that a
vocabulary team can map it with the OHDSI tools (Usagi) against their own vocabulary release.
"""

from __future__ import annotations

# OMOP "Gender" vocabulary (OHDSI Athena, vocabulary_id Gender).
GENDER = {"M": 8507, "F": 8532}
# OMOP "Type Concept" vocabulary: 32817 "EHR" — the record comes from a clinical registry
# kept in an electronic record.
EHR = 32817
NO_MATCHING_CONCEPT = 0

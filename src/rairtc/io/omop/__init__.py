"""OMOP CDM v5.4: a registry as the CSV tables a research network loads.

:mod:`.concepts` lists the few standard concept ids that are certain (and where they come
from); every other concept id is 0, with the rairtc code kept in the ``*_source_value``
column, as the CDM conventions ask for unmapped source data. :mod:`.tables` writes the tables
and reads back what it wrote.
"""

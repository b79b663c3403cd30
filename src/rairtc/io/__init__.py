"""Readers and writers for every interchange format of ``data-model.md``.

Every reader yields :class:`~rairtc.core.source.SourcePatient` objects (raw fields plus
locations) so that validation is the same whatever the format; every writer takes validated
:class:`~rairtc.core.records.Patient` records. Heavy libraries (pyarrow, openpyxl, duckdb) are
imported inside the functions that need them, so the command line starts fast.
"""

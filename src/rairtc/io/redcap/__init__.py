"""REDCap: the project's data dictionary and its flat ("raw") record exports.

A rairtc registry is one REDCap project: ``patient`` is the main (non-repeating) form, and
surgeries, I-131 courses, imaging studies, findings, labs and MDT decisions are repeating
instruments. :mod:`.fields` derives every REDCap field from the record model, so the
dictionary, the writer and the reader share one definition.
"""

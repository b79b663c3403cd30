"""FHIR R4: one Bundle (type ``collection``) per patient, read and written losslessly.

:mod:`.codes` holds every URL and code used, :mod:`.write` builds the resources,
:mod:`.read` maps them back (reporting whatever has no place in a record), :mod:`.files`
reads and writes a folder of Bundle JSON files or one NDJSON file and validates every Bundle
with ``fhir.resources`` (its R4B models, which match R4 for every resource used here).
"""

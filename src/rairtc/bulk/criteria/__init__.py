"""The five criteria of ``rules.md`` §3 over tables, one module each (mirroring
:mod:`rairtc.core.rules`). Each returns its occurrences as rows of :data:`OCCURRENCE`:
patient, criterion, date, confirmed and one boolean per flag."""

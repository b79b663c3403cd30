"""Pseudonymous patient ids for reports: the first 10 hex digits of SHA-256 over the input
checksum and the registry id. Stable for one input (a reader can follow a patient across
sections), different across inputs, and not reversible without the registry itself."""

from __future__ import annotations

import hashlib


def pseudonym(patient_id: str, input_sha256: str) -> str:
    digest = hashlib.sha256(f"{input_sha256}:{patient_id}".encode()).hexdigest()
    return "P-" + digest[:10]

"""Pseudonymous patient ids.

Two schemes, one prefix:

- :func:`keyed_pseudonym` — ``P-`` + the first 16 hex digits of HMAC-SHA256(key, registry id).
  The same key gives the same pseudonym in every output (report, workbook, web pages, exports),
  so outputs can be linked to one another but not back to the registry without the key, which
  stays with the registry manager. 64 bits keep collisions negligible at national scale
  (about 3 in a million for ten million patients).
- :func:`pseudonym` — the first 10 hex digits of SHA-256 over the input checksum and the
  registry id: stable for one input, different across inputs, no key to keep.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

KEY_BYTES = 32


def new_key() -> bytes:
    """A fresh random key for :func:`keyed_pseudonym`."""
    return secrets.token_bytes(KEY_BYTES)


def keyed_pseudonym(patient_id: str, key: bytes) -> str:
    digest = hmac.new(key, patient_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return "P-" + digest[:16]


def pseudonym(patient_id: str, input_sha256: str) -> str:
    digest = hashlib.sha256(f"{input_sha256}:{patient_id}".encode()).hexdigest()
    return "P-" + digest[:10]

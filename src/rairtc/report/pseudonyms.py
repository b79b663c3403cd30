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

import copy
import hashlib
import hmac
import secrets
from pathlib import Path
from typing import Any

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


def display_id(results: dict[str, Any], patient_id: str) -> str:
    """How a report shows a patient of ``results``: as given when the results were already
    pseudonymised (keyed pseudonyms) or deliberately identified, else by the input-checksum
    pseudonym."""
    mode = (results.get("identifiers") or {}).get("mode")
    if mode in ("pseudonymised", "identified"):
        return patient_id
    return pseudonym(patient_id, results["input_sha256"])


def identified(results: dict[str, Any]) -> bool:
    return (results.get("identifiers") or {}).get("mode") == "identified"


def pseudonymise(results: dict[str, Any], key: bytes) -> dict[str, Any]:
    """A copy of ``results`` whose patients appear by keyed pseudonym only (the refractory
    patients' listing and the sensitivity analysis's changed patients)."""
    out = copy.deepcopy(results)
    for patient in out.get("refractory_patients", []):
        patient["patient_id"] = keyed_pseudonym(patient["patient_id"], key)
    for entry in out.get("sensitivity", []):
        entry["changed"] = sorted(keyed_pseudonym(pid, key) for pid in entry["changed"])
    out["identifiers"] = {
        "mode": "pseudonymised",
        "scheme": "P- + the first 16 hex digits of HMAC-SHA256(key, registry id)",
    }
    return out


def mark_identified(results: dict[str, Any]) -> dict[str, Any]:
    """``results`` marked as holding registry ids, for internal MDT use."""
    return {**results, "identifiers": {"mode": "identified", "scheme": "registry ids"}}


def load_or_create_key(path: Path) -> bytes:
    """The key in ``path`` (hex), or a new one written there (readable by the owner only)."""
    if path.exists():
        text = path.read_text(encoding="ascii").strip()
        try:
            key = bytes.fromhex(text)
        except ValueError:
            raise ValueError(
                f"{path}: a pseudonym key file holds {2 * KEY_BYTES} hex digits; "
                "delete it to have a new key written"
            ) from None
        if len(key) != KEY_BYTES:
            raise ValueError(f"{path}: the key has {len(key)} bytes, {KEY_BYTES} expected")
        return key
    key = new_key()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(key.hex() + "\n", encoding="ascii")
    path.chmod(0o600)
    return key


def identify_outputs(
    results: dict[str, Any], *, key_file: Path | None, identified_outputs: bool
) -> dict[str, Any]:
    """The results every output of a run is written from: registry ids for internal MDT use
    when asked, else keyed pseudonyms, with the key written to ``key_file`` only when given
    (without it, a fresh key that is never stored: pseudonyms link the outputs of this run to
    one another and to nothing else)."""
    if identified_outputs:
        return mark_identified(results)
    key = load_or_create_key(key_file) if key_file is not None else new_key()
    return pseudonymise(results, key)

"""Keyed pseudonyms: the same key links outputs, another key or no key does not."""

from __future__ import annotations

from rairtc.report.pseudonyms import keyed_pseudonym, new_key


def test_the_same_key_gives_the_same_pseudonym_in_every_output() -> None:
    key = new_key()
    assert keyed_pseudonym("case-G", key) == keyed_pseudonym("case-G", key)


def test_another_key_gives_another_pseudonym() -> None:
    assert keyed_pseudonym("case-G", b"k" * 32) != keyed_pseudonym("case-G", b"j" * 32)


def test_a_pseudonym_is_hmac_sha256_cut_to_16_hex_digits() -> None:
    # HMAC-SHA256(key="key", "case-G") computed with the standard library's reference hmac.
    import hashlib
    import hmac

    expected = hmac.new(b"key", b"case-G", hashlib.sha256).hexdigest()[:16]
    assert keyed_pseudonym("case-G", b"key") == "P-" + expected
    assert "case-G" not in keyed_pseudonym("case-G", b"key")

"""Shared test set-up: Hypothesis profiles and paths to the fixture files.

Profiles: ``ci`` (the default under CI=true) keeps the suite inside its time budget, ``dev``
is the local default, ``thorough`` runs many more examples (HYPOTHESIS_PROFILE=thorough).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throw-away PostgreSQL cluster for the session (``tests/postgres_cluster.py``).

    Under CI a missing server is a failure, never a silent skip."""
    from tests import postgres_cluster

    if not postgres_cluster.available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL 15 is not installed; `make test` installs postgresql-15")
        pytest.skip("PostgreSQL 15 is not installed (make test installs it)")
    with postgres_cluster.cluster() as url:
        yield url


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests speak English unless a test chooses otherwise: the command line's language
    otherwise follows RAIRTC_LANG and the locale of the machine running the tests."""
    monkeypatch.setenv("RAIRTC_LANG", "en")

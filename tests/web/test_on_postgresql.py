"""The model, converter, form, import and view tests again, on PostgreSQL.

CI runs pytest once; Django binds one database per process, so the PostgreSQL pass is a child
pytest over the same test modules with ``RAIRTC_WEB_TEST_DATABASE_URL`` pointing at the
session's throw-away cluster (``postgres_url``). Its failures are printed here in full.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
MODULES = (
    "test_convert.py",
    "test_store.py",
    "test_roles.py",
    "test_forms.py",
    "test_import.py",
    "test_api.py",
    "test_api_cycle.py",
    "test_accounts.py",
    "test_cycle.py",
    "test_warnings.py",
    "test_dashboard.py",
    "test_study_page.py",
    "test_signin.py",
    "test_reading.py",
    "test_listing.py",
    "test_patient_page.py",
)


@pytest.mark.skipif(
    "RAIRTC_WEB_TEST_DATABASE_URL" in os.environ, reason="this is the PostgreSQL pass itself"
)
def test_the_web_tests_pass_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    env = dict(
        os.environ,
        RAIRTC_WEB_TEST_DATABASE_URL=postgres_url,
        RAIRTC_DATABASE_URL=postgres_url,  # pytest-django may set Django up before conftest
        RAIRTC_DATA_DIR=str(tmp_path),
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            *(str(HERE / m) for m in MODULES),
        ],
        cwd=HERE.parents[1],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert " passed" in done.stdout

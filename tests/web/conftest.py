"""Set-up of the web tests: Django settings for this folder only, personas and clients.

The database is SQLite unless ``RAIRTC_WEB_TEST_DATABASE_URL`` names another one: that is how
``test_on_postgresql.py`` runs the same model and view tests against a throw-away PostgreSQL
cluster inside the one pytest run of CI (a child pytest over this folder). Data files (the
secret key, uploads) go to a temporary folder, never to the user's data directory.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from typing import Any

import pytest

os.environ.setdefault("RAIRTC_DATA_DIR", tempfile.mkdtemp(prefix="rairtc-web-test-"))
os.environ.setdefault("RAIRTC_SECRET_KEY", "only-for-tests")
os.environ["RAIRTC_DATABASE_URL"] = os.environ.get(
    "RAIRTC_WEB_TEST_DATABASE_URL", "sqlite:///" + os.environ["RAIRTC_DATA_DIR"] + "/web.sqlite3"
)
os.environ["DJANGO_SETTINGS_MODULE"] = "rairtc.web.settings"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402 - configured by the environment set just above

django.setup()

ROLES = ("clinician", "manager", "researcher")
PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """A cheap hasher: the tests sign in hundreds of times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with an empty cache: rolled-back patients reuse ids and revisions, so a
    verdict or case summary cached by an earlier test could otherwise be served."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def personas(db: None) -> dict[str, str]:
    """One account per role, named after its role."""
    from rairtc.web.accounts.roles import Role
    from rairtc.web.accounts.users import create_user

    for name in ROLES:
        create_user(name, PASSWORD, Role(name))
    return {name: PASSWORD for name in ROLES}


@pytest.fixture
def client_as(personas: dict[str, str]) -> Callable[[str | None], object]:
    """A test client signed in as a role (``None``: anonymous)."""
    from django.test import Client

    def make(role: str | None) -> Client:
        client = Client()
        if role is not None:
            from django.contrib.auth import get_user_model

            client.force_login(get_user_model().objects.get(username=role))
        return client

    return make


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's chromium, never a downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }

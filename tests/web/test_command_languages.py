"""The usage errors of ``rairtc serve``, ``createuser`` and ``token create`` keep their English
and are said in Russian and Kazakh through their message codes, with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from rairtc.core.errors import UsageError
from rairtc.i18n import error_text
from rairtc.web import server
from tests.web.test_commands import run


def test_serve_with_no_worker_is_refused_in_russian(tmp_path: Path) -> None:
    done = run(tmp_path, "--lang", "ru", "serve", "--workers", "0")
    assert done.returncode == 2
    assert "--workers должно быть не меньше 1 (получено 0)" in done.stderr


def test_the_demo_on_a_public_address_is_refused_in_kazakh(tmp_path: Path) -> None:
    done = run(tmp_path, "--lang", "kk", "serve", "--demo", "--host", "0.0.0.0")
    assert done.returncode == 2
    assert "0.0.0.0 мекенжайын қабылдамайды" in done.stderr


def test_an_unknown_role_keeps_its_english_and_is_said_in_kazakh() -> None:
    with pytest.raises(UsageError) as caught:
        server.createuser(None, "x", "admin", "pw")
    assert str(caught.value) == "unknown role 'admin'; allowed: clinician, manager, researcher"
    assert caught.value.code == "web.role_unknown"
    assert error_text(caught.value, "kk") == (
        "белгісіз рөл 'admin'; рұқсат етілгендері: clinician, manager, researcher"
    )


def test_an_empty_password_is_said_in_russian() -> None:
    with pytest.raises(UsageError) as caught:
        server.createuser(None, "x", "clinician", "")
    assert caught.value.code == "web.password_empty"
    assert error_text(caught.value, "ru").startswith("пароль пуст")


def test_a_token_for_an_unknown_account_is_said_in_russian(tmp_path: Path) -> None:
    done = run(
        tmp_path,
        "--lang",
        "ru",
        "token",
        "create",
        "nobody",
        "--database",
        f"sqlite:///{tmp_path / 'r.sqlite3'}",
    )
    assert done.returncode == 2
    assert "нет учётной записи 'nobody' с ролью" in done.stderr

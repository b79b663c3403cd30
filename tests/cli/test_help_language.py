"""--help in Russian and Kazakh: every help text of every command is translated."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from rairtc.cli.app import app
from rairtc.cli.help_language import help_texts, language_of
from rairtc.i18n import HELP
from rairtc.i18n.catalogs import read_translations


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_help_text_of_every_command_has_a_translation(lang: str) -> None:
    # Iterates the live command tree: a command or option added later fails here until its
    # help is translated (python -m rairtc.cli.help_language adds it to the catalogs).
    translations = read_translations(lang)
    texts = help_texts(typer.main.get_command(app))
    assert len(texts) > 60
    missing = [t for t in texts if not translations.get((HELP, t))]
    assert missing == []


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        (["stage", "--help", "--lang", "kk"], {}, "kk"),
        (["--lang=ru", "--help"], {"RAIRTC_LANG": "kk"}, "ru"),
        (["--help"], {"RAIRTC_LANG": "kk"}, "kk"),
        (["--lang", "de", "--help"], {"RAIRTC_LANG": "ru"}, "ru"),  # Typer refuses de later
    ],
)
def test_the_help_language_is_read_from_the_arguments_then_the_environment(
    argv: list[str], environ: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("RAIRTC_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(key, raising=False)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    assert language_of(argv) == expected


def run(*args: str) -> str:
    code = (
        "import sys\nfrom rairtc.cli.app import main\n"
        f"sys.argv = ['rairtc', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
    )
    env = {"RAIRTC_LANG": "en", "COLUMNS": "100", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    return out.stdout


def test_the_console_script_prints_russian_help() -> None:
    text = run("stage", "--help", "--lang", "ru")
    assert "Показать стадию AJCC по возрасту и T, N, M." in text
    assert "Параметры" in text and "[обязательно]" in text


def test_the_console_script_prints_kazakh_help_for_the_root() -> None:
    text = run("--lang", "kk", "--help")
    assert "Командалар" in text and "радиойодқа төзімді" in text


def test_english_help_is_unchanged() -> None:
    text = run("stage", "--help")
    assert "Print the AJCC stage for an age and T, N, M." in text and "Options" in text

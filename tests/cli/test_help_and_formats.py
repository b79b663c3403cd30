"""Help texts and --format values: flags show no type, unknown formats are usage errors."""

from __future__ import annotations

import pytest

from tests.cli.runner import invoke


def test_the_version_flag_shows_no_type_in_help() -> None:
    outcome = invoke("--help")
    version_line = next(line for line in outcome.stdout.splitlines() if "--version" in line)
    assert "<bool>" not in version_line
    debug_line = next(line for line in outcome.stdout.splitlines() if "--debug" in line)
    assert "<bool>" not in debug_line


@pytest.mark.parametrize(
    "command", ["classify", "study", "sample", "validate", "convert", "synth", "explain"]
)
def test_flags_of_the_commands_show_no_type(command: str) -> None:
    lines = invoke(command, "--help").stdout.splitlines()
    for flag in ("--lenient", "--demo", "--skip-invalid", "--parquet"):
        for line in lines:
            if flag in line:
                assert "<bool>" not in line, line


@pytest.mark.parametrize(
    "args",
    [
        ["replicate", "--format", "xml"],
        [
            "sample-size",
            "--population",
            "445",
            "--expected",
            "50",
            "--margin",
            "5",
            "--format",
            "csv",
        ],
        ["validate", "registry.json", "--format", "yaml"],
    ],
)
def test_an_unknown_format_is_refused_with_exit_2(args: list[str]) -> None:
    outcome = invoke(*args)
    assert outcome.code == 2
    assert "xml" in outcome.stderr or "csv" in outcome.stderr or "yaml" in outcome.stderr


@pytest.mark.parametrize(
    "command",
    [
        "validate",
        "convert",
        "classify",
        "stage",
        "sample-size",
        "sample",
        "study",
        "synth",
        "demo",
        "replicate",
        "explain",
    ],
)
def test_every_command_has_a_lang_option(command: str) -> None:
    assert "--lang" in invoke(command, "--help").stdout


def test_an_unknown_language_is_a_usage_error() -> None:
    outcome = invoke("stage", "--age", "50", "--t", "T1a", "--n", "N0", "--m", "M0", "--lang", "de")
    assert outcome.code == 2 and "en, ru, kk" in outcome.stderr

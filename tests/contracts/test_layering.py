"""The architecture holds: the core is pure, and each adapter library stays in its package."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).parents[2] / "src" / "rairtc"

ADAPTERS = {
    "django",
    "ibis",
    "typer",
    "click",
    "pandas",
    "duckdb",
    "polars",
    "weasyprint",
    "pyarrow",
    "openpyxl",
    "scipy",
    "statsmodels",
    "lifelines",
    "tableone",
    "matplotlib",
    "numpy",
    "rich",
}
HOMES = {"typer": "cli", "click": "cli", "django": "web", "ibis": "bulk"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_core_imports_no_adapter_and_no_other_rairtc_package() -> None:
    for path in (SRC / "core").rglob("*.py"):
        names = imports(path)
        assert not names & ADAPTERS, f"{path} imports {names & ADAPTERS}"
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("rairtc.")
            ):
                assert node.module.startswith("rairtc.core"), f"{path} imports {node.module}"


def test_core_does_no_file_io() -> None:
    for path in (SRC / "core").rglob("*.py"):
        text = path.read_text()
        for call in ("open(", ".read_text(", ".write_text(", ".read_bytes(", "pathlib"):
            assert call not in text, f"{path} uses {call}"


def test_each_adapter_library_stays_in_its_package() -> None:
    for path in SRC.rglob("*.py"):
        package = path.relative_to(SRC).parts[0]
        for library in imports(path) & set(HOMES):
            assert package == HOMES[library], f"{path} imports {library}"


def test_nothing_outside_cli_imports_the_cli() -> None:
    for path in SRC.rglob("*.py"):
        if path.relative_to(SRC).parts[0] == "cli":
            continue
        tree = ast.parse(path.read_text())
        modules = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
        modules += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not any(m.startswith("rairtc.cli") for m in modules), path


def test_nothing_reads_the_shared_folder() -> None:
    root = Path(__file__).parents[2]
    for path in [*root.joinpath("src").rglob("*.py"), *root.joinpath("tests").rglob("*.py")]:
        if path == Path(__file__):
            continue
        assert "../shared" not in path.read_text() and "shared/examples" not in path.read_text(), (
            path
        )


def test_help_loads_no_heavy_library() -> None:
    heavy = [
        "pandas",
        "duckdb",
        "ibis",
        "django",
        "weasyprint",
        "scipy",
        "statsmodels",
        "matplotlib",
        "pyarrow",
        "openpyxl",
        "numpy",
        "pydantic",  # not heavy by itself, but building the models costs 0.2 s
        "babel",
        "jinja2",
    ]
    code = (
        "import sys\n"
        "from rairtc.cli.app import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"

"""Example records shipped with the package: a handful of realistic patients written for
rairtc (not real people), one for each criterion and for the commonest non-refractory paths."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def example_registry_path() -> Path:
    """The bundled registry as a JSON file (every sub-record has an id)."""
    return Path(str(files("rairtc.examples").joinpath("registry.json")))

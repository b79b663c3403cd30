"""rairtc: radioiodine-refractory differentiated thyroid cancer, found early and explained.

The package is layered: :mod:`rairtc.core` holds the pure domain (records, units, clinical
rules, message codes); adapters (:mod:`rairtc.io`, :mod:`rairtc.cli`, ...) depend on it and
never the other way round.

For notebooks (``docs/python-api.md``)::

    import rairtc
    result = rairtc.classify("registry.xlsx", as_of="2024-12-31")
    result.to_pandas()

The names below are imported on first use, so ``import rairtc`` and ``rairtc --help`` stay
fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    __version__: str

    from rairtc.api import (
        Classifications,
        Registry,
        Status,
        classify,
        preset,
        read_registry,
        validate,
    )
    from rairtc.core.errors import RairtcError as Error
    from rairtc.core.parameters import RuleParameters
    from rairtc.core.rules.classify import Classification
    from rairtc.core.rules.terms import Criterion

# public name -> (module, attribute)
_LAZY = {
    "read_registry": ("rairtc.api", "read_registry"),
    "validate": ("rairtc.api", "validate"),
    "classify": ("rairtc.api", "classify"),
    "preset": ("rairtc.api", "preset"),
    "Registry": ("rairtc.api", "Registry"),
    "Classifications": ("rairtc.api", "Classifications"),
    "Status": ("rairtc.api", "Status"),
    "Classification": ("rairtc.core.rules.classify", "Classification"),
    "Criterion": ("rairtc.core.rules.terms", "Criterion"),
    "RuleParameters": ("rairtc.core.parameters", "RuleParameters"),
    "Error": ("rairtc.core.errors", "RairtcError"),
}

__all__ = [
    "__version__",
    "read_registry",
    "validate",
    "classify",
    "preset",
    "Registry",
    "Classifications",
    "Status",
    "Classification",
    "Criterion",
    "RuleParameters",
    "Error",
]


def _version() -> str:
    """The installed version (``importlib.metadata`` costs a few hundredths of a second to
    import, so it is read on first use, not at every command's start)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rairtc")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        globals()[name] = value = _version()
        return value
    if name not in _LAZY:
        raise AttributeError(f"module 'rairtc' has no attribute '{name}'")
    module, attribute = _LAZY[name]
    value = getattr(import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

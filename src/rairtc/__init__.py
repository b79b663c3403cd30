"""rairtc: radioiodine-refractory differentiated thyroid cancer, found early and explained.

The package is layered: :mod:`rairtc.core` holds the pure domain (records, units, clinical
rules, message codes); adapters (:mod:`rairtc.io`, :mod:`rairtc.cli`, ...) depend on it and
never the other way round.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rairtc")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]

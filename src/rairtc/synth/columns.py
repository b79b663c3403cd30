"""Column arrays of the synthetic registry and the random helpers that fill them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

D = "timedelta64[D]"


@dataclass
class Rows:
    """Column arrays of one table, appended block by block."""

    columns: dict[str, list[np.ndarray]] = field(default_factory=dict)

    def add(self, **values: Any) -> None:
        size = max(len(v) for v in values.values() if isinstance(v, np.ndarray))
        for name, value in values.items():
            array = value if isinstance(value, np.ndarray) else np.full(size, value, dtype=object)
            self.columns.setdefault(name, []).append(array)

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: np.concatenate(parts) for name, parts in self.columns.items()}


def pick(
    rng: np.random.Generator, options: tuple[Any, ...], p: tuple[float, ...], size: int
) -> np.ndarray:
    return np.asarray(options, dtype=object)[
        rng.choice(len(options), size=size, p=np.asarray(p) / sum(p))
    ]


def days(rng: np.random.Generator, low: int, high: int, size: int) -> np.ndarray:
    return rng.integers(low, high + 1, size).astype(D)


def maybe(mask: np.ndarray, values: np.ndarray) -> np.ndarray:
    out = np.asarray(values, dtype=object).copy()
    out[~mask] = None
    return out

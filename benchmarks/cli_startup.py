"""Start-up time of `rairtc --help` (target: under 0.5 s).

Baseline, measured in the same run: a bare `python -c pass`, the floor any Python command
pays. Prints the median of several runs of each and their ratio.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 7
TARGET_S = 0.5


def median_seconds(command: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    baseline = median_seconds([sys.executable, "-c", "pass"])
    rairtc = median_seconds([sys.executable, "-m", "rairtc.cli", "--help"])
    verdict = "meets" if rairtc < TARGET_S else "MISSES"
    print(
        f"cli_startup: rairtc --help {rairtc:.3f} s (median of {RUNS}); "
        f"baseline python -c pass {baseline:.3f} s; ratio {rairtc / baseline:.1f}x; "
        f"{verdict} the {TARGET_S} s target"
    )
    # Help in Russian reads the catalogs with Babel; `import rairtc` (the notebook API) must
    # stay as cheap as the bare package (its names are imported on first use).
    russian = median_seconds([sys.executable, "-m", "rairtc.cli", "--lang", "ru", "--help"])
    verdict = "meets" if russian < TARGET_S else "MISSES"
    print(
        f"cli_startup: rairtc --lang ru --help {russian:.3f} s; ratio to English help "
        f"{russian / rairtc:.2f}x; {verdict} the {TARGET_S} s target"
    )
    package = median_seconds([sys.executable, "-c", "import rairtc"])
    print(
        f"cli_startup: import rairtc {package:.3f} s; ratio to python -c pass "
        f"{package / baseline:.1f}x"
    )


if __name__ == "__main__":
    main()

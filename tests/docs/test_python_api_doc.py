"""docs/python-api.md is a notebook session that runs: every code block, in order."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).parents[2] / "docs" / "python-api.md"


def test_every_code_block_of_the_python_api_page_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 6
    namespace: dict[str, object] = {}
    for number, block in enumerate(blocks, start=1):
        exec(compile(block, f"python-api.md block {number}", "exec"), namespace)

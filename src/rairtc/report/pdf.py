"""The PDF report: the same HTML laid out by WeasyPrint on A4, with a running header, page
numbers, table rows that never split, and the DejaVu fonts embedded (Cyrillic and Kazakh)."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path


def write_pdf(html: str, path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore", DeprecationWarning
        )  # missing harfbuzz-subset: larger file only
        from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    HTML(string=html, base_url=None).write_pdf(path)

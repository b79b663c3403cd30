"""The template engine's autoescape of ``{{ value }}``, for the rows the hot pages write in
Python (list rows, timeline, board): the same text as the template, without Django's
``SafeString`` wrapping of every plain value."""

from __future__ import annotations

import html
from typing import Any

from django.utils.html import conditional_escape


def escaped(value: Any) -> str:
    """``conditional_escape``: plain strings and integers through ``html.escape`` as Django's
    ``escape`` does; safe and lazy values through Django itself."""
    if isinstance(value, (str, int)) and not hasattr(value, "__html__"):
        return html.escape(str(value))
    return str(conditional_escape(value))

"""A page against its reference template (``tests/web/reference``): the same bytes, CSRF
tokens aside (every rendering masks the session's token anew)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).parent / "reference"
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{64}')


def without_tokens(page: str) -> str:
    return TOKEN.sub(r"\1TOKEN", page)


def reference_page(response: Any, name: str, context: dict[str, Any]) -> str:
    """The reference template ``name`` rendered for the response's request."""
    from django.template import engines

    template = engines["django"].from_string((REFERENCE / name).read_text(encoding="utf-8"))
    return str(template.render(context, response.wsgi_request))

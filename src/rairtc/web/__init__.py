"""The web registry: a Django project over the core (the only package importing django).

Apps: ``registry`` (the data model's tables, converters to and from the core records, the
classification cache and summary, pages and forms), ``accounts`` (roles and languages) and
``audit`` (the append-only trail). The web app stores, shows and edits records; every rule is
the core's.
"""

from __future__ import annotations

import os

SETTINGS_MODULE = "rairtc.web.settings"


def setup(database_url: str | None = None) -> None:
    """Configure Django for this process (``database_url`` wins over ``DATABASE_URL``)."""
    if database_url is not None:
        os.environ["RAIRTC_DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django

    django.setup()

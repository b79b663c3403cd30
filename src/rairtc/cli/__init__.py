"""The ``rairtc`` command line: thin typed commands over library calls (the only package that
imports Typer). Heavy libraries are imported inside commands so that ``rairtc --help`` is
instant."""

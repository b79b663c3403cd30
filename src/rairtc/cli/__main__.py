"""``python -m rairtc.cli``: the same entry point as the ``rairtc`` script."""

from rairtc.cli.app import main

main()

# rairtc: two commands on a fresh machine (Python and apt only).
#   make demo   installs the locked dependencies (no root needed) and runs the demo
#   make test   installs them plus the Debian packages the tests use, then runs pytest once
SHELL := /bin/bash
UV := python3 -m uv
# Debian packages the test suite uses: libsqlite3-0 (the SQLite format, through Python's sqlite3);
# pango, harfbuzz-subset and DejaVu fonts (WeasyPrint PDF with Cyrillic and Kazakh letters);
# poppler-utils (pdftotext, pdffonts, pdftoppm check the PDF); chromium (Playwright browser tests
# of the web app, Debian's build, never a downloaded one); postgresql-15 (the throw-away cluster
# of the web and bulk-engine tests); openjdk-17-jre-headless (Spark local mode); gettext (Django
# message catalogs).
# Named even when the image already has them, so a fresh
# machine works too; installed only when missing (idempotent), and only as root.
APT_PACKAGES := libsqlite3-0 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils \
  chromium postgresql-15 openjdk-17-jre-headless gettext

.PHONY: demo test uv sync system-deps docs bench lint

uv:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv 2>/dev/null || python3 -m pip install --quiet --user uv

sync: uv
	@$(UV) sync --frozen --quiet

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing Debian packages (install them as root): $$missing" >&2; exit 1; \
	  fi; \
	fi

demo: sync
	@$(UV) run --frozen rairtc demo --out rairtc-report

test: system-deps sync
	@$(UV) run --frozen pytest

docs: sync
	@$(UV) run --frozen python -c "import sys; from rairtc.core.rules.catalogue import render_catalogue; sys.stdout.write(render_catalogue())" > docs/rules-catalogue.md

bench: sync
	@for script in benchmarks/*.py; do $(UV) run --frozen python $$script; done

lint: sync
	@$(UV) run --frozen ruff check src tests benchmarks
	@$(UV) run --frozen mypy src

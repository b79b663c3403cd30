"""Reports from ``results.json``: HTML, PDF, Excel and figures, in English, Russian and Kazakh.

Everything shown is rendered from ``results.json`` alone, so a report can be rebuilt and
checked without the registry. No asset is fetched: CSS and figures are inline, fonts are the
system's DejaVu (embedded in the PDF).
"""

LANGUAGES = ("en", "ru", "kk")

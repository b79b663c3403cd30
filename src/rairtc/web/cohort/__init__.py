"""The cohort dashboard: counts from the summary table, charts drawn as SVG on the server."""

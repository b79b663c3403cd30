"""Study statistics (``rules.md`` §10): sample size, sampling, eligibility, Table 1, rates,
comparisons and time to refractoriness. May use numpy, scipy, pandas, statsmodels, lifelines
and firthmodels; depends on :mod:`rairtc.core`, never the other way round."""

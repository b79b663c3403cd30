"""The clinical rules of ``rules.md`` (rule set ``study-2023`` v1): the reference engine.

One module per rule, each a small pure function over one patient's ordered timeline, meant
to be read next to the specification. :func:`rairtc.core.rules.classify.classify` puts them
together.
"""

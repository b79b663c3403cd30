"""The words with which the demo and the replica describe where their synthetic data come from.

They are written into results.json in English (the file is the language-neutral record) and
reports translate them: each is a msgid of the report catalogs, collected from
:data:`PROVENANCE_TEXTS` by ``python -m rairtc.report.messages``. A generator the user names
themselves is shown as given.
"""

from __future__ import annotations

DEMO_GENERATOR = "rairtc.synth (the embedded demo registry)"
DEMO_TARGETS = (
    "rairtc.synth.targets: the seed study's Table 1 shares, refractory rate (22/229) and "
    "primary criteria; 445 eligible and 26 ineligible records"
)
REPLICA_GENERATOR = "rairtc.synth.replica (calibrated synthetic replica of the published cohort)"
REPLICA_TARGETS = (
    "the published study's Table 1, refractory count and primary criteria (n = 229; replication.md)"
)
REPLICA_PUBLISHED_CASES = (
    "patients G. and I., the two women above 600 mCi and two illustrative cases, written from "
    "the study text"
)

PROVENANCE_TEXTS = (
    DEMO_GENERATOR,
    DEMO_TARGETS,
    REPLICA_GENERATOR,
    REPLICA_TARGETS,
    REPLICA_PUBLISHED_CASES,
)

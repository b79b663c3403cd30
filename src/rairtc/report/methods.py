"""The methods section: every formula, test, interval, rule set and software version, in
sentences a reviewer can reproduce from. Each sentence is a translatable template whose
values come from ``results.json``."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from rairtc.report.i18n import Language
from rairtc.report.numbers import Numbers
from rairtc.study.comparisons import EXACT_TABLE_LIMIT, MONTE_CARLO_DRAWS, MONTE_CARLO_SEED


def methods(results: dict[str, Any], lang: Language, n: Numbers) -> list[Markup]:
    """Paragraphs of the methods section (plain text, numbers already formatted)."""

    def t(text: str, **values: Any) -> Markup:
        """A translated sentence; numbers keep their data-path spans (Markup.format)."""
        return Markup(escape(lang.gettext(text))).format(**values)

    params = results["parameters"]
    provenance = results.get("provenance") or {}
    if provenance.get("synthetic"):
        out = [
            t(
                "Data: synthetic. Every patient in this report was invented by {generator} "
                "(seed {seed}), calibrated to published figures; no record describes a real "
                "patient or a department's registry. The analysis was run as of {as_of} exactly "
                "as it would be on a registry.",
                generator=lang.gettext(str(provenance.get("generator") or "rairtc")),
                seed=provenance.get("seed"),
                as_of=lang.date(results["as_of"]),
            )
        ]
    else:
        out = [
            t(
                "Design: a retrospective study of a registry of patients treated with I-131, as "
                "of {as_of}; no record dated later was used.",
                as_of=lang.date(results["as_of"]),
            ),
        ]
    period = results.get("period")
    if period:
        out.append(
            t(
                "Index admission: the first I-131 course from {start} to {end}.",
                start=lang.date(period[0]),
                end=lang.date(period[1]),
            )
        )
    else:
        out.append(t("Index admission: the patient's first I-131 course."))
    out.append(
        t(
            "Eligibility, in this order: an index admission; recorded histology; "
            "differentiated carcinoma (papillary, follicular or oncocytic; medullary, poorly "
            "differentiated and anaplastic carcinoma excluded); recorded birth date; age 18 to 80 "
            "completed years at the index admission. {records} records, {eligible} eligible.",
            records=n("flow.records"),
            eligible=n("flow.eligible"),
        )
    )
    sampling = results.get("sampling") or {}
    if sampling.get("method") == "pcg64":
        if sampling.get("size_rule") == "epiinfo":
            survey = sampling["survey"]
            out.append(
                t(
                    "Sample size: Epi Info StatCalc population survey, n0 = z² p(100 − p)/d², "
                    "n = n0/(1 + n0/N), rounded half to even, with z from Epi Info's inversion of the "
                    "normal tail (Abramowitz & Stegun 26.2.19); N = {frame}, p = {p} %, d = {d} %, "
                    "confidence {c} %: n = {size}.",
                    frame=n("flow.eligible"),
                    p=lang.number(survey["expected"], 1),
                    d=lang.number(survey["margin"], 1),
                    c=lang.number(survey["confidence"], 2),
                    size=n("flow.sample_size"),
                )
            )
        out.append(
            t(
                "Sampling: eligible ids sorted by Unicode code point; u = numpy.random.Generator(PCG64({seed}))"
                ".random(N); the ids with the {size} smallest u drawn (ties by id){strata}.",
                seed=sampling["seed"],
                size=n("flow.sample_size"),
                strata=t(
                    ", proportionally within strata of {field} (largest remainder)",
                    field=sampling["strata"],
                )
                if sampling.get("strata")
                else Markup(""),
            )
        )
    elif sampling.get("method") == "file":
        out.append(
            t(
                "Sample: the {size} patients listed in the sample file given to the study.",
                size=n("flow.sample_size"),
            )
        )
    else:
        out.append(t("Every eligible patient was analysed."))
    out += [
        t(
            "Radioiodine refractoriness: rule set {rule_set} version {version}, five criteria applied to the "
            "dated records (I-131 / FDG mismatch within {fdg} days; absence or loss of uptake on post-therapy "
            "scans; a non-avid lesion on a post-therapy scan; structural progression within {low} to {high} "
            "months of a course despite uptake; persistent disease after a cumulative activity of at least "
            "{mbq} MBq). Absent uptake is confirmed only when the withdrawal TSH exceeded {tsh} mIU/L (or "
            "rhTSH was used) and the scan was taken {dmin} to {dmax} days after the course. A patient is "
            "refractory when at least one criterion is met and confirmed; the primary criterion is the "
            "first in the order above.",
            rule_set=results["rule_set"],
            version=results["rule_set_version"],
            fdg=params["fdg_mismatch_max_days"],
            low=params["progression_window_months"][0],
            high=params["progression_window_months"][1],
            mbq=lang.number(params["cumulative_threshold_mbq"]),
            tsh=lang.number(params["tsh_threshold_miu_l"]),
            dmin=params["scan_day_min"],
            dmax=params["scan_day_max"],
        ),
        t(
            "Stage: AJCC edition {edition} (age cut-off {age} years) at diagnosis; IVA, IVB and IVC are "
            "grouped as IV.",
            edition=params["staging_edition"],
            age=params["age_cutoff_years"],
        ),
        t(
            "Descriptive statistics: counts with percentages of the analysed patients; age as mean, "
            "standard deviation (n − 1), median and quartiles (linear interpolation, type 7), minimum "
            "and maximum. A value that cannot be derived is counted as missing."
        ),
        t(
            "Refractory rate: 95 % Wilson score and Clopper-Pearson exact intervals; when the analysed "
            "patients exceed 5 % of the frame, also the Wilson interval at the effective sample size "
            "n(N − 1)/(N − n) (finite population correction)."
        ),
        t(
            "Refractory rate among evaluable patients: the same count over the analysed patients "
            "whose status could be determined (patients with insufficient data left out), with "
            "95 % Wilson score and Clopper-Pearson exact intervals. The rate over all analysed "
            "patients is the seed study's definition and is reported first."
        ),
        t(
            "Comparisons of refractory and not refractory patients: for 2×2 tables, Fisher's exact test "
            "when an expected count is below 5, otherwise Pearson's chi-square without continuity "
            "correction; larger tables, chi-square without correction, or the Fisher-Freeman-Halton "
            "exact test when an expected count is below 5 (every table with the observed margins "
            "enumerated; for more than {limit} tables, a Monte Carlo estimate from {draws} draws "
            "with seed {seed}); continuous variables, Welch's t-test and the Mann-Whitney U test. "
            "Possibly refractory patients and those with insufficient data are not compared; "
            "missing values are left out.",
            limit=lang.number(EXACT_TABLE_LIMIT),
            draws=lang.number(MONTE_CARLO_DRAWS),
            seed=MONTE_CARLO_SEED,
        ),
        t(
            "Table 1 by group: overall, refractory and not refractory columns; p-values from the "
            "tests above for categorical variables and the Mann-Whitney U test for continuous "
            "ones. Metastases, recurrence and cumulative activity are part of a criterion's "
            "definition, so their association with refractoriness is partly by construction; "
            "cumulative activity is taken at the index course."
        ),
        t(
            "Odds ratios: univariable logistic regression with 95 % Wald intervals; Firth's penalised "
            "likelihood with profile-likelihood intervals when a cell is empty or the data separate. "
            "Reference levels: male, papillary, stage I, no metastases, no recurrence, first course; age "
            "per year; cumulative activity per 100 mCi."
        ),
        t(
            "Time to refractoriness: Kaplan-Meier on the time since the first I-131 course to the "
            "onset of refractoriness, censored at the latest record or death; months = days / "
            "30.4375; 95 % pointwise intervals with the log(−log) transform. Primary analysis: "
            "delayed entry, each patient entering the risk set at the index admission (left "
            "truncation), since the cohort is selected by that admission; {prevalent} patients "
            "already refractory at the index admission are reported as prevalent cases, not as "
            "events. Secondary analysis, as in the seed study: every patient at risk from the first "
            "course, onsets before the index admission counted as events.",
            prevalent=n("survival_delayed_entry.prevalent_at_entry")
            if "survival_delayed_entry" in results
            else "–",
        ),
        t(
            "Sensitivity analysis: every analysed patient classified again under each rule preset "
            "(the study's 0-16-month progression window; the seed's literal 12-16 months; the ATA "
            "2015 wording of 'never avid', thyroid-bed uptake ignored; unconfirmed criteria counted "
            "as met), with the refractory count, its rate and 95 % Wilson interval, and the "
            "patients whose status changes."
        ),
        t(
            "Rounding in this report: counts as integers; percentages and survival estimates to 1 "
            "decimal; odds ratios and test statistics to 2 decimals; p-values to 3 decimals (< 0.001 "
            "below that), half away from zero. results.json keeps every number at full precision."
        ),
        t(
            "Software: rairtc {rairtc}, Python {python}, NumPy {numpy}, SciPy {scipy}, statsmodels "
            "{statsmodels}, lifelines {lifelines}, firthmodels {firthmodels}. Input SHA-256: {sha}.",
            sha=results["input_sha256"],
            **results["software"],
        ),
    ]
    return out

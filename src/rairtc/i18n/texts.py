"""English templates of every user-facing text outside the validation catalogue, keyed by a
stable code (the validation messages keep their one English definition in
:data:`rairtc.core.messages.CATALOGUE`).

Codes are the contract: the command line, the ``explain`` text and the web app key on them,
and the Russian and Kazakh ``.po`` catalogs translate the English template of each code (the
code is the ``msgctxt``, the English template the ``msgid``). Templates use ``str.format``
fields; a field name never changes between languages.
"""

from __future__ import annotations

from rairtc.core.messages import CORE_ERRORS

TEXTS: dict[str, str] = {
    # One line per validation problem (cli.md: stderr, one problem a line).
    "problem.severity.error": "error",
    "problem.severity.warning": "warning",
    "problem.where": "patient {patient}, {record}",
    "problem.where_field": "patient {patient}, {record}, field {field}",
    # Command-line messages and summaries.
    "cli.invalid_input": "invalid input: {message}",
    "cli.internal_error": "internal error ({name}); rerun with --debug for details and report it",
    "cli.validate_summary": "{total} patient(s) read: {valid} valid, {errors} error(s), "
    "{warnings} warning(s)",
    "cli.registry_invalid": "{errors} error(s) in {name}; nothing was analysed (add "
    "--skip-invalid to leave the invalid patients out and analyse the rest)",
    "cli.rejected": "left out (--skip-invalid): patient {patient}, {record}, field {field}: {code}",
    "cli.skipped": "{count} invalid patient(s) left out (--skip-invalid); listed in {path}",
    "cli.nothing_valid": "no valid patient in {name}; nothing to analyse",
    "cli.convert_refused": "invalid input: {errors} error(s); nothing written (use --rejects FILE "
    "to write the valid records)",
    "cli.convert_summary": "{written} patient(s) written to {out} ({format}); {rejected} rejected",
    "cli.sample_summary": "{drawn} of {frame} eligible patients drawn (seed {seed}) into {out}",
    "cli.study_flow": "Records {records}, eligible {eligible}, analysed {analysed} (as of {as_of}).",
    "cli.study_rate": "Refractory: {n} of {total} = {percent} % (95 % CI Wilson {low}-{high} %)",
    "cli.study_status": "Status: {items}",
    "cli.study_primary": "Primary criterion: {items}",
    "cli.study_results": "Full results: {path}",
    "cli.classify_title": "Radioiodine refractoriness as of {date}",
    "cli.column.patient": "patient",
    "cli.column.status": "status",
    "cli.column.primary_criterion": "primary criterion",
    "cli.column.onset": "onset",
    "cli.column.stage": "stage",
    "cli.column.ata_risk": "ATA risk",
    "cli.column.response": "response",
    "cli.language_unknown": "'{value}' is not a language; allowed: {allowed}",
    "cli.registry_or_demo": "give a REGISTRY or --demo (one of the two)",
    "cli.age_out_of_range": "--age {age} is not allowed; allowed: {low} to {high} years",
    "cli.edition_unknown": "--edition {edition} is not allowed; allowed: 8, 7",
    "cli.code_not_allowed": "--{option} '{value}' is not allowed; allowed: {allowed}",
    "cli.ete_needs_edition_7": "--ete {ete} is used only by edition 7; under edition {edition} "
    "extrathyroidal extension is part of T (gross extension into strap muscles is T3b, beyond "
    "them T4a or T4b): give it through --t, or add --edition 7",
    "cli.period_invalid": "--period '{value}' must be START:END with START on or before END "
    "(YYYY-MM-DD)",
    "cli.size_invalid": "sample size '{value}' must be a whole number or 'epiinfo'",
    "cli.method_unknown": "--method '{value}' is not allowed; allowed: epiinfo, openepi",
    "cli.sample_or_size": "give either --sample FILE or --sample-size, not both",
    "cli.normalised": "normalised: {line}",
    "cli.explain_needs_json": "--explain fills evidence in JSON output; add --format json",
    "cli.parquet_needs_out": "--format parquet needs --out FILE.parquet",
    "cli.bulk_not_validated": "bulk engine: records are classified as stored, without validation; run rairtc validate on this registry first",
    "cli.database_url_backend": "a postgresql:// REGISTRY is read by --backend postgres, not {backend}",
    "cli.postgres_needs_url": "--backend postgres needs a postgresql:// URL as REGISTRY",
    "cli.rejects_folder_missing": "--rejects {rejects}: the folder {folder} does not exist",
    "cli.parquet_needs_bulk": "--format parquet is written by the bulk engine; add --engine bulk",
    "cli.study_bulk_tables": "--engine bulk reads a folder of Parquet or CSV tables or a .duckdb file; {name} is not one: use --engine reference or auto",
    "cli.study_bulk_as_stored": "--engine bulk reads the tables of {name} as stored, but the reader changed values on the way (normalised values, --lenient, --encoding or --delimiter): use --engine reference or auto, or convert the registry first (rairtc convert REGISTRY OUT --parquet)",
    "cli.study_bulk": "classifying the {count} analysed patients with the bulk engine (the registry was validated in full first)",
    "cli.bulk_needs_tables": "the bulk engine reads a folder of Parquet or CSV tables, a .duckdb file or a postgresql:// URL; convert the registry first (rairtc convert REGISTRY OUT --parquet)",
    "cli.synthetic_data": "SYNTHETIC DATA ({generator}, seed {seed}): generated patients, not a department's records.",
    "cli.convert_output_missing": "give the output path: rairtc convert REGISTRY OUT (or --demo OUT)",
    "cli.explain_id_missing": "give the patient's id: rairtc explain REGISTRY ID (or --demo ID)",
    "cli.export_output_missing": "give the output path: rairtc export REGISTRY OUT (or --demo OUT)",
    "cli.delimiter_invalid": "--delimiter '{delimiter}' is not one of ',', ';' or 'tab'",
    "cli.encoding_invalid": "--encoding '{encoding}' is not an encoding; use utf-8, cp1251 or utf-16",
    "cli.sample_file_column": "{name}: a sample file needs a column patient_id",
    "cli.cannot_open": "cannot open {path}: {reason}",
    "cli.cannot_open_parameters": "cannot open parameters file {path}: {reason}",
    "cli.parameters_not_toml": "{path} is not valid TOML: {reason}",
    "cli.patients_at_least_one": "--patients must be at least 1",
    "cli.synth_summary": "{patients} synthetic patients (seed {seed}) written to {out} ({format})",
    "cli.demo_report": "Report: {html}, {pdf}, {docx}, {xlsx}",
    "cli.replicate_title": "Published study and its replication from dated records (n = 229, "
    "as of 2024-12-31)",
    "cli.replicate_column.variable": "variable",
    "cli.replicate_column.level": "level",
    "cli.replicate_column.published": "published",
    "cli.replicate_column.computed": "computed",
    "cli.replicate_flag": "flag",
    "cli.replicate_refractory": "refractory",
    "cli.replicate_not_encountered": "not encountered",
    "cli.replicate_primary": "primary criterion",
    "cli.replicate_staging": "Stage: AJCC edition {edition} ({reason}). Under AJCC edition "
    "{other} the same records give {stages}.",
    "cli.replicate_flag_legend": "'{flag}': the published figure is not what its own count "
    "gives at the published precision.",
    "cli.replicate_files": "Replica: {replica}; results: {results}; report: {report}",
    "cli.patient_not_found": "patient '{patient}' is not in {registry}; check the id (ids are "
    "case-sensitive)",
    "cli.patient_invalid": "patient '{patient}' has {errors} error(s); correct them before "
    "explaining this patient",
    "cli.date_option_invalid": "'{value}' is not a date; use YYYY-MM-DD",
    "cli.template_language": "--lang '{lang}' is not one of {allowed}",
    "cli.template_not_xlsx": "the template is an Excel workbook; name it OUT.xlsx, not '{name}'",
    "cli.template_written": "template written to {out} ({lang})",
    # Research exports and REDCap dictionaries (rairtc export, rairtc redcap-dictionary).
    "cli.dictionary_not_csv": "a data dictionary is a .csv file; {name} is not one",
    "cli.aggregate_alone": "--aggregate writes counts: no ids to pseudonymise, no --to format",
    "cli.aggregate_not_csv": "--aggregate writes one .csv file; {name} is not one",
    "cli.min_cell_needs_aggregate": "--min-cell applies to aggregate outputs (--aggregate FIELDS)",
    "cli.export_needs_mode": "an export is for research: give --pseudonymise KEYFILE (records) "
    "or --aggregate FIELDS (counts); `rairtc convert` copies a registry as it is",
    "cli.key_inside_export": "the key file must stay apart from the export; choose a path "
    "outside OUT",
    # Errors of the readers (rairtc.io) that are not about one record: they carry these codes
    # (RairtcError.code) so that the command line says them in the user's language.
    "io.database_url": "database URLs are read by the bulk engine only (rairtc classify URL "
    "--engine bulk); to validate, convert or study, export the tables to a .duckdb file or a "
    "folder of CSV tables",
    "io.no_such_path": "cannot open {path}: no such file or folder",
    "io.permission_denied": "cannot open {path}: permission denied",
    "io.is_a_folder": "cannot open {path}: it is a folder",
    "io.no_tables": "{path} holds no registry tables (patients.csv or patients.parquet); "
    "accepted inputs: .json, .jsonl, .xlsx, .duckdb, .sqlite, or a folder of CSV or Parquet "
    "tables",
    "io.unknown_format": "unknown format '{name}'; accepted inputs: .json, .jsonl, .xlsx, "
    ".duckdb, .sqlite, or a folder of CSV or Parquet tables",
    "io.unknown_output_format": "unknown output format '{suffix}'; accepted: .json, .jsonl, "
    ".xlsx, .duckdb, .sqlite, or a folder of CSV or Parquet tables",
    "io.layout_unreadable": "the tables cannot be read as the registry layout",
    "io.registry_errors": "{errors} error(s) in {name}",
    # Outputs that cannot be written (rairtc.io.atomic); {what} is "the output" or an option.
    "io.output_is_folder": "{what} {path} is an existing folder; name a file",
    "io.output_is_file": "{what} {path} is an existing file; name a folder",
    "io.output_not_ours": "{what} {path} already holds files rairtc did not write; name a new "
    "or empty folder",
    "io.output_under_file": "{what} {path} is under {parent}, which is a file",
    # Pseudonym keys and aggregate counts of research exports.
    "io.key_exists": "{path} exists; a key file is never overwritten",
    "io.key_unreadable": "cannot read the key file {path}: {error}",
    "io.min_cell_invalid": "--min-cell {min_cell}: give a count of 1 or more",
    # The web registry's commands (rairtc serve, createuser, token create).
    "web.demo_not_loopback": "--demo serves known passwords and refuses {host}; use --host "
    "127.0.0.1 (loopback)",
    "web.workers_invalid": "--workers must be at least 1 (got {workers})",
    "web.role_unknown": "unknown role '{role}'; allowed: {allowed}",
    "web.password_empty": "the password is empty; give one at the prompt or on stdin",
    "web.account_unknown": "no account '{name}' with a role: create it first (createuser)",
    # Outputs of the exchange formats ({expected} is one of the phrases below).
    "io.exchange_output": "--to {to} writes {expected}; {name} is not one",
    # The bulk engine (rairtc.bulk): sources it cannot open and patients it cannot explain.
    "bulk.no_patients_table": "the database holds no table 'patients'; load it with rairtc convert",
    "bulk.backend_unknown": "unknown backend '{backend}'; allowed: {allowed}",
    "bulk.spark_needs_folder": "--backend spark reads a folder of Parquet or CSV tables",
    "bulk.source_unknown": "the bulk engine reads a folder of Parquet or CSV tables, a .duckdb "
    "file or a postgresql:// URL, not '{name}'; convert it with rairtc convert",
    "bulk.explain_not_found": "--explain: no patient with id {ids} in the registry",
    "bulk.explain_invalid": "the records of an explained patient are invalid",
    "bulk.out_of_memory": "the bulk engine ran out of memory (DuckDB may use {limit}); set "
    "RAIRTC_BULK_MEMORY_LIMIT to a larger size, such as 8GB, or RAIRTC_BULK_TEMP_DIRECTORY to a "
    "folder with more free space to spill to (now {folder})",
    # A study or draw that cannot be made as asked (rairtc.study: StudyError, SamplingError).
    "study.size_negative": "sample size {size} is negative",
    "study.size_above_frame": "sample size {size} is larger than the frame of {frame} eligible "
    "patients",
    "study.frame_repeats_id": "the frame lists an id more than once",
    "study.strata_not_field": "--strata {field}: not a patient field",
    "study.sample_not_eligible": "{count} sampled id(s) are not eligible patients of this "
    "registry: {ids}",
    "study.size_needs_seed": "a sample size needs --seed, so that the draw can be repeated",
    # Errors the pure core raises (a rule-parameter set): defined once beside the core.
    **CORE_ERRORS,
    # The word between the last two allowed values of a list ('F' or 'M').
    "list.or": "or",
    # The eligibility flow (results.json flow.excluded) beyond the report's own codes.
    "flow.excluded_invalid_record": "Invalid record (left out with --skip-invalid)",
    # Statuses and criteria.
    "status.refractory": "refractory",
    "status.possibly_refractory": "possibly refractory",
    "status.not_refractory": "not refractory",
    "status.insufficient_data": "insufficient data",
    "criterion.fdg_mismatch": "I-131 / FDG mismatch",
    "criterion.no_uptake": "absence or loss of I-131 uptake",
    "criterion.nonavid_lesion": "non-avid lesion",
    "criterion.progression_despite_uptake": "progression despite I-131 uptake",
    "criterion.cumulative_activity": "cumulative activity of 600 mCi or more",
    # Reasons and flags (rules.md §3-7).
    "reason.histology_not_differentiated": "the histology is not a differentiated carcinoma",
    "reason.first_course_without_post_therapy_study": "the first I-131 course has no "
    "post-therapy study",
    "reason.no_i131_course": "no I-131 course on record",
    "reason.no_post_therapy_study": "no post-therapy study 0-14 days after a course",
    "reason.m_unknown": "M is missing or MX",
    "reason.t_unknown": "T is missing or TX",
    "reason.n_unknown": "N is missing",
    "reason.t0_not_staged": "T0 with M0 is not staged in this age band",
    "reason.subcategory_needed": "T1, T3, T4 or N1 is recorded without the subcategory that "
    "decides the stage",
    "reason.ete_unknown": "extrathyroidal extension is unknown (edition 7)",
    "reason.histology_not_applicable": "not applicable to medullary or anaplastic carcinoma",
    "reason.no_recent_imaging": "no imaging in the response window",
    "reason.no_tg": "no thyroglobulin in the response window",
    "flag.tsh_inadequate": "TSH at the course was not above the withdrawal threshold",
    "flag.tsh_unknown": "TSH at the course is not recorded",
    "flag.scan_day_out_of_range": "the post-therapy scan was outside the confirmed days",
    "flag.heterogeneous_uptake": "the same study also shows iodine-avid disease",
    "flag.soft_criterion": "cumulative activity alone does not prove refractoriness",
    "flag.risk_unresolved": "a field that could raise the category is unknown",
    "flag.tgab_unknown": "thyroglobulin antibody status is unknown",
    # ATA categories.
    "risk.low": "low",
    "risk.intermediate": "intermediate",
    "risk.high": "high",
    "response.excellent": "excellent",
    "response.indeterminate": "indeterminate",
    "response.biochemical_incomplete": "biochemical incomplete",
    "response.structural_incomplete": "structural incomplete",
    # Record values shown in a timeline.
    "sex.F": "female",
    "sex.M": "male",
    "histology.papillary": "papillary carcinoma",
    "histology.follicular": "follicular carcinoma",
    "histology.oncocytic": "oncocytic carcinoma",
    "histology.poorly_differentiated": "poorly differentiated carcinoma",
    "histology.anaplastic": "anaplastic carcinoma",
    "histology.medullary": "medullary carcinoma",
    "procedure.total_thyroidectomy": "total thyroidectomy",
    "procedure.lobectomy": "lobectomy",
    "procedure.completion_thyroidectomy": "completion thyroidectomy",
    "procedure.central_neck_dissection": "central neck dissection",
    "procedure.lateral_neck_dissection": "lateral neck dissection",
    "procedure.recurrence_excision": "excision of a recurrence",
    "procedure.metastasectomy": "metastasectomy",
    "stimulation.withdrawal": "thyroid hormone withdrawal",
    "stimulation.rhtsh": "recombinant TSH",
    "lab.tg": "Tg",
    "lab.tgab": "TgAb",
    "lab.tsh": "TSH",
    "recommendation.surveillance_tsh_suppression": "surveillance on TSH suppression",
    "recommendation.repeat_rai": "repeat I-131 therapy",
    "recommendation.empiric_rai": "empiric I-131 therapy",
    "recommendation.fdg_pet_ct": "FDG PET/CT",
    "recommendation.cross_sectional_imaging": "cross-sectional imaging",
    "recommendation.neck_node_biopsy": "neck node biopsy",
    "recommendation.surgery_locoregional": "locoregional surgery",
    "recommendation.molecular_testing": "molecular testing",
    "recommendation.systemic_mki": "systemic multikinase inhibitor",
    "recommendation.systemic_targeted": "systemic targeted therapy",
    "recommendation.local_radiotherapy_or_ablation": "local radiotherapy or ablation",
    "recommendation.redifferentiation_therapy": "redifferentiation therapy",
    "recommendation.clinical_trial_referral": "referral to a clinical trial",
    "recommendation.bone_directed_supportive": "bone-directed supportive therapy",
    "recommendation.reassess_rair_label": "reassess the refractory label",
    # The explanation of one patient (rairtc explain).
    "explain.title": "Patient {patient} as of {date}",
    "explain.patient_line": "{sex}, born {birth_year}; {histology} diagnosed {diagnosis_date}; "
    "{tnm}",
    "explain.timeline": "Timeline",
    "explain.no_records": "no dated record up to this date",
    "explain.surgery": "Surgery: {procedure}",
    "explain.course": "I-131 course {number}: {mci} mCi ({gbq} GBq); cumulative {cumulative_mci} "
    "mCi ({cumulative_gbq} GBq)",
    "explain.course_stimulation": "stimulation: {stimulation}",
    "explain.course_tsh": "TSH {value} mIU/L",
    "explain.study": "{study}",
    "explain.study_of_course": "{study} (after course {course})",
    "explain.study_not_linked": "{study} (no I-131 course 0-{days} days before: not used by "
    "the criteria)",
    "explain.progression": "structural progression reported",
    "explain.no_findings": "no findings recorded",
    "explain.uptake.true": "concentrates I-131",
    "explain.uptake.false": "does not concentrate I-131",
    "explain.fdg.true": "FDG-avid",
    "explain.fdg.false": "not FDG-avid",
    "explain.new": "new",
    "explain.size": "{size} mm",
    "explain.lab": "{test} {value} {unit}",
    "explain.lab_below": "{test} below {value} {unit}",
    "explain.lab_stimulated": "stimulated",
    "explain.mdt": "MDT: {recommendations}",
    "explain.verdict": "Verdict",
    "explain.status": "Status: {status}",
    "explain.onset": "Refractory since {date}; primary criterion: {criterion}",
    "explain.criteria_met": "Criteria met",
    "explain.criterion_line": "{criterion}: {date}, {confirmation}",
    "explain.confirmed": "confirmed",
    "explain.unconfirmed": "unconfirmed",
    "explain.none_met": "no criterion met",
    "explain.not_evaluable": "Criteria not evaluable",
    "explain.not_evaluable_line": "{criterion}: {reason}",
    "explain.staging": "Stage, risk and response",
    "explain.stage": "Stage (AJCC {edition}): {stage}",
    "explain.no_stage": "Stage (AJCC {edition}): not determined; {reason}",
    "explain.risk": "ATA risk of recurrence: {risk}",
    "explain.no_risk": "ATA risk of recurrence: not determined; {reason}",
    "explain.response": "Response to therapy (ATA): {response}",
    "explain.no_response": "Response to therapy (ATA): not assessed; {reason}",
    "explain.activity": "Cumulative I-131 activity: {mci} mCi ({gbq} GBq); follow-up {months} "
    "month(s) after the first course",
    "explain.activity_no_follow_up": "Cumulative I-131 activity: {mci} mCi ({gbq} GBq)",
    "explain.warnings": "Warnings",
    "explain.footer": "Classified by rairtc {version}, rule set {rule_set}; records dated after "
    "{date} are not used.",
}

# English phrases that validation messages pass as parameters (what a field expects, where an
# id must be unique); they are translated like the templates, with the context "phrase".
PHRASES: tuple[str, ...] = (
    "true or false",
    "a whole number",
    "a number",
    "a finite number",
    "text",
    "a list",
    "an object",
    "in the registry",
    "within this patient",
    "the file is empty",
    "yes or no (true/false, да/нет, иә/жоқ)",
    "the output",
    "one flat CSV file (e.g. records.csv)",
    "a folder of Bundle JSON files, or an .ndjson file",
    "a folder of CSV tables",
)

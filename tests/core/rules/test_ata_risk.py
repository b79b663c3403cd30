"""ATA 2015 initial risk of recurrence (rules.md §6)."""

from __future__ import annotations

from tests.builders import course, finding, patient, run, study

KNOWN = {
    "extrathyroidal_extension": "none",
    "margins": "R0",
    "variant": "classic",
    "vascular_invasion_foci": 0,
}


def risk(**fields):
    result = run(patient(**{**KNOWN, **fields}))
    return result.risk.category, list(result.risk.flags)


def test_intrathyroidal_papillary_with_every_field_known_is_low() -> None:
    assert risk() == ("low", [])


def test_gross_extension_is_high() -> None:
    assert risk(extrathyroidal_extension="gross") == ("high", [])
    assert risk(t="T4a", extrathyroidal_extension=None) == ("high", [])


def test_r2_margins_distant_metastases_and_a_3_cm_node_are_high() -> None:
    assert risk(margins="R2")[0] == "high"
    assert risk(m="M1")[0] == "high"
    assert risk(n="N1b", lymph_nodes_positive=2, largest_node_mm=30)[0] == "high"


def test_follicular_with_more_than_4_foci_is_high_and_exactly_4_intermediate() -> None:
    assert (
        risk(histology="follicular", variant="widely_invasive", vascular_invasion_foci=5)[0]
        == "high"
    )
    assert risk(histology="follicular", variant="widely_invasive", vascular_invasion_foci=4) == (
        "intermediate",
        [],
    )
    assert risk(histology="follicular", variant="minimally_invasive", vascular_invasion_foci=3) == (
        "low",
        [],
    )


def test_oncocytic_counts_as_follicular() -> None:
    assert risk(histology="oncocytic", variant="other", vascular_invasion_foci=6)[0] == "high"


def test_intermediate_items() -> None:
    assert risk(extrathyroidal_extension="microscopic") == ("intermediate", [])
    assert risk(variant="tall_cell") == ("intermediate", [])
    assert risk(vascular_invasion_foci=1) == ("intermediate", [])
    assert risk(n="N1a", lymph_nodes_positive=6, largest_node_mm=1) == ("intermediate", [])
    assert risk(n="N1a", lymph_nodes_positive=3, largest_node_mm=12) == ("intermediate", [])


def test_up_to_5_micrometastatic_nodes_stay_low() -> None:
    assert risk(n="N1a", lymph_nodes_positive=5, largest_node_mm=1.9) == ("low", [])


def test_avid_neck_disease_on_the_first_post_therapy_scan_is_intermediate() -> None:
    p = patient(
        **KNOWN,
        rai_courses=[course("2022-03-01")],
        imaging=[study("2022-03-04", "post_therapy_wbs", finding(rai_uptake=True))],
    )
    assert run(p).risk.category == "intermediate"


def test_avid_remnant_is_not_neck_disease() -> None:
    p = patient(
        **KNOWN,
        rai_courses=[course("2022-03-01")],
        imaging=[
            study(
                "2022-03-04", "post_therapy_wbs", finding("thyroid_bed", "remnant", rai_uptake=True)
            )
        ],
    )
    assert run(p).risk.category == "low"


def test_unknown_fields_give_intermediate_with_risk_unresolved() -> None:
    assert risk(margins=None) == ("intermediate", ["risk_unresolved"])
    assert risk(n="NX") == ("intermediate", ["risk_unresolved"])
    assert risk(n="N1a", lymph_nodes_positive=None, largest_node_mm=1) == (
        "intermediate",
        ["risk_unresolved"],
    )


def test_intermediate_item_with_unknown_high_item_is_flagged() -> None:
    assert risk(variant="hobnail", margins=None) == ("intermediate", ["risk_unresolved"])


def test_intermediate_item_with_only_unknown_intermediate_items_is_not_flagged() -> None:
    assert risk(variant="hobnail", vascular_invasion_foci=None) == ("intermediate", [])


def test_high_risk_is_never_unresolved() -> None:
    assert risk(m="M1", margins=None, variant=None) == ("high", [])


def test_anaplastic_and_medullary_get_no_risk() -> None:
    result = run(patient(histology="anaplastic"))
    assert (result.risk.category, result.risk.reason) == (None, "histology_not_applicable")


# --- categories recorded without their subcategory, and fields that only some histologies need


def test_t4_without_subcategory_is_gross_extension_and_high() -> None:
    # T4a and T4b both mean gross extension beyond the thyroid, so the subcategory is not needed.
    assert risk(t="T4", extrathyroidal_extension=None) == ("high", [])


def test_t3_without_subcategory_and_unknown_extension_leaves_gross_extension_open() -> None:
    # T3 may be T3b (gross extension into strap muscles): the question stays open.
    assert risk(t="T3", extrathyroidal_extension=None) == ("intermediate", ["risk_unresolved"])
    assert risk(t="T3", extrathyroidal_extension="none") == ("low", [])


def test_n1_without_subcategory_is_nodal_disease() -> None:
    assert risk(n="N1", lymph_nodes_positive=3, largest_node_mm=12) == ("intermediate", [])
    assert risk(n="N1", lymph_nodes_positive=2, largest_node_mm=1.5) == ("low", [])
    assert risk(n="N1", lymph_nodes_positive=2, largest_node_mm=31)[0] == "high"
    assert risk(n="N1", lymph_nodes_positive=None, largest_node_mm=None) == (
        "intermediate",
        ["risk_unresolved"],
    )


def test_vascular_invasion_is_needed_for_papillary_and_follicular_only() -> None:
    # Poorly differentiated carcinoma (evaluated with include_pdtc) has no vascular-invasion
    # item in ATA 2015 Table 11: an unknown count leaves nothing open.
    unknown = {"vascular_invasion_foci": None, "variant": "other"}
    assert risk(histology="poorly_differentiated", **unknown) == ("low", [])
    assert risk(histology="papillary", **unknown) == ("intermediate", ["risk_unresolved"])
    assert risk(histology="follicular", **unknown) == ("intermediate", ["risk_unresolved"])
    assert risk(histology="oncocytic", **unknown) == ("intermediate", ["risk_unresolved"])

"""The registry clicked through in Chromium: a clinician records the day-4 scan and watches
the verdict change; a researcher sees the same patient with no identifier."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

PASSWORD = "browser-test-password"
IDENTIFIERS = (
    "BR-1",
    "Seitkali Dana Askarkyzy",
    "850726450784",
    "MRN-777001",
    "1985-07-26",
    "26.07.1985",
)


@pytest.fixture
def accounts(transactional_db: None) -> None:
    from rairtc.web.accounts.roles import Role
    from rairtc.web.accounts.users import create_user

    for role in Role:
        create_user(role.value, PASSWORD, role)


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    expect(page).to_have_url(re.compile(r"/patients/$"))


def save(page: Page) -> None:
    page.click("form.record button[type=submit]")


def test_a_clinician_records_the_day_4_scan_and_a_researcher_sees_no_identifier(
    page: Page, live_server: Any, accounts: None
) -> None:
    base = live_server.url
    log_in(page, base, "clinician")

    page.goto(f"{base}/patients/new/")
    page.fill("#id_id", "BR-1")
    page.fill("#id_full_name", "Seitkali Dana Askarkyzy")
    page.fill("#id_national_id", "850726450784")
    page.fill("#id_mrn", "MRN-777001")
    page.select_option("#id_sex", "F")
    page.fill("#id_birth_date", "1985-07-26")
    page.fill("#id_diagnosis_date", "2024-09-02")
    page.select_option("#id_histology", "papillary")
    page.select_option("#id_t", "T2")
    page.select_option("#id_n", "N1b")
    page.select_option("#id_m", "M0")
    save(page)
    expect(page).to_have_url(re.compile(r"/patients/BR-1/$"))

    page.click("text=+ I-131 course")
    page.fill("#id_date", "2024-11-30")
    page.fill("#id_activity_mci", "100")
    page.select_option("#id_stimulation", "withdrawal")
    page.fill("#id_tsh_miu_l", "64")
    save(page)
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "insufficient_data")

    page.click("text=+ Imaging study")
    page.fill("#id_date", "2024-12-04")
    page.select_option("#id_modality", "post_therapy_spect_ct")
    save(page)
    page.click("tr.imaging >> text=+ finding")
    page.select_option("#id_site", "cervical_lymph_node")
    page.select_option("#id_nodal_level", "III")
    page.select_option("#id_side", "left")
    page.select_option("#id_kind", "regional_metastasis")
    page.select_option("#id_rai_uptake", "false")
    save(page)

    expect(page.locator("[data-status]")).to_have_attribute("data-status", "refractory")
    expect(page.locator(".messages")).to_contain_text("now refractory")
    nonavid = page.locator('[data-criterion="nonavid_lesion"]')
    expect(nonavid).to_contain_text("does not concentrate I-131")
    expect(nonavid).to_contain_text("2024-12-04")

    page.fill("#as_of", "2024-12-03")
    page.click("form.asof button[type=submit]")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "insufficient_data")

    page.select_option("select[name=language]", "kk")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("#verdict h2")).to_contain_text("Рефрактерлік")
    expect(page.locator("header.top")).to_contain_text("Пациенттер")

    page.click("form.logout button[type=submit]")
    log_in(page, base, "researcher")
    page.click("table.list tbody tr a")
    expect(page.locator("[data-status]")).to_be_visible()
    for url in (page.url, f"{base}/patients/"):
        page.goto(url)
        text = page.inner_text("body")
        for identifier in IDENTIFIERS:
            assert identifier not in text, (url, identifier)
    assert "BR-1" not in page.url

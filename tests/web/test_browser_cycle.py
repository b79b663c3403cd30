"""One whole cycle clicked through in Chromium: plan a course, give it, record the day-4 scan
with a non-avid node, see the patient on the early-warning list and on Friday's agenda with
the new verdict, record the MDT decision, print the agenda PDF (checked in Russian)."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

PASSWORD = "browser-test-password"


@pytest.fixture
def patient(transactional_db: None) -> date:
    """A patient treated a year ago (the MDT then chose another course); returns last
    week's Monday, the admission day of the cycle clicked through."""
    from rairtc.core.records import Mdt
    from rairtc.web.accounts.roles import Role
    from rairtc.web.accounts.users import create_user
    from rairtc.web.registry import store
    from tests.web.cases import first_course_patient

    create_user("clinician", PASSWORD, Role.CLINICIAN)
    monday = date.today() - timedelta(days=date.today().weekday() + 7)
    first = first_course_patient("BR-2")
    course = first.rai_courses[0].model_copy(update={"date": monday - timedelta(days=400)})
    lab = first.labs[0].model_copy(update={"date": monday - timedelta(days=400)})
    decision = Mdt(id="m1", date=monday - timedelta(days=390), recommendations=("repeat_rai",))
    store.save(
        "clinician",
        first.model_copy(update={"rai_courses": (course,), "labs": (lab,), "mdt": (decision,)}),
    )
    return monday


def save(page: Page) -> None:
    page.click("form.record button[type=submit]")


def test_one_whole_week(page: Page, live_server: Any, patient: date, tmp_path: Path) -> None:
    base, monday = live_server.url, patient
    tuesday, friday = monday + timedelta(days=1), monday + timedelta(days=4)
    page.goto(f"{base}/login/")
    page.fill("#id_username", "clinician")
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")

    page.goto(f"{base}/patients/BR-2/")
    page.click("text=+ Plan a course (admission)")
    page.fill("#id_admission_date", monday.isoformat())
    page.fill("#id_planned_activity_mci", "150")
    page.select_option("#id_stimulation", "withdrawal")
    page.fill("#id_tsh_miu_l", "64")
    save(page)
    row = page.locator('tr[data-patient="BR-2"]')
    expect(row).to_contain_text("I-131 not given yet")

    row.locator("text=Give I-131").click()
    page.fill("#id_date", tuesday.isoformat())
    save(page)
    expect(row).to_contain_text("no post-therapy scan recorded")

    page.goto(f"{base}/patients/BR-2/")
    page.click("text=+ Imaging study")
    page.fill("#id_date", friday.isoformat())
    page.select_option("#id_modality", "post_therapy_spect_ct")
    save(page)
    page.locator("tr.imaging", has_text=friday.isoformat()).locator("text=+ finding").click()
    page.select_option("#id_site", "cervical_lymph_node")
    page.select_option("#id_nodal_level", "III")
    page.select_option("#id_side", "left")
    page.select_option("#id_kind", "regional_metastasis")
    page.select_option("#id_rai_uptake", "false")
    save(page)
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "refractory")

    page.goto(f"{base}/warnings/")
    expect(page.locator('tr[data-kind="verdict_changed"][data-patient="BR-2"]')).to_contain_text(
        "refractory"
    )

    page.goto(f"{base}/week/?date={monday.isoformat()}")
    page.click(f'a[href="/mdt/{friday.isoformat()}/"]')
    case = page.locator("#case-BR-2")
    expect(case).to_contain_text("Changed since the last MDT")
    case.locator('input[value="fdg_pet_ct"]').check()
    case.locator("textarea").fill("PET/CT, then decide")
    case.locator("button[type=submit]").click()
    expect(page.locator("#case-BR-2 .decided")).to_contain_text("PET/CT, then decide")

    page.select_option("select[name=language]", "ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    pdf = page.request.get(f"{base}/mdt/{friday.isoformat()}/agenda.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    (tmp_path / "agenda.pdf").write_bytes(pdf.body())
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "agenda.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Повестка МДК" in text and "BR-2" in text
    assert "Решение" in text and "PET/CT, then decide" in text
    assert re.search(r"\d\d\.\d\d\.\d{4}", text)

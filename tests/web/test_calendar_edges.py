"""Dates at the calendar's ends are a reader's mistake, never a server error: the patient page
shows today with a message, and no MDT meets outside 1900-2199 (404)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from rairtc.web.registry import store
from tests.web.cases import first_course_patient


@pytest.fixture
def patient(db: None) -> str:
    store.save("test", first_course_patient("WEB-1"), today=date(2025, 1, 1))
    return "WEB-1"


@pytest.mark.parametrize("as_of", ["0001-01-01", "9999-12-31"])
def test_an_as_of_date_outside_the_calendar_shows_today_with_a_message(
    patient: str, client_as: Any, as_of: str
) -> None:
    response = client_as("clinician").get(f"/patients/{patient}/?as_of={as_of}")
    assert response.status_code == 200
    assert "between 1900 and 2199" in response.content.decode()


def test_the_message_is_said_in_russian(patient: str, client_as: Any) -> None:
    client = client_as("clinician")
    response = client.get(
        f"/patients/{patient}/?as_of=0001-01-01", headers={"accept-language": "ru"}
    )
    assert "между 1900 и 2199" in response.content.decode()


@pytest.mark.parametrize("url", ["/mdt/9999-12-31/", "/mdt/0001-01-01/agenda.pdf"])
def test_no_meeting_is_held_outside_the_calendar(client_as: Any, url: str) -> None:
    assert client_as("clinician").get(url).status_code == 404

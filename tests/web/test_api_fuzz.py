"""A property-based run against the OpenAPI schema (in place of schemathesis, which is not
installed): every operation of the schema, with arbitrary path values, query values and JSON
bodies, answers without a server error, and every refusal is a JSON error with a code."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rairtc.io.json_files import patient_to_json
from rairtc.web.registry import store
from tests.web.cases import first_course_patient

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
# Bodies that look like a patient or a record, with any field replaced or added.
VALID = patient_to_json(first_course_patient("FUZZ-1"))
NEAR_PATIENT = st.builds(
    lambda extra: {**VALID, **extra},
    st.dictionaries(st.sampled_from([*VALID, "x"]), JSON, max_size=3),
)
BODY = JSON | NEAR_PATIENT | st.lists(NEAR_PATIENT, max_size=2)
SEGMENT = (
    st.sampled_from(
        ["WEB-1", "nobody", "P-0", "%20", "surgeries", "mdt", "labs", "1", "2025-03-07"]
    )
    | st.text(
        alphabet=st.characters(codec="ascii", exclude_characters="/?#%"), min_size=1, max_size=8
    )
    | st.integers(-(2**70), 2**70).map(str)  # ids, including ones no database column holds
    | st.dates().map(str)  # meeting days, including the calendar's first and last
)
QUERY = st.dictionaries(
    st.sampled_from(["as_of", "limit", "offset", "status", "date", "patient"]),
    st.text(max_size=12) | st.integers(-5, 10**6).map(str) | st.dates().map(str),
    max_size=3,
)


def operations() -> list[tuple[str, str, bool]]:
    from rairtc.web.api.views import api

    paths = api.get_openapi_schema()["paths"]
    return [
        (method.upper(), path, "requestBody" in spec)
        for path, methods in paths.items()
        for method, spec in methods.items()
    ]


@pytest.fixture
def manager_api(personas: dict[str, str]) -> Callable[[], Any]:
    from django.test import Client

    from rairtc.web.accounts.tokens import create_token
    from rairtc.web.cycle.models import Admission, AgendaItem

    store.save("clinician", first_course_patient("WEB-1"))
    Admission.objects.create(
        patient_id="WEB-1",
        admission_date="2025-03-03",
        planned_activity_mci=150,
        stimulation="withdrawal",
        created_by="test",
    )
    AgendaItem.objects.create(meeting="2025-03-07", patient_id="WEB-1", added_by="test")
    token = create_token("manager", by="test")
    return lambda: Client(headers={"authorization": f"Bearer {token}"})


@pytest.mark.parametrize(("method", "path", "has_body"), operations())
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.data())
def test_no_input_makes_a_server_error(
    method: str, path: str, has_body: bool, manager_api: Callable[[], Any], data: Any
) -> None:
    url = path
    for name in re.findall(r"{\w+}", path):
        url = url.replace(name, quote(data.draw(SEGMENT, label=name), safe=""))  # as sent
    query = data.draw(QUERY, label="query")
    client = manager_api()
    if has_body:
        body = json.dumps(data.draw(BODY, label="body"))
        response = getattr(client, method.lower())(
            url, data=body, content_type="application/json", QUERY_STRING=_qs(query)
        )
    else:
        response = getattr(client, method.lower())(url, query)
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert response.json()["errors"][0]["code"], response.content


def _qs(query: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(query)

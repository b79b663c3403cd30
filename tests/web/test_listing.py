"""The patient list pages by key in its default order and counts from a cache; both give what
paging by offset and counting gave, and a write anywhere shows at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from rairtc.web.registry import listing, store, views
from rairtc.web.registry import models as m
from tests.web.cases import first_course_patient

IDS = [f"K-{n:02d}" for n in (5, 1, 8, 3, 2, 7, 4, 6)]


@pytest.fixture
def small_pages(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight patients, three to a page."""
    monkeypatch.setattr(listing, "PAGE_ROWS", 3)
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    for pid in IDS:
        store.save("clinician", first_course_patient(pid))


def shown(client: Any, url: str) -> list[str]:
    text = client.get(url).content.decode()
    return re.findall(r'<td><a href="/patients/([^/"]+)/">', text)


@pytest.mark.parametrize("sort", ["id", "-id"])
def test_every_page_of_the_default_order_is_the_registry_in_order(
    small_pages: None, client_as: Callable[..., Any], sort: str
) -> None:
    client = client_as("clinician")
    pages = [shown(client, f"/patients/?sort={sort}&page={n}") for n in (1, 2, 3)]
    assert [pid for page in pages for pid in page] == sorted(IDS, reverse=sort == "-id")
    assert [len(page) for page in pages] == [3, 3, 2]
    assert shown(client, f"/patients/?sort={sort}&page=9") == pages[-1]  # the last page


def test_researchers_page_through_pseudonyms_in_order(
    small_pages: None, client_as: Callable[..., Any]
) -> None:
    client = client_as("researcher")
    found = [pid for n in (1, 2, 3) for pid in shown(client, f"/patients/?page={n}")]
    pseudonyms = sorted(m.ClassificationSummary.objects.values_list("pseudonym", flat=True))
    assert found == pseudonyms and not set(found) & set(IDS)


def test_a_new_patient_moves_the_pages_and_the_total_at_once(
    small_pages: None, client_as: Callable[..., Any]
) -> None:
    client = client_as("clinician")
    assert "8 patients" in client.get("/patients/").content.decode()
    assert shown(client, "/patients/?page=1") == ["K-01", "K-02", "K-03"]
    store.save("clinician", first_course_patient("K-00"))
    assert "9 patients" in client.get("/patients/").content.decode()
    assert shown(client, "/patients/?page=1") == ["K-00", "K-01", "K-02"]
    assert shown(client, "/patients/?page=3") == ["K-06", "K-07", "K-08"]
    store.delete("manager", "K-08")
    assert "8 patients" in client.get("/patients/").content.decode()


def test_a_filtered_list_counts_and_pages_its_own_rows(
    small_pages: None, client_as: Callable[..., Any]
) -> None:
    client = client_as("clinician")
    text = client.get("/patients/?status=refractory").content.decode()
    assert "No patient matches." in text and "0 patients" in text
    assert shown(client, "/patients/?q=K-0&page=2") == ["K-04", "K-05", "K-06"]


# The filters' option lists are written in Python (listing.options_html): the page is what the
# template wrote, byte for byte.

KEYS = ("page", "rows", "rows_html", "q", "chosen", "sort", "query", "identified")
CHOICES = ("status_choices", "criterion_choices", "response_choices", "stage_choices")


@pytest.mark.parametrize("role", ["clinician", "researcher"])
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize(
    "query", ["", "?status=insufficient_data&stage=I&sort=-onset", '?q=K-0&criterion=<"x">']
)
def test_the_list_is_the_templates_list_byte_for_byte(
    small_pages: None, client_as: Callable[..., Any], role: str, language: str, query: str
) -> None:
    from django.utils import translation

    from tests.web.pages import reference_page, without_tokens

    response = client_as(role).get(f"/patients/{query}", HTTP_ACCEPT_LANGUAGE=language)
    context = {key: response.context[key] for key in (*KEYS, *CHOICES)}
    with translation.override(language):
        expected = reference_page(response, "patient_list.html", context)
    page = response.content.decode()
    assert page.count("<option") >= 25
    assert ('<option value="insufficient_data" selected>' in page) == ("status" in query)
    assert without_tokens(page) == without_tokens(expected)


@pytest.mark.parametrize("identified", [True, False])
def test_the_list_rows_are_the_orms_rows(small_pages: None, identified: bool) -> None:
    columns = [name for name, _, _ in listing.SUMMARY_COLUMNS]
    if identified:
        columns += [name for name, _, _ in listing.IDENTIFIER_COLUMNS]
    ids = ["K-03", "K-05", "K-99"]
    orm = m.ClassificationSummary.objects.filter(patient_id__in=ids).values(*columns)
    assert listing.summary_rows(ids, identified) == {row["patient_id"]: row for row in orm}
    assert len(listing.summary_rows(ids, identified)) == 2

"""The cohort dashboard (every role: only counts, no patient is shown).

Everything is counted in the database from the summary table (the verdict as of the day it
was computed) and the course rows, so the page stays fast on a large registry; the counts are
cached per period and registry revision (:mod:`rairtc.web.registry.revision`). The period
filter selects patients by the year of their first I-131 course. The refractory rate is
refractory patients among patients with a course, with the Wilson 95 % interval of the study
report (:func:`rairtc.study.rates.wilson`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from rairtc.core.rules.classify import STATUSES
from rairtc.core.units import MBQ_PER_GBQ, MBQ_PER_MCI
from rairtc.web.accounts.roles import Can, requires
from rairtc.web.cohort.charts import bar_chart
from rairtc.web.labels import label
from rairtc.web.registry import models as m

# Cumulative activity bins in mCi: [lower, upper), the last open.
BINS = (0, 100, 200, 300, 400, 500, 600, 800)


def _year(request: HttpRequest, name: str) -> int | None:
    text = request.GET.get(name, "").strip()
    return int(text) if text.isdigit() else None


def _bin_label(i: int) -> str:
    low = BINS[i]
    return f"≥{low}" if i == len(BINS) - 1 else f"{low}–{BINS[i + 1]}"


def cumulative_bins(patients: Any) -> list[tuple[str, int]]:
    """Patients by cumulative activity given (mCi), summed in the database."""
    mbq = ExpressionWrapper(
        Coalesce(
            F("activity_mci") * Value(MBQ_PER_MCI),
            F("activity_gbq") * Value(MBQ_PER_GBQ),
            Value(Decimal(0)),
        ),
        output_field=DecimalField(max_digits=24, decimal_places=8),
    )
    # Each patient's total is put in its bin by the database and only the bins come back (a
    # large registry would otherwise send one total per patient to Python).
    band = Case(
        *(
            When(total__gte=Value(Decimal(low) * MBQ_PER_MCI), then=Value(i))
            for i, low in reversed(list(enumerate(BINS)))
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    totals = (
        m.RaiCourse.objects.filter(patient_id__in=patients)
        .order_by()
        .values("patient_id")
        .annotate(total=Sum(mbq))
        .annotate(band=band)
        .values_list("band")
    )
    sql, params = totals.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT band, COUNT(*) FROM ({sql}) AS totals GROUP BY band", params)  # noqa: S608 - the ORM's own SQL
        found = dict(cursor.fetchall())
    counts = [int(found.get(i, 0)) for i in range(len(BINS))]
    return [(_bin_label(i), n) for i, n in enumerate(counts)]


CACHE_SECONDS = 3600


def counts(start: int | None, end: int | None) -> dict[str, Any]:
    """Every number of the dashboard for a period, counted in the database (no label: the
    same counts serve every language)."""
    rows = m.ClassificationSummary.objects.all()
    if start is not None:
        rows = rows.filter(first_course_year__gte=start)
    if end is not None:
        rows = rows.filter(first_course_year__lte=end)
    by_status = dict(rows.values_list("status").annotate(n=Count("patient")).order_by())
    criteria = list(
        rows.filter(status__in=("refractory", "possibly_refractory"))
        .exclude(primary_criterion=None)
        .values_list("primary_criterion")
        .annotate(n=Count("patient"))
        .order_by("-n", "primary_criterion")
    )
    with_course = rows.exclude(first_course_year=None)
    per_year = list(
        rows.filter(status="refractory")
        .exclude(onset_date=None)
        .annotate(year=ExtractYear("onset_date"))
        .values_list("year")
        .annotate(n=Count("patient"))
        .order_by("year")
    )
    return {
        "by_status": by_status,
        "criteria": criteria,
        "treated": with_course.count(),
        "refractory": with_course.filter(status="refractory").count(),
        "per_year": per_year,
        "activity": cumulative_bins(with_course.values("patient_id")),
    }


def cached_counts(start: int | None, end: int | None) -> dict[str, Any]:
    """:func:`counts`, cached per period and registry revision: any write to any patient
    (or a reclassification) gives a new key, in every worker process."""
    from rairtc.web.registry.cached import once
    from rairtc.web.registry.revision import current

    key = f"rairtc:dashboard:{current()}:{start}:{end}"
    found: dict[str, Any] = once(key, lambda: counts(start, end), CACHE_SECONDS)
    return found


@requires(Can.VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    from rairtc.study.rates import wilson

    start, end = _year(request, "from"), _year(request, "to")
    found = cached_counts(start, end)
    by_status: dict[str, int] = found["by_status"]
    statuses = [(label("status", s), by_status.get(s, 0)) for s in STATUSES]
    treated, refractory = found["treated"], found["refractory"]
    rate = None
    if treated:
        low, high = wilson(refractory, treated)
        rate = {
            "n": treated,
            "k": refractory,
            "percent": 100 * refractory / treated,
            "low": 100 * low,
            "high": 100 * high,
        }
    per_year, activity = found["per_year"], found["activity"]
    context = {
        "start": start or "",
        "end": end or "",
        "total": sum(by_status.values()),
        "statuses": statuses,
        "criteria": [(label("criterion", c), n) for c, n in found["criteria"]],
        "rate": rate,
        "status_chart": bar_chart(statuses, _("Status")),
        "year_chart": bar_chart([(str(y), n) for y, n in per_year], _("New refractory cases")),
        "activity_chart": bar_chart(activity, _("Cumulative activity, mCi")),
        "activity": activity,
        "per_year": per_year,
    }
    return render(request, "cohort/dashboard.html", context)

"""The stable URLs (tests, the next web issue and users' bookmarks rely on them)."""

from __future__ import annotations

from django.urls import path

from rairtc.web.accounts import views as accounts
from rairtc.web.api.views import api
from rairtc.web.audit import views as audit
from rairtc.web.cohort import views as cohort
from rairtc.web.cycle import meeting
from rairtc.web.cycle import views as cycle
from rairtc.web.registry import views as registry
from rairtc.web.studies import views as studies

urlpatterns = [
    path("", registry.home, name="home"),
    path("healthz", registry.healthz, name="healthz"),
    path("login/", accounts.login, name="login"),
    path("logout/", accounts.logout, name="logout"),
    path("language/", accounts.language, name="language"),
    path("accounts/", accounts.accounts, name="accounts"),
    path("accounts/tokens/", accounts.tokens, name="tokens"),
    path(
        "accounts/<str:username>/deactivate/",
        accounts.account_active,
        {"active": False},
        name="account_deactivate",
    ),
    path(
        "accounts/<str:username>/reactivate/",
        accounts.account_active,
        {"active": True},
        name="account_reactivate",
    ),
    path("accounts/tokens/<int:token_id>/revoke/", accounts.token_revoke, name="token_revoke"),
    path("patients/", registry.patient_list, name="patients"),
    path("patients/new/", registry.patient_new, name="patient_new"),
    path("patients/<str:pid>/", registry.patient_page, name="patient"),
    path("patients/<str:pid>/admissions/new/", cycle.admission_new, name="admission_new"),
    path("patients/<str:pid>/edit/", registry.patient_edit, name="patient_edit"),
    path("patients/<str:pid>/delete/", registry.patient_delete, name="patient_delete"),
    path(
        "patients/<str:pid>/imaging/<str:iid>/findings/new/",
        registry.finding_form,
        name="finding_new",
    ),
    path(
        "patients/<str:pid>/imaging/<str:iid>/findings/<str:rid>/",
        registry.finding_form,
        name="finding_edit",
    ),
    path("patients/<str:pid>/<str:kind>/new/", registry.record_form, name="record_new"),
    path("patients/<str:pid>/<str:kind>/<str:rid>/", registry.record_form, name="record_edit"),
    path(
        "patients/<str:pid>/<str:kind>/<str:rid>/delete/",
        registry.record_delete,
        name="record_delete",
    ),
    path("admissions/<int:admission_id>/give/", cycle.admission_give, name="admission_give"),
    path("week/", cycle.week, name="week"),
    path("warnings/", meeting.warnings_page, name="warnings"),
    path("dashboard/", cohort.dashboard, name="dashboard"),
    path("study/", studies.study, name="study"),
    path("study/<int:run_id>/<str:name>", studies.download, name="study_file"),
    path("mdt/<str:day>/", meeting.board, name="board"),
    path("mdt/<str:day>/agenda.pdf", meeting.agenda_pdf, name="agenda_pdf"),
    path("mdt/<str:day>/add/", meeting.add_case, name="agenda_add"),
    path("mdt/<str:day>/<str:pid>/remove/", meeting.remove_case, name="agenda_remove"),
    path("mdt/<str:day>/<str:pid>/decide/", meeting.decide, name="decide"),
    path("import/", registry.import_view, name="import"),
    path("audit/", audit.audit_list, name="audit"),
    path("audit/export.csv", audit.audit_csv, name="audit_csv"),
    path("api/", api.urls),
]

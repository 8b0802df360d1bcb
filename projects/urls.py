from django.urls import include, path

from projects import evidence
from projects.views import alerts as views_alerts
from projects.views import assistance as views_assistance
from projects.views import claims as views_claims
from projects.views import leads as views_leads
from projects.views import projects as views
from projects.views import reports as views_reports
from projects.views import visits as views_visits

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("add/", views.ProjectEditView.as_view(), name="project_add"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("<int:pk>/edit/", views.ProjectEditView.as_view(), name="project_edit"),
    path("<int:pk>/terminate/", views.ProjectTerminateView.as_view(), name="project_terminate"),
    path("<int:pk>/shares/", views.project_shares, name="project_shares"),
    # Before the claim pattern, which would otherwise take "assistance" for a claim kind.
    path(
        "<int:project_pk>/assistance/add/",
        views_assistance.AssistanceEditView.as_view(),
        name="assistance_add",
    ),
    # Claims: kind is milestone, investment or funds.
    path(
        "<int:project_pk>/<str:kind>/add/",
        views_claims.ClaimEditView.as_view(),
        name="claim_add",
    ),
    path(
        "claims/<str:kind>/<int:pk>/edit/", views_claims.ClaimEditView.as_view(), name="claim_edit"
    ),
    path("claims/<str:kind>/<int:pk>/delete/", views_claims.claim_delete, name="claim_delete"),
    path(
        "claims/<str:kind>/<int:pk>/evidence/",
        views_claims.EvidenceAddView.as_view(),
        name="evidence_add",
    ),
    path("evidence/<int:pk>/", evidence.download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", views_claims.evidence_delete, name="evidence_delete"),
    # Assistance, leads, visits.
    path("assistance/", views_assistance.AssistanceListView.as_view(), name="assistance_list"),
    path(
        "assistance/overdue/",
        views_assistance.OverdueAssistanceListView.as_view(),
        name="assistance_overdue",
    ),
    path(
        "assistance/<int:pk>/edit/",
        views_assistance.AssistanceEditView.as_view(),
        name="assistance_edit",
    ),
    path("leads/", views_leads.LeadListView.as_view(), name="lead_list"),
    path("leads/add/", views_leads.LeadEditView.as_view(), name="lead_add"),
    path("leads/<int:pk>/", views_leads.LeadDetailView.as_view(), name="lead_detail"),
    path("leads/<int:pk>/edit/", views_leads.LeadEditView.as_view(), name="lead_edit"),
    path("leads/<int:pk>/convert/", views.LeadConvertView.as_view(), name="lead_convert"),
    path("visits/", views_visits.VisitListView.as_view(), name="visit_list"),
    path("visits/add/", views_visits.VisitEditView.as_view(), name="visit_add"),
    path("visits/<int:pk>/edit/", views_visits.VisitEditView.as_view(), name="visit_edit"),
    # Monthly reports, alerts, thresholds.
    path("reports/", views_reports.report_list, name="report_list"),
    path("alerts/", views_alerts.alert_list, name="alert_list"),
    path("settings/", views_alerts.settings_edit, name="settings"),
    # 督办 (issue 18 item 4).
    path("duban/", include("projects.supervision.urls")),
]

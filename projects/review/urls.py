from django.urls import path

from projects.review import audit as review_audit_views
from projects.review import views as review_views

app_name = "review"

urlpatterns = [
    path("", review_views.review_queue, name="queue"),
    path("act/", review_views.review_queue_act, name="queue_act"),
    path("mine/", review_views.my_claims, name="my_claims"),
    path("mine/submit/", review_views.my_claims_submit, name="my_claims_submit"),
    # kind: milestone, investment or funds (as in the projects app's claim URLs).
    path("claims/<str:kind>/<int:pk>/", review_views.claim_detail, name="claim_detail"),
    path("claims/<str:kind>/<int:pk>/act/", review_views.claim_act, name="claim_act"),
    path("flags/", review_audit_views.FlagListView.as_view(), name="flag_list"),
    path("flags/scan/", review_audit_views.flag_scan, name="flag_scan"),
    path("flags/<int:pk>/", review_audit_views.flag_detail, name="flag_detail"),
    path("history/", review_audit_views.history_search, name="history"),
]

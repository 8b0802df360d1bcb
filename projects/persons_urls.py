from django.urls import path

from projects.rewards import views as rewards
from projects.views import persons as views
from projects.views import portfolio

app_name = "persons"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="person_list"),
    path("add/", views.PersonEditView.as_view(), name="person_add"),
    path("search/", views.person_search, name="person_search"),
    path("mine/", portfolio.my_portfolio, name="my_portfolio"),
    path("baofu/", portfolio.baofu_table, name="baofu_table"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("<int:pk>/baofu/", portfolio.person_portfolio, name="person_portfolio"),
    path("<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    # Intermediary rewards (中介人引资奖励, issue 19 item 4).
    path("rewards/<int:year>/", rewards.rewards, name="rewards"),
    path("rewards/<int:year>/notice/", rewards.notice, name="reward_notice"),
    path("rewards/<int:year>/rule/", rewards.rule_edit, name="reward_rule"),
    path("rewards/<int:year>/compute/", rewards.compute, name="reward_compute"),
    path("rewards/<int:year>/publicise/", rewards.publicise, name="reward_publicise"),
    path("rewards/<int:year>/approve/", rewards.approve, name="reward_approve"),
    path("rewards/<int:year>/pay/", rewards.pay, name="reward_pay"),
    path("rewards/<int:year>/<int:pk>/change/", rewards.change, name="reward_change"),
    path("rewards/<int:year>/apply/<int:person>/", rewards.apply, name="reward_apply"),
]

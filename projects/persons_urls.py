from django.urls import path

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
]

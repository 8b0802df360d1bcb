from django.urls import path

from assessment.workbooks import views

app_name = "workbook"

urlpatterns = [
    path("import/", views.import_page, name="import"),
    path("template/", views.template_download, name="template"),
    path("import/errors/", views.errors_download, name="errors"),
    path("year/<int:year>/", views.year_download, name="year_export"),
    path("ranking/<int:year>/<int:quarter>/", views.ranking_download, name="ranking"),
]

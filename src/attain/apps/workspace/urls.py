from django.urls import path

from attain.apps.workspace import urls_plans, urls_runs, views

app_name = "workspace"

urlpatterns = [
    path("", views.index, name="index"),
    *urls_plans.urlpatterns,
    *urls_runs.urlpatterns,
]

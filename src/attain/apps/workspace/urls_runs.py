"""The workspace's data pages (imports, calculation runs, results, period close)."""

from django.urls import path

from attain.apps.workspace import imports_views, results_views, runs_views

urlpatterns: list = [
    path("imports/", imports_views.imports, name="imports"),
    path("imports/<slug:token>/", imports_views.preview, name="import-preview"),
    path("imports/<slug:token>/confirm/", imports_views.confirm, name="import-confirm"),
    path("imports/<slug:token>/rejects.csv", imports_views.rejects, name="import-rejects"),
    path("runs/", runs_views.runs, name="runs"),
    path("runs/<int:pk>/progress/", runs_views.run_progress, name="run-progress"),
    path("months/<str:period>/", runs_views.month, name="month"),
    path("months/<str:period>/<slug:step>/", runs_views.month_step, name="month-step"),
    path("results/", results_views.results, name="results"),
    path("results/earnings.csv", results_views.results_csv, name="results-csv"),
]

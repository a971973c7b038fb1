from django.urls import path

from attain.apps.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.my_home, name="mine"),
    path("people/<str:employee_id>/", views.person_home, name="person"),
    path("people/<str:employee_id>/statements/", views.statement_list, name="statements"),
    path("people/<str:employee_id>/statements/<str:period>/", views.statement_page, name="statement"),
    path("people/<str:employee_id>/earnings/<int:earning_id>/", views.earning_page, name="earning"),
]

# the finance workspace (views_finance.py)
from attain.apps.portal import views_finance  # noqa: E402

urlpatterns += [
    path("finance/", views_finance.queue, name="finance"),
    path("finance/reports/", views_finance.reports, name="finance-reports"),
    path("finance/months/<str:period>/", views_finance.month_page, name="finance-month"),
    path("finance/months/<str:period>/payroll.csv", views_finance.payroll_file, name="finance-payroll"),
    path("finance/months/<str:period>/journal.csv", views_finance.journal_file, name="finance-journal"),
    path("finance/months/<str:period>/<str:step>/", views_finance.month_step, name="finance-month-step"),
    path("finance/adjustments/<int:pk>/<str:step>/", views_finance.adjustment_step, name="finance-adjustment-step"),
]

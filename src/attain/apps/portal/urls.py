from django.urls import path

from attain.apps.portal import views, views_team

app_name = "portal"

urlpatterns = [
    path("", views.my_home, name="mine"),
    path("people/<str:employee_id>/", views.person_home, name="person"),
    path("people/<str:employee_id>/statements/", views.statement_list, name="statements"),
    path("people/<str:employee_id>/statements/<str:period>/", views.statement_page, name="statement"),
    path("people/<str:employee_id>/earnings/<int:earning_id>/", views.earning_page, name="earning"),
    path("team/", views_team.team_page, name="team"),
    path("team/adjustments/", views_team.team_adjustments, name="team_adjustments"),
    path("team/adjustments/<int:pk>/", views_team.decide_adjustment, name="team_decide"),
    path("team/<str:employee_id>/", views_team.team_page, name="sub_team"),
]

from attain.apps.disputes import views as disputes  # noqa: E402  (the dispute pages live in the disputes app)
from attain.apps.portal import views_pdf  # noqa: E402

urlpatterns += [
    path("people/<str:employee_id>/statements/<str:period>/pdf", views_pdf.statement_pdf, name="statement_pdf"),
    path("people/<str:employee_id>/statements/<str:period>/dispute/", disputes.raise_dispute, name="raise_dispute"),
    path("people/<str:employee_id>/disputes/", disputes.person_disputes, name="person_disputes"),
    path("disputes/", disputes.dispute_queue, name="disputes"),
    path("disputes/<int:pk>/", disputes.dispute_page, name="dispute"),
    path("disputes/<int:pk>/attachment", disputes.dispute_attachment, name="dispute_attachment"),
    path("disputes/<int:pk>/comment", disputes.comment, name="dispute_comment"),
    path("disputes/<int:pk>/review", disputes.review, name="dispute_review"),
    path("disputes/<int:pk>/resolve", disputes.resolve, name="dispute_resolve"),
    path("disputes/<int:pk>/reject", disputes.reject, name="dispute_reject"),
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

# the rep's plan pages: the estimator, the plan document and its acceptance (views_plan.py)
from attain.apps.portal import views_plan  # noqa: E402

urlpatterns += [
    path("people/<str:employee_id>/estimate/", views_plan.estimate_page, name="estimate"),
    path("people/<str:employee_id>/plan/", views_plan.plan_page, name="plan"),
    path("people/<str:employee_id>/plan/<int:version_id>/accept", views_plan.accept_plan, name="accept_plan"),
    path("acceptances/", views_plan.acceptances_page, name="acceptances"),
    path("people/<str:employee_id>/trend/", views_plan.trend_page, name="trend"),
]

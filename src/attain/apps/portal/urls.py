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

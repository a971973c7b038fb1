from django.contrib import admin
from django.urls import path

from attain.site import views

admin.site.site_header = "Attain administration"
admin.site.site_title = "Attain"
admin.site.index_title = "Sales performance data"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

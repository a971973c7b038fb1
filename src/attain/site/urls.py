from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from attain.apps.portal.forms import AdminLoginForm
from attain.apps.portal.views import LoginView
from attain.site import views

admin.site.site_header = "Attain administration"
admin.site.site_title = "Attain"
admin.site.index_title = "Sales performance data"
admin.site.login_form = AdminLoginForm  # the admin's login counts failures and locks out like the portal's

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("portal/", include("attain.apps.portal.urls")),
    path("workspace/", include("attain.apps.workspace.urls")),
    path("api/", include("attain.apps.api.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from crm import views
from security import views as security_views

crm_patterns = [
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/export/", views.enterprise_export, name="enterprise_export"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:enterprise_pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("notifications/", views.notification_list, name="notification_list"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", security_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("crm.api.urls")),
    path("", include((crm_patterns, "crm"))),
    path("leads/", include("leads.urls")),
    path("projects/", include("projects.urls")),
    path("awards/", include("awards.urls")),
    path("aftercare/", include("aftercare.urls")),
    path("reports/", include("reports.urls")),
    path("security/", include("security.urls")),
]

handler404 = "crm.views.page_not_found"
handler403 = "crm.views.permission_denied"


from django.urls import path

from aftercare import views

app_name = "aftercare"

urlpatterns = [
    path("", views.key_list, name="key_list"),
    path("key/new/", views.key_designate, name="key_designate"),
    path("key/export/", views.key_export, name="key_export"),
    path("key/<int:pk>/edit/", views.key_edit, name="key_edit"),
    path("key/<int:pk>/end/", views.key_end, name="key_end"),
    path("enterprises/<int:enterprise_pk>/visits/new/", views.visit_create, name="visit_create"),
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/new/", views.complaint_create, name="complaint_create"),
    path("complaints/export/", views.complaint_export, name="complaint_export"),
    path("complaints/overview/", views.complaint_overview, name="complaint_overview"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/answer/", views.complaint_answer, name="complaint_answer"),
    path("complaints/<int:pk>/close/", views.complaint_close, name="complaint_close"),
    path("complaints/<int:pk>/reopen/", views.complaint_reopen, name="complaint_reopen"),
    path("foreign/", views.foreign_list, name="foreign_list"),
    path("foreign/export/", views.foreign_export, name="foreign_export"),
    path("foreign/<int:pk>/", views.foreign_detail, name="foreign_detail"),
    path("foreign/<int:pk>/checks/new/", views.check_create, name="check_create"),
    path("checks/<int:pk>/follow-up-done/", views.check_follow_up_done, name="check_follow_up_done"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/export/", views.organisation_export, name="organisation_export"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/contacts/new/", views.organisation_contact_create,
         name="organisation_contact_create"),
]

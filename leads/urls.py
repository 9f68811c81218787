from django.urls import path

from leads import views

app_name = "leads"

urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("", views.lead_list, name="lead_list"),
    path("export/", views.lead_export, name="lead_export"),
    path("pipeline/", views.lead_pipeline, name="lead_pipeline"),
    path("new/", views.lead_create, name="lead_create"),
    path("<int:pk>/", views.lead_detail, name="lead_detail"),
    path("<int:pk>/edit/", views.lead_edit, name="lead_edit"),
    path("<int:pk>/status/", views.lead_status, name="lead_status"),
    path("<int:pk>/assessment/", views.lead_assess, name="lead_assess"),
    path("<int:pk>/reassign/", views.lead_reassign, name="lead_reassign"),
    path("<int:lead_pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("enterprises/<int:enterprise_pk>/meetings/new/", views.enterprise_meeting_create,
         name="enterprise_meeting_create"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/export/", views.meeting_export, name="meeting_export"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("follow-ups/<int:pk>/done/", views.followup_complete, name="followup_complete"),
    path("follow-ups/<int:pk>/reschedule/", views.followup_reschedule, name="followup_reschedule"),
    path("follow-ups/<int:pk>/cancel/", views.followup_cancel, name="followup_cancel"),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("import/", views.import_start, name="import_start"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/report/", views.import_report, name="import_report"),
]

from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("export/", views.project_export, name="project_export"),
    path("new/", views.project_create, name="project_create"),
    path("new/from-lead/<int:lead_pk>/", views.project_create_from_lead, name="project_create_from_lead"),
    path("board/", views.pipeline_board, name="pipeline_board"),
    path("overdue-reviews/", views.overdue_reviews, name="overdue_reviews"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/stage/", views.project_stage, name="project_stage"),
    path("<int:pk>/rounds/new/", views.round_open, name="round_open"),
    path("<int:pk>/milestones/<slug:kind>/", views.milestone_record, name="milestone_record"),
    path("<int:pk>/capital/new/", views.capital_create, name="capital_create"),
    path("<int:pk>/talent-requests/new/", views.talent_request_create, name="talent_request_create"),
    path("<int:pk>/documents/new/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("conditions/<int:pk>/resolve/", views.condition_resolve, name="condition_resolve"),
    path("reviews/", views.my_reviews, name="my_reviews"),
    path("reviews/<int:pk>/", views.review_request_detail, name="review_request_detail"),
    path("reviews/<int:pk>/opinion/", views.opinion_submit, name="opinion_submit"),
    path("reviews/<int:pk>/material/", views.request_return_material, name="request_return_material"),
    path("talent-requests/<int:pk>/answer/", views.talent_request_answer, name="talent_request_answer"),
]

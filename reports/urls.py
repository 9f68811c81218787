from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("records/", views.records, name="records"),
    path("export/", views.export, name="export"),
    path("publish/", views.publish, name="publish"),
    path("work-plan/<int:year>/", views.work_plan, name="work_plan"),
    path("my-turnaround/", views.my_turnaround, name="my_turnaround"),
    path("assets/plotly.min.js", views.plotly_js, name="plotly_js"),
]

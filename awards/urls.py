from django.urls import path

from awards import views

app_name = "awards"

urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("calculator/", views.calculator, name="calculator"),
    path("policies/", views.policy_list, name="policy_list"),
    path("policies/<int:pk>/export/", views.policy_export, name="policy_export"),
    path("applications/new/", views.application_create, name="application_create"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/export/", views.application_export, name="application_export"),
    path("applications/<int:pk>/recompute/", views.application_recompute, name="application_recompute"),
    path("applications/<int:pk>/transition/", views.application_transition, name="application_transition"),
    path("applications/<int:pk>/recoveries/new/", views.recovery_create, name="recovery_create"),
    path("instalments/<int:pk>/condition/", views.instalment_condition, name="instalment_condition"),
    path("instalments/<int:pk>/pay/", views.instalment_pay, name="instalment_pay"),
    path("projects/<int:pk>/facts/", views.project_facts, name="project_facts"),
]

from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("reviews/", views.my_reviews, name="my_reviews"),
]

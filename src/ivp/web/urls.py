from django.urls import path

from ivp.web import views

app_name = "web"

urlpatterns = [
    path("patronen/", views.patterns, name="patterns"),
]

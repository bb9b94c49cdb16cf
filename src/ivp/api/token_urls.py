"""The pages where a user manages their own API keys (under ``/account/api-sleutels/``)."""

from django.urls import path

from ivp.api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/intrekken/", views.token_revoke, name="revoke"),
]

from django.urls import path, re_path

from ivp.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("zoeken/", views.search, name="search"),
    re_path(r"^thema/(?P<code>[1-9]\.[1-9])/$", views.theme, name="theme"),
    re_path(r"^aspect/(?P<code>[Aa][1-9]\.[1-9])/$", views.aspect, name="aspect"),
    path("strategisch/<slug:code>/", views.strategic, name="strategic"),
]

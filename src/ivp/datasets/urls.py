from django.urls import path

from ivp.datasets import views, views_sources

app_name = "datasets"

urlpatterns = [
    path("", views.index, name="index"),
    path("datasets/<str:key>/", views.dataset_detail, name="dataset"),
    path("reeksen/<int:pk>/", views.series_detail, name="series"),
    path("inlezen/", views.upload, name="upload"),
    path("importruns/<int:pk>/", views.run_detail, name="run"),
    path("importruns/<int:pk>/opslaan/", views.confirm, name="confirm"),
    path("indeling/", views.mapping, name="mapping"),
    path("indeling/plan/<int:plan_pk>/", views.plan_mapping, name="plan_mapping"),
    path("gemeenten/<str:code>/", views.gemeente, name="gemeente"),
    path(
        "gemeenten/<str:code>/informatiepositie/",
        views_sources.informatiepositie,
        name="informatiepositie",
    ),
    path(
        "gemeenten/<str:code>/informatiepositie/thema/",
        views_sources.series_theme,
        name="series_theme",
    ),
    path("sjablonen/<slug:key>.xlsx", views_sources.template, name="template"),
    path("ophalen/", views.fetch_page, name="fetch"),
]

from django.urls import path

from ivp.sturing import views, views_reports

app_name = "sturing"

BASE = "plannen/<int:pk>/sturing/"

urlpatterns = [
    path("mijn-maatregelen/", views.mijn, name="mijn"),
    path(BASE, views.dashboard, name="dashboard"),
    path(BASE + "maatregelen/<int:measure>/", views.maatregel, name="maatregel"),
    path(BASE + "maatregelen/<int:measure>/bijwerken/", views.bijwerken, name="bijwerken"),
    path(BASE + "indicatoren/<int:indicator>/realisatie/", views.realisatie, name="realisatie"),
    path(BASE + "cyclus/", views_reports.cyclus, name="cyclus"),
    path(BASE + "rapportages/", views_reports.rapportages, name="rapportages"),
    path(BASE + "rapportages/<slug:soort>/<str:periode>/", views_reports.rapport, name="rapport"),
    path(BASE + "overleg/<str:periode>/", views_reports.overleg, name="overleg"),
]

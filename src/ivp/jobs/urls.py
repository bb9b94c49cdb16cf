from django.urls import path

from ivp.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.lijst, name="lijst"),
    path("alle-gemeenten/", views.alle_gemeenten, name="alle_gemeenten"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/voortgang/", views.voortgang, name="voortgang"),
    path("<int:pk>/download/", views.download, name="download"),
]

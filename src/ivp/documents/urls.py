from django.urls import path

from ivp.documents import views

app_name = "documents"

urlpatterns = [
    path(
        "plannen/<int:pk>/documenten/<slug:document>.<str:fmt>",
        views.download,
        name="download",
    ),
]

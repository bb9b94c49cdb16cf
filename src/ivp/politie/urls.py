from django.urls import path, re_path

from ivp.politie import views

app_name = "politie"

urlpatterns = [
    path("politie/", views.index, name="index"),
    re_path(r"^politie/(?P<code>RE[0-9]{2})/$", views.eenheid, name="eenheid"),
    re_path(
        r"^politie/(?P<code>RE[0-9]{2})/export\.(?P<fmt>xlsx|pdf)$", views.export, name="export"
    ),
    path("plannen/<int:pk>/delen-met-politie/", views.delen, name="delen"),
]

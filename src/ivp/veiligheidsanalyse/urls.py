from django.urls import path, re_path

from ivp.veiligheidsanalyse import views

app_name = "veiligheidsanalyse"

urlpatterns = [
    path("plannen/<int:pk>/analyse/", views.overview, name="overview"),
    re_path(r"^plannen/(?P<pk>[0-9]+)/analyse/veld/(?P<code>[1-9])/$", views.veld, name="veld"),
    path("plannen/<int:pk>/analyse/tekst/<str:onderwerp>/", views.tekst, name="tekst"),
    path("plannen/<int:pk>/analyse/gebied/", views.gebied, name="gebied"),
    path("plannen/<int:pk>/analyse/peiljaar/", views.peiljaar, name="peiljaar"),
    path("plannen/<int:pk>/analyse/vergelijking/", views.vergelijking, name="vergelijking"),
    path("plannen/<int:pk>/analyse/besluit/", views.besluit, name="besluit"),
]

from django.urls import path

from ivp.plans import collab_views, role_views, views

app_name = "plans"

urlpatterns = [
    path("", views.home, name="home"),
    path("plannen/nieuw/", views.plan_new, name="new"),
    path("plannen/<int:pk>/", views.plan_detail, name="detail"),
    path("plannen/<int:pk>/bewerken/", views.plan_edit, name="edit"),
    path("plannen/<int:pk>/stappen/<int:nummer>/status/", views.step_status, name="step_status"),
    path("plannen/<int:pk>/stap-1/", views.stap1, name="stap1"),
    path("plannen/<int:pk>/planning/", views.planning, name="planning"),
    path("plannen/<int:pk>/werkgroep/", views.werkgroep, name="werkgroep"),
    path("plannen/<int:pk>/reacties/", collab_views.reacties, name="reacties"),
    path(
        "plannen/<int:pk>/reacties/<int:reactie_id>/besluit/",
        collab_views.voorstel_besluit,
        name="voorstel_besluit",
    ),
    path("meldingen/", collab_views.meldingen, name="meldingen"),
    path("plannen/<int:pk>/geschiedenis/", views.geschiedenis, name="geschiedenis"),
    path("plannen/<int:pk>/rollen/", role_views.plan_rollen, name="rollen"),
    path(
        "plannen/rollen/personen/<int:user_id>/",
        role_views.gebruiker_rollen,
        name="gebruiker_rollen",
    ),
]

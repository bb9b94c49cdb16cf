from django.urls import path

from ivp.beleidsplan import views

app_name = "beleidsplan"

urlpatterns = [
    # step 3: prioritering
    path("plannen/<int:pk>/prioritering/", views.prioritering, name="prioritering"),
    path(
        "plannen/<int:pk>/prioritering/prioriteit/<int:part>/",
        views.prioriteit,
        name="prioriteit",
    ),
    path("plannen/<int:pk>/prioritering/indelen/", views.indelen, name="indelen"),
    path("plannen/<int:pk>/prioritering/cluster/", views.cluster_toevoegen, name="cluster_nieuw"),
    path("plannen/<int:pk>/prioritering/cluster/<int:part>/", views.cluster, name="cluster"),
    path(
        "plannen/<int:pk>/prioritering/<str:soort>/<int:part>/verplaatsen/",
        views.verplaatsen,
        name="verplaatsen",
    ),
    path(
        "plannen/<int:pk>/prioritering/<str:soort>/<int:part>/verwijderen/",
        views.verwijderen,
        name="verwijderen",
    ),
    # step 4: the IVP
    path("plannen/<int:pk>/ivp/", views.ivp, name="ivp"),
    path("plannen/<int:pk>/ivp/hoofdstuk/<int:nummer>/", views.hoofdstuk, name="hoofdstuk"),
    path(
        "plannen/<int:pk>/ivp/onderdeel/<str:soort>/<int:part>/",
        views.onderdeel,
        name="onderdeel",
    ),
    path(
        "plannen/<int:pk>/ivp/standaardindicatoren/",
        views.standaardindicatoren,
        name="standaardindicatoren",
    ),
    path(
        "plannen/<int:pk>/ivp/indicator/toevoegen/<str:onderdeel>/",
        views.indicator_toevoegen,
        name="indicator_toevoegen",
    ),
    path("plannen/<int:pk>/ivp/indicator/<int:part>/", views.indicator, name="indicator"),
    path(
        "plannen/<int:pk>/ivp/indicator/<int:part>/verwijderen/",
        views.verwijderen,
        {"soort": "indicator"},
        name="indicator_verwijderen",
    ),
    path("plannen/<int:pk>/ivp/vastleggen/", views.vastleggen, name="vastleggen"),
    path("plannen/<int:pk>/ivp/gereedheid/", views.gereedheid, name="gereedheid"),
    # the document's own shape: chapters, annexes, sections, cover
    path("plannen/<int:pk>/ivp/opmaak/", views.opmaak, name="opmaak"),
    path(
        "plannen/<int:pk>/ivp/hoofdstuk/toevoegen/",
        views.hoofdstuk_toevoegen,
        name="hoofdstuk_toevoegen",
    ),
    path(
        "plannen/<int:pk>/ivp/hoofdstuk/verplaatsen/",
        views.hoofdstuk_verplaatsen,
        name="hoofdstuk_verplaatsen",
    ),
    path(
        "plannen/<int:pk>/ivp/hoofdstuk/<int:nummer>/weglaten/",
        views.hoofdstuk_weglaten,
        name="hoofdstuk_weglaten",
    ),
    path("plannen/<int:pk>/ivp/deel/<int:part>/", views.deel, name="deel"),
    path(
        "plannen/<int:pk>/ivp/deel/<int:part>/verwijderen/",
        views.deel_verwijderen,
        name="deel_verwijderen",
    ),
    path(
        "plannen/<int:pk>/ivp/paragraaf/toevoegen/",
        views.paragraaf_toevoegen,
        name="paragraaf_toevoegen",
    ),
    path("plannen/<int:pk>/ivp/paragraaf/<int:part>/", views.paragraaf, name="paragraaf"),
    path(
        "plannen/<int:pk>/ivp/paragraaf/<int:part>/verplaatsen/",
        views.paragraaf_verplaatsen,
        name="paragraaf_verplaatsen",
    ),
    path(
        "plannen/<int:pk>/ivp/paragraaf/<int:part>/verwijderen/",
        views.paragraaf_verwijderen,
        name="paragraaf_verwijderen",
    ),
]

from django.urls import path

from ivp.uitvoering import views

app_name = "uitvoering"

BASE = "plannen/<int:pk>/uitvoering/"
YEAR = BASE + "<int:jaar>/"

urlpatterns = [
    path(BASE, views.lijst, name="lijst"),
    path(BASE + "nieuw/", views.nieuw, name="nieuw"),
    path(BASE + "partners/", views.partners, name="partners"),
    path(YEAR, views.detail, name="detail"),
    path(YEAR + "vervolg/", views.vervolg, name="vervolg"),
    path(YEAR + "teksten/", views.teksten, name="teksten"),
    path(YEAR + "onderdelen/nieuw/", views.onderdeel_nieuw, name="onderdeel_nieuw"),
    path(YEAR + "onderdelen/<int:item>/", views.onderdeel, name="onderdeel"),
    path(
        YEAR + "onderdelen/<int:item>/verwijderen/",
        views.onderdeel_verwijderen,
        name="onderdeel_verwijderen",
    ),
    path(YEAR + "onderdelen/<int:item>/maatregel/", views.maatregel_nieuw, name="maatregel_nieuw"),
    path(YEAR + "onderdelen/<int:item>/themabibliotheek/", views.catalogus, name="catalogus"),
    path(YEAR + "maatregelen/<int:measure>/", views.maatregel, name="maatregel"),
    path(
        YEAR + "maatregelen/<int:measure>/bewerken/",
        views.maatregel_bewerken,
        name="maatregel_bewerken",
    ),
    path(YEAR + "maatregelen/<int:measure>/verplaatsen/", views.verplaatsen, name="verplaatsen"),
    path(
        YEAR + "maatregelen/<int:measure>/verwijderen/",
        views.maatregel_verwijderen,
        name="maatregel_verwijderen",
    ),
    path(YEAR + "excel/", views.xlsx, name="xlsx"),
    path(YEAR + "excel/inlezen/", views.inlezen, name="inlezen"),
    path(YEAR + "excel/doorvoeren/", views.doorvoeren, name="doorvoeren"),
]

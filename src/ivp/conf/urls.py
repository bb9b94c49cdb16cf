"""URL map: each part of ivp contributes its own ``urls.py``."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("ivp.plans.urls")),
    path("", include("ivp.documents.urls")),
    path("", include("ivp.veiligheidsanalyse.urls")),
    path("", include("ivp.beleidsplan.urls")),
    path("", include("ivp.uitvoering.urls")),
    path("", include("ivp.sturing.urls")),
    path("", include("ivp.politie.urls")),
    path("account/api-sleutels/", include("ivp.api.token_urls")),
    path("account/", include("ivp.accounts.urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("catalogus/", include("ivp.catalogue.urls")),
    path("data/", include("ivp.datasets.urls")),
    path("taken/", include("ivp.jobs.urls")),
    path("api/v1/", include("ivp.api.urls")),
    path("beheer/", admin.site.urls),
    path("", include("ivp.web.urls")),
]

handler404 = "ivp.api.problems.handler404"
handler500 = "ivp.api.problems.handler500"

"""The REST root: one router, each domain package registers its endpoints in ``api.py``."""

import importlib
import importlib.util

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from ivp.api import schema  # noqa: F401 - registers the security scheme of the OpenAPI document
from ivp.api.views import ApiRoot

API_MODULES = ("ivp.plans.api", "ivp.catalogue.api", "ivp.datasets.api", "ivp.analysis.api")


class Router(DefaultRouter):
    """DRF's router with ivp's own root (a page with ``lang`` for people, JSON for programs)."""

    include_root_view = False


router = Router()
for module_name in API_MODULES:
    if importlib.util.find_spec(module_name) is not None:
        importlib.import_module(module_name).register(router)

ApiRoot.endpoints = {prefix: basename for prefix, _viewset, basename in router.registry}

urlpatterns = [
    path("", ApiRoot.as_view(), name="api-root"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("openapi.json", SpectacularAPIView.as_view(), {"format": "json"}, name="api-openapi"),
    path("", include(router.urls)),
]
